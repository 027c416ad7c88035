// Bench client, its own process: connects to /ws/logs (argv[2]) ROUNDS times (argv[3]), one after the
// other, and times each from `new WebSocket` to the `live` marker, every message before it parsed.
// Prints one JSON line: { ms: [per round], lines: [lines replayed per round] }.
import WebSocket from "ws";

const [url, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 10);

function once() {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let lines = 0;
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.on("message", (data) => {
      const msg = JSON.parse(String(data));
      if (msg.type === "lines") lines += msg.lines.length;
      if (msg.type !== "live") return;
      const ms = performance.now() - started;
      ws.close();
      ws.once("close", () => resolve({ ms, lines }));
    });
    ws.on("error", reject);
  });
}

const ms = [];
const lines = [];
for (let i = 0; i < rounds; i++) {
  const r = await once();
  ms.push(r.ms);
  lines.push(r.lines);
}
process.stdout.write(`${JSON.stringify({ ms, lines })}\n`);
