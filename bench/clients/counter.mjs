// Bench client, its own process: one /ws/logs socket that checks every message. Prints "live" when the
// `live` marker arrives, then one JSON line once it has the child's line "line N …" (N = argv[3]) and, with
// argv[4] = "exit", the exit line after it. Checks on the way: seqs consecutive (lines and gaps), the child's
// numbering in order, nothing after the exit line.
import WebSocket from "ws";

const [url, lastArg, mode] = process.argv.slice(2);
const last = Number(lastArg);
const shouldWaitExit = mode === "exit";
const stamp = () => performance.timeOrigin + performance.now();

const r = { lines: 0, gapLines: 0, gaps: 0, orderErrors: 0, messages: 0, maxBatch: 0, afterExit: 0, tLast: 0, tExit: 0 };
let expectedSeq = 0;
let lastNumber = 0;
let isDone = false;
// CPU time is counted from `live` on: loading modules and connecting are not the client's share of the flood.
let cpuAtLive;

function finish() {
  isDone = true;
  const cpu = process.cpuUsage(cpuAtLive);
  r.cpuMs = (cpu.user + cpu.system) / 1000;
  process.stdout.write(`${JSON.stringify(r)}\n`, () => process.exit(0));
}

function onLine(line) {
  if (expectedSeq !== 0 && line.seq !== expectedSeq) r.orderErrors++;
  expectedSeq = line.seq + 1;
  if (line.stream === "system") {
    if (r.tLast !== 0 && /^(exited|stopped|killed|ended)/.test(line.text)) r.tExit = stamp();
    return;
  }
  if (r.tExit !== 0) r.afterExit++;
  r.lines++;
  // "line N xxx": N must grow by one unless a gap was announced in between.
  const n = Number(line.text.slice(5, line.text.indexOf(" ", 5)));
  if (n !== lastNumber + 1 && r.gaps === 0) r.orderErrors++;
  lastNumber = n;
  if (n === last) r.tLast = stamp();
}

const ws = new WebSocket(url, { perMessageDeflate: false });
ws.on("message", (data) => {
  if (isDone) return;
  const msg = JSON.parse(String(data));
  r.messages++;
  if (msg.type === "live") {
    cpuAtLive = process.cpuUsage();
    return void process.stdout.write("live\n");
  }
  if (msg.type === "gap") {
    if (expectedSeq !== 0 && msg.from !== expectedSeq) r.orderErrors++;
    expectedSeq = msg.to + 1;
    r.gaps++;
    r.gapLines += msg.to - msg.from + 1;
    return;
  }
  if (msg.type !== "lines") return;
  r.maxBatch = Math.max(r.maxBatch, msg.lines.length);
  for (const line of msg.lines) onLine(line);
  if (r.tLast !== 0 && (!shouldWaitExit || r.tExit !== 0)) finish();
});
ws.on("error", (err) => {
  process.stderr.write(`counter: ${err.message}\n`);
  process.exit(1);
});
