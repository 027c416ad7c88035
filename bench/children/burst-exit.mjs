// Bench child: writes N lines (argv[2]) of about B bytes (argv[3]) and exits at once with process.exit(),
// most of its output still in the pipe. Blocking writes to fd 1 (process.stdout is never touched, so the fd
// stays blocking): with process.stdout, Node itself would drop what is queued at exit (nodejs/node#6456).
import { writeSync } from "node:fs";

const count = Number(process.argv[2] ?? 50_000);
const bytes = Number(process.argv[3] ?? 100);
const LINES_PER_WRITE = 1000;
for (let i = 1; i <= count; i += LINES_PER_WRITE) {
  let out = "";
  for (let j = i; j < i + LINES_PER_WRITE && j <= count; j++) {
    const head = `line ${j} `;
    out += head + "x".repeat(Math.max(0, bytes - head.length - 1)) + "\n";
  }
  const buf = Buffer.from(out);
  for (let off = 0; off < buf.length; ) off += writeSync(1, buf, off);
}
process.exit(0);
