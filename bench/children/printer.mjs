// Bench child: prints N lines (argv[2]) of about B bytes (argv[3]), "line 1 xxx…", as fast as the pipe
// takes them, then exits. With argv[4] = "stay" it stays up afterwards until a signal ends it.
const count = Number(process.argv[2] ?? 500_000);
const bytes = Number(process.argv[3] ?? 100);
const shouldStay = process.argv[4] === "stay";
const CHUNK_LINES = 1000;
let i = 0;
function pump() {
  while (i < count) {
    let chunk = "";
    for (let n = 0; n < CHUNK_LINES && i < count; n++) {
      const head = `line ${++i} `;
      chunk += head + "x".repeat(Math.max(0, bytes - head.length - 1)) + "\n";
    }
    if (!process.stdout.write(chunk)) return void process.stdout.once("drain", pump);
  }
}
pump();
if (shouldStay) globalThis.setInterval(() => {}, 1 << 30);
