// Bench client, its own process: reads "tick N STAMP" lines of service argv[3] from /ws/logs (argv[2]; may be
// service=*, other services' lines are parsed and skipped) and records, per line,
// the delay from the child's write (STAMP) to this process's receipt, both as performance.timeOrigin + now().
// Prints "live", then on "tick end" one JSON line: { delays: [ms …], lines, gaps }.
import WebSocket from "ws";

const [url, service] = process.argv.slice(2);
const ws = new WebSocket(url, { perMessageDeflate: false });
const delays = [];
let gaps = 0;
let isLive = false;
ws.on("message", (data) => {
  const received = performance.timeOrigin + performance.now();
  const msg = JSON.parse(String(data));
  if (msg.type === "live" && !isLive) {
    isLive = true;
    return void process.stdout.write("live\n");
  }
  if (msg.service !== service) return;
  if (msg.type === "gap") gaps++;
  if (msg.type !== "lines") return;
  for (const { text } of msg.lines) {
    if (text === "tick end") return void process.stdout.write(`${JSON.stringify({ delays, lines: delays.length, gaps })}\n`, () => process.exit(0));
    if (text.startsWith("tick ")) delays.push(received - Number(text.slice(text.lastIndexOf(" ") + 1)));
  }
});
ws.on("error", (err) => {
  process.stderr.write(`latency: ${err.message}\n`);
  process.exit(1);
});
