// Bench child: RATE lines/s (argv[2]) of about B bytes (argv[3]) for SECONDS (argv[4]), written every 10 ms,
// "line 1 xxx…" and so on, then "steady end STAMP" (ms since the epoch, performance.timeOrigin + now()) and exits.
// With argv[5] = "color", every 4th line carries ANSI colours, as a dev server's warnings do.
const rate = Number(process.argv[2] ?? 20_000);
const bytes = Number(process.argv[3] ?? 100);
const seconds = Number(process.argv[4] ?? 5);
const isColored = process.argv[5] === "color";
const SLICE_MS = 10;
const COLORS = ["\x1b[33mwarn\x1b[0m", "\x1b[1;31merror\x1b[0m", "\x1b[36minfo\x1b[0m"];
const total = Math.round(rate * seconds);
const started = performance.now();
let i = 0;
function slice() {
  // As many lines as are due by now: a late timer catches up instead of lowering the rate.
  const due = Math.min(total, Math.round(((performance.now() - started) / 1000) * rate));
  let chunk = "";
  while (i < due) {
    const head = isColored && ++i % 4 === 0 ? `line ${i} ${COLORS[(i >> 2) % 3]} ` : `line ${isColored ? i : ++i} `;
    chunk += head + "x".repeat(Math.max(0, bytes - head.length - 1)) + "\n";
  }
  if (chunk) process.stdout.write(chunk);
  if (i < total) return void setTimeout(slice, SLICE_MS);
  process.stdout.write(`steady end ${(performance.timeOrigin + performance.now()).toFixed(3)}\n`);
}
setTimeout(slice, SLICE_MS);
