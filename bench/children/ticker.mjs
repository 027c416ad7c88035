// Bench child: every INTERVAL ms (argv[3]) prints "tick N STAMP", STAMP being ms since the epoch with
// sub-ms precision (performance.timeOrigin + now(), comparable across processes), COUNT times (argv[2]),
// then "tick end" and exits.
const count = Number(process.argv[2] ?? 1000);
const intervalMs = Number(process.argv[3] ?? 5);
let n = 0;
const started = performance.now();
function tick() {
  n++;
  process.stdout.write(`tick ${n} ${(performance.timeOrigin + performance.now()).toFixed(3)}\n`);
  if (n >= count) return void process.stdout.write("tick end\n");
  // Scheduled against the start, not the last tick: a late tick does not shift the rest.
  setTimeout(tick, Math.max(0, started + (n + 1) * intervalMs - performance.now()));
}
setTimeout(tick, intervalMs);
