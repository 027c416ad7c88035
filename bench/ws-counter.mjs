// Bench client: a live /ws/logs client in its own process. Prints "live" once subscribed, then
// "done" when it has seen the line "line N" (argv[3]); counts lines and gaps on the way.
import WebSocket from "ws";

const [url, lastText] = process.argv.slice(2);
const ws = new WebSocket(url);
let lines = 0;
let gaps = 0;
ws.on("message", (data) => {
  const msg = JSON.parse(String(data));
  if (msg.type === "live") process.stdout.write("live\n");
  if (msg.type === "gap") gaps += msg.to - msg.from + 1;
  if (msg.type !== "lines") return;
  lines += msg.lines.length;
  if (msg.lines.some((l) => l.text.startsWith(lastText))) {
    process.stdout.write(`done ${lines} ${gaps}\n`, () => process.exit(0));
  }
});
ws.on("error", (err) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
