// The UI's pure parts without a browser: line buffer, log model, filtered index, search, ANSI, links, parsing.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { LogLine } from "../../shared/service.ts";
import { createLineBuffer, type LineEntry, type LogEntry } from "../../client/models/line-buffer.ts";
import { createLogsModel } from "../../client/models/logs.ts";
import { createEntryIndex } from "../../client/logs/entry-index.ts";
import { isMatch, matchRanges, parseSearch } from "../../client/logs/search.ts";
import { plainText, toSegments } from "../../client/logs/ansi.ts";
import { findUrls, toPieces } from "../../client/logs/pieces.ts";
import { parseLogsMsg, parseStatusMsg } from "../../client/net/parse.ts";
import { RECONNECT_BASE_MS, RECONNECT_MAX_MS, reconnectDelay } from "../../client/net/backoff.ts";

const line = (seq: number, text = `line ${seq}`, stream: LogLine["stream"] = "stdout"): LogLine => ({ seq, time: 0, stream, text });
const texts = (model: ReturnType<typeof createLogsModel>, key: string): string[] => {
  const buffer = model.view(key);
  const out: string[] = [];
  for (let abs = buffer.start; abs < buffer.end; abs++) {
    const e = buffer.at(abs);
    out.push(e?.kind === "gap" ? `gap ${e.from}-${e.to}` : `${e?.service}:${e?.seq}`);
  }
  return out;
};
/** A model whose frame callbacks run when the test says so. */
function manualModel(viewLines?: number) {
  const frames: Array<() => void> = [];
  const model = createLogsModel({ schedule: (run) => frames.push(run), ...(viewLines ? { viewLines } : {}) });
  return { model, frames };
}

test("the line buffer keeps the newest entries up to its capacity, addressed by absolute index", () => {
  const buffer = createLineBuffer(3);
  for (let seq = 1; seq <= 5; seq++) buffer.push({ kind: "gap", service: "a", from: seq, to: seq });
  assert.equal(buffer.start, 2);
  assert.equal(buffer.end, 5);
  assert.equal(buffer.at(1), undefined);
  assert.deepEqual([2, 3, 4].map((abs) => (buffer.at(abs) as { from: number }).from), [3, 4, 5]);
  const epoch = buffer.epoch;
  buffer.clear();
  assert.equal(buffer.end - buffer.start, 0);
  assert.notEqual(buffer.epoch, epoch);
});

test("the log model drops lines it already has, so a replay after a reconnect adds nothing twice", () => {
  const { model } = manualModel();
  model.handle({ type: "lines", service: "web", lines: [line(1), line(2), line(3)] });
  model.handle({ type: "lines", service: "web", lines: [line(2), line(3), line(4)] });
  assert.deepEqual(texts(model, "web"), ["web:1", "web:2", "web:3", "web:4"]);
  assert.equal(model.lastSeq("web"), 4);
});

test("a gap becomes one entry, only for seqs not already held, and moves lastSeq past it", () => {
  const { model } = manualModel();
  model.handle({ type: "lines", service: "web", lines: [line(1), line(2)] });
  model.handle({ type: "gap", service: "web", from: 1, to: 5 });
  model.handle({ type: "gap", service: "web", from: 3, to: 4 });
  model.handle({ type: "lines", service: "web", lines: [line(6)] });
  assert.deepEqual(texts(model, "web"), ["web:1", "web:2", "gap 3-5", "web:6"]);
  assert.equal(model.since(), "web:6");
});

test("the merged view holds every service's entries in arrival order; since names each service", () => {
  const { model } = manualModel();
  model.handle({ type: "lines", service: "web", lines: [line(1)] });
  model.handle({ type: "lines", service: "api", lines: [line(1), line(2)] });
  model.handle({ type: "lines", service: "web", lines: [line(2)] });
  assert.deepEqual(texts(model, "*"), ["web:1", "api:1", "api:2", "web:2"]);
  assert.equal(model.since(), "web:2,api:2");
});

test("a reset from a restarted console empties every view and forgets seqs", () => {
  const { model } = manualModel();
  model.setInstance("one");
  model.handle({ type: "lines", service: "web", lines: [line(1), line(2)] });
  model.handle({ type: "reset", instance: "two" });
  assert.equal(model.instance, "two");
  assert.equal(model.since(), "");
  model.handle({ type: "lines", service: "web", lines: [line(1)] });
  assert.deepEqual(texts(model, "web"), ["web:1"]);
  assert.deepEqual(texts(model, "*"), ["web:1"]);
});

