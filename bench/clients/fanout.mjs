// Bench client, its own process: READERS sockets (argv[3]) that read /ws/logs (argv[2]) and STALLED sockets
// (argv[4]) that stop reading (TCP paused) once live. Prints "live" when all are live; when every reader has
// the child's "steady end STAMP" line, one JSON line with each reader's lag behind the child; then resumes the
// stalled sockets and, once they have the end line too, one JSON line with what they got (lines, gaps, order).
// Reader 0 parses every message; the others check seq continuity from the text (first and last seq of each
// message), which is what lets one process keep up with 49 sockets on a small machine.
import WebSocket from "ws";

const [url, readersArg, stalledArg] = process.argv.slice(2);
const readers = Number(readersArg);
const stalledCount = Number(stalledArg);
const stamp = () => performance.timeOrigin + performance.now();
const END = '"text":"steady end ';

function fullCheck(s, st) {
  const msg = JSON.parse(s);
  if (msg.type === "gap") {
    if (st.expected !== 0 && msg.from !== st.expected) st.orderErrors++;
    st.expected = msg.to + 1;
    st.gaps++;
    st.gapLines += msg.to - msg.from + 1;
    return null;
  }
  if (msg.type !== "lines") return null;
  for (const line of msg.lines) {
    if (st.expected !== 0 && line.seq !== st.expected) st.orderErrors++;
    st.expected = line.seq + 1;
    st.lines++;
    if (line.text.startsWith("steady end ")) return Number(line.text.slice(11));
  }
  return null;
}

function lightCheck(s, st) {
  if (s.startsWith('{"type":"gap"')) return fullCheck(s, st);
  if (!s.startsWith('{"type":"lines"')) return null;
  const first = Number(s.slice(s.indexOf('"seq":') + 6, s.indexOf(",", s.indexOf('"seq":'))));
  const at = s.lastIndexOf('"seq":');
  const last = Number(s.slice(at + 6, s.indexOf(",", at)));
  if (st.expected !== 0 && first !== st.expected) st.orderErrors++;
  st.lines += last - first + 1;
  st.expected = last + 1;
  // Not only in the last line: the exit line may follow in the same message.
  const end = s.lastIndexOf(END);
  return end === -1 ? null : Number(s.slice(end + END.length, s.indexOf('"', end + END.length)));
}

function open(isStalled, check) {
  const st = { lines: 0, gaps: 0, gapLines: 0, orderErrors: 0, expected: 0, lag: null, isLive: false };
  const ws = new WebSocket(url, { perMessageDeflate: false });
  st.ws = ws;
  ws.on("message", (data) => {
    const s = String(data);
    if (!st.isLive && s.startsWith('{"type":"live"')) {
      st.isLive = true;
      if (isStalled) ws._socket.pause();
      return void onLive();
    }
    const end = check(s, st);
    if (end !== null) {
      st.lag = stamp() - end;
      onEnd();
    }
  });
  ws.on("error", (err) => {
    process.stderr.write(`fanout: ${err.message}\n`);
    process.exit(1);
  });
  return st;
}

const all = [];
const readerStates = Array.from({ length: readers }, (_, i) => open(false, i === 0 ? fullCheck : lightCheck));
const stalledStates = Array.from({ length: stalledCount }, () => open(true, fullCheck));
all.push(...readerStates, ...stalledStates);
const pick = ({ lines, gaps, gapLines, orderErrors, lag }) => ({ lines, gaps, gapLines, orderErrors, lag });

function onLive() {
  if (all.every((s) => s.isLive)) process.stdout.write("live\n");
}

let phase = "readers";
function onEnd() {
  if (phase === "readers" && readerStates.every((s) => s.lag !== null)) {
    phase = "stalled";
    process.stdout.write(`${JSON.stringify({ readers: readerStates.map(pick) })}\n`);
    for (const s of stalledStates) s.ws._socket.resume();
  }
  if (phase === "stalled" && stalledStates.every((s) => s.lag !== null)) {
    phase = "done";
    process.stdout.write(`${JSON.stringify({ stalled: stalledStates.map(pick) })}\n`, () => process.exit(0));
  }
}