test("the version signal moves once per frame however many messages arrived", () => {
  const { model, frames } = manualModel();
  for (let seq = 1; seq <= 50; seq++) model.handle({ type: "lines", service: "web", lines: [line(seq)] });
  assert.equal(frames.length, 1);
  assert.equal(model.version.value, 0);
  frames.shift()?.();
  assert.equal(model.version.value, 1);
  model.handle({ type: "live", service: "web" });
  assert.equal(frames.length, 0, "live changes nothing shown");
});

test("each view is capped; recent() finds the last lines of one stream", () => {
  const { model } = manualModel(4);
  model.handle({ type: "lines", service: "web", lines: [line(1, "e1", "stderr"), line(2), line(3, "e3", "stderr"), line(4), line(5), line(6, "e6", "stderr")] });
  assert.deepEqual(texts(model, "web"), ["web:3", "web:4", "web:5", "web:6"]);
  assert.deepEqual(model.recent("web", "stderr", 5).map((e) => e.text), ["e3", "e6"]);
  assert.deepEqual(model.recent("web", "stderr", 1).map((e) => e.text), ["e6"]);
});

test("recent() looks at the latest run only: a new start or a failed start ends the scan", () => {
  const { model } = manualModel();
  const system = (seq: number, text: string) => line(seq, text, "system");
  model.handle({ type: "lines", service: "web", lines: [line(1, "old error", "stderr"), system(2, "started (pid 9): x"), line(3, "new error", "stderr")] });
  assert.deepEqual(model.recent("web", "stderr", 5).map((e) => e.text), ["new error"]);
  model.handle({ type: "lines", service: "web", lines: [system(4, "cannot start: port 80 is already in use")] });
  assert.deepEqual(model.recent("web", "stderr", 5), []);
});

test("clearing one service's view keeps the merged view; clearing the merged view clears all", () => {
  const { model } = manualModel();
  model.handle({ type: "lines", service: "web", lines: [line(1)] });
  model.clear("web");
  assert.deepEqual(texts(model, "web"), []);
  assert.deepEqual(texts(model, "*"), ["web:1"]);
  model.handle({ type: "lines", service: "web", lines: [line(1), line(2)] });
  assert.deepEqual(texts(model, "web"), ["web:2"], "cleared lines do not come back");
  model.clear("*");
  assert.deepEqual([texts(model, "web"), texts(model, "*")], [[], []]);
});

test("the entry index filters incrementally and reports rows that fell off the front", () => {
  const buffer = createLineBuffer(5);
  const push = (seq: number, stream: LogLine["stream"]) => buffer.push({ ...line(seq), stream, kind: "line", service: "a" } as LineEntry);
  const index = createEntryIndex();
  const isErr = (e: LogEntry) => e.kind === "line" && e.stream === "stderr";
  [1, 2, 3].forEach((seq) => push(seq, seq === 2 ? "stderr" : "stdout"));
  index.sync(buffer, isErr);
  assert.equal(index.length, 1);
  assert.equal(index.abs(0), 1);
  [4, 5, 6, 7].forEach((seq) => push(seq, seq >= 6 ? "stderr" : "stdout"));
  index.sync(buffer, isErr);
  assert.deepEqual([index.length, index.dropped, index.abs(0), index.abs(1)], [2, 1, 5, 6]);
  assert.equal(index.positionOf(6), 1);
  assert.equal(index.positionOf(7), 2);
  index.sync(buffer, null);
  assert.deepEqual([index.length, index.abs(0)], [5, 2]);
  push(8, "stdout");
  index.sync(buffer, null);
  assert.deepEqual([index.length, index.dropped, index.abs(0)], [5, 1, 3]);
});

test("search input parses as plain text, smart-case, regex, or an error", () => {
  const cases: Array<[input: string, isRegex: boolean, matches: string[], misses: string[]]> = [
    ["a.b", false, ["xa.by"], ["axb"]],
    ["a.b", true, ["axb"], ["ab"]],
    ["error", false, ["ERROR: x", "an error"], ["err"]],
    ["Error", false, ["Error: x"], ["error: x"]],
    ["(x)", false, ["f(x)"], ["x"]],
    ["^boot 1\\d$", true, ["boot 12"], ["boot 120", "boot 1"]],
  ];
  for (const [input, isRegex, matches, misses] of cases) {
    const search = parseSearch(input, isRegex);
    assert.equal(search.kind, "parsed", input);
    if (search.kind !== "parsed") continue;
    for (const text of matches) assert.ok(isMatch(search.regexp, text), `${input} ~ ${text}`);
    for (const text of misses) assert.ok(!isMatch(search.regexp, text), `${input} !~ ${text}`);
  }
  assert.equal(parseSearch("", true).kind, "empty");
  assert.equal(parseSearch("(", true).kind, "error");
  assert.equal(parseSearch("x*", true).kind, "error", "a pattern matching empty text would mark everything");
  const re = parseSearch("o", false);
  assert.deepEqual(re.kind === "parsed" ? matchRanges(re.regexp, "foo boo") : [], [[1, 2], [2, 3], [5, 6], [6, 7]]);
});

test("ANSI becomes styled segments whose text equals the plain text; OSC links and control characters go", () => {
  const inputs = ["plain", "\u001b[31mred\u001b[0m and \u001b[1;4mbold\u001b[m", "\u001b]8;;http://x/\u0007link\u001b]8;;\u0007 end", "bell\u0007 and\u001b[2K clear"];
  for (const input of inputs) {
    const segments = toSegments(input);
    assert.equal(segments.map((s) => s.text).join(""), plainText(input), JSON.stringify(input));
    assert.ok([...plainText(input)].every((c) => c === "\t" || c.charCodeAt(0) >= 0x20), JSON.stringify(input));
  }
  assert.equal(plainText("\u001b]8;;http://x/\u0007link\u001b]8;;\u0007 end"), "link end");
  const [red] = toSegments("\u001b[31mred\u001b[0m");
  assert.deepEqual(red, { text: "red", style: { color: "var(--ansi-1)" } });
  // 256-colour and truecolour values are the program's own.
  assert.deepEqual(toSegments("\u001b[38;2;10;20;30mtc\u001b[0m")[0]?.style, { color: "rgb(10, 20, 30)" });
  assert.deepEqual(toSegments("\u001b[1;4mb\u001b[0m")[0]?.style, { "font-weight": "bold", "text-decoration": "underline" });
});

test("URLs are found without trailing punctuation, and pieces split at matches and links", () => {
  assert.deepEqual(findUrls("see http://a.b/c. and (https://x.y/z)"), [
    { range: [4, 16], href: "http://a.b/c" },
    { range: [23, 36], href: "https://x.y/z" },
  ]);
  assert.deepEqual(findUrls("javascript:alert(1) ftp://x"), []);
  const pieces = toPieces([{ text: "go http://h/", style: null }, { text: " now", style: { color: "red" } }], [[0, 2]]);
  assert.deepEqual(
    pieces.map((p) => [p.text, p.isMatch, p.href, p.style?.["color"] ?? null]),
    [
      ["go", true, null, null],
      [" ", false, null, null],
      ["http://h/", false, "http://h/", null],
      [" now", false, null, "red"],
    ],
  );
});

test("malformed WebSocket messages parse to null instead of throwing", () => {
  assert.equal(parseLogsMsg("not json"), null);
  assert.equal(parseLogsMsg('{"type":"lines","service":"a"}'), null);
  assert.equal(parseLogsMsg('{"type":"gap","service":"a","from":"1","to":2}'), null);
  assert.equal(parseLogsMsg('{"type":"other"}'), null);
  assert.equal(parseLogsMsg("null"), null);
  assert.deepEqual(parseLogsMsg('{"type":"reset","instance":"i"}'), { type: "reset", instance: "i" });
  assert.equal(parseStatusMsg('{"type":"snapshot","services":[]}'), null);
  assert.equal(parseStatusMsg('{"type":"status","service":null}'), null);
});

test("reconnect delays double from the base up to the cap, with jitter within half of each step", () => {
  assert.equal(reconnectDelay(0, () => 1), RECONNECT_BASE_MS);
  assert.equal(reconnectDelay(0, () => 0), RECONNECT_BASE_MS / 2);
  assert.equal(reconnectDelay(2, () => 1), RECONNECT_BASE_MS * 4);
  assert.equal(reconnectDelay(50, () => 1), RECONNECT_MAX_MS);
  assert.equal(reconnectDelay(50, () => 0), RECONNECT_MAX_MS / 2);
});
