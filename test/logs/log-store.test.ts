import { test } from "node:test";
import assert from "node:assert/strict";
import type { LogLine } from "../../shared/service.ts";
import { createLogStore } from "../../server/logs/log-store.ts";

const b = (s: string) => Buffer.from(s, "utf8");

function store(capacity = 100) {
  let clock = 1000;
  return createLogStore({ capacity, maxLineBytes: 1024, now: () => clock++ });
}

test("log store: seqs start at 1 and continue across splitters and system lines (process restarts)", () => {
  const log = store().create("web");
  const first = log.splitter("stdout");
  first.write(b("a\nb\n"));
  first.end();
  log.system("exited with code 1");
  const second = log.splitter("stderr");
  second.write(b("c\n"));
  const { lines } = log.read(0, 100);
  assert.deepEqual(
    lines.map((l) => [l.seq, l.stream, l.text]),
    [
      [1, "stdout", "a"],
      [2, "stdout", "b"],
      [3, "system", "exited with code 1"],
      [4, "stderr", "c"],
    ],
  );
  assert.deepEqual([log.firstSeq, log.lastSeq], [1, 4]);
});

test("log store: each service has its own seqs; create is idempotent", () => {
  const logs = store();
  const web = logs.create("web");
  assert.equal(logs.create("web"), web);
  logs.create("api").system("x");
  web.system("y");
  assert.equal(logs.get("api")?.lastSeq, 1);
  assert.equal(web.lastSeq, 1);
  assert.equal(logs.get("nope"), undefined);
  assert.deepEqual(logs.names(), ["web", "api"]);
});

test("log store: read reports a gap for lines overwritten after since", () => {
  const log = store(3).create("web");
  log.splitter("stdout").write(b("1\n2\n3\n4\n5\n6\n7\n"));
  assert.deepEqual(log.read(2, 100), { lines: log.read(4, 100).lines, gap: { from: 3, to: 4 } });
  assert.deepEqual(log.read(2, 100).lines.map((l) => l.seq), [5, 6, 7]);
  assert.equal(log.read(4, 100).gap, null, "nothing missing right before firstSeq");
  assert.equal(log.read(7, 100).gap, null, "nothing missing when up to date");
  assert.deepEqual(log.read(0, 1), { lines: log.read(4, 1).lines, gap: { from: 1, to: 4 } });
});

test("log store: subscribers hear once per chunk that produced lines, and after end() and system()", () => {
  const log = store().create("web");
  let calls = 0;
  log.subscribe(() => calls++);
  const out = log.splitter("stdout");
  out.write(b("a\nb\nc\nd"));
  assert.equal(calls, 1, "four lines → one notification");
  out.write(b("e"));
  assert.equal(calls, 1, "no complete line → no notification");
  out.end();
  assert.equal(calls, 2, "end() flushed a line");
  out.end();
  assert.equal(calls, 2, "end() with nothing left");
  log.system("two\nlines");
  assert.equal(calls, 3);
  assert.deepEqual(log.read(3, 10).lines.map((l) => l.text), ["de", "two", "lines"]);
});

test("log store: all lines of one chunk share one time taken at the write", () => {
  const log = store().create("web");
  const out = log.splitter("stdout");
  out.write(b("a\nb\n"));
  out.write(b("c\n"));
  const times = log.read(0, 10).lines.map((l) => l.time);
  assert.deepEqual(times, [1000, 1000, 1001]);
});

test("log store: a throwing subscriber or line listener does not stop appending or other listeners", () => {
  const log = store().create("web");
  let heard = 0;
  const seen: LogLine[] = [];
  log.subscribe(() => {
    throw new Error("boom");
  });
  log.subscribe(() => heard++);
  log.onLine(() => {
    throw new Error("boom");
  });
  log.onLine((line) => seen.push(line));
  log.splitter("stdout").write(b("a\nb\n"));
  assert.equal(heard, 1);
  assert.deepEqual(seen.map((l) => l.text), ["a", "b"]);
  assert.equal(log.lastSeq, 2);
});

test("log store: unsubscribe stops notifications and line listeners", () => {
  const log = store().create("web");
  let calls = 0;
  let lines = 0;
  const unsubscribe = log.subscribe(() => calls++);
  const off = log.onLine(() => lines++);
  log.system("a");
  unsubscribe();
  off();
  log.system("b");
  assert.deepEqual([calls, lines], [1, 1]);
});

test("log store: a system line written by a line listener mid-chunk still gives one notification", () => {
  const log = store().create("web");
  let calls = 0;
  log.subscribe(() => calls++);
  log.onLine((line) => {
    if (line.text === "ready") log.system("is ready");
  });
  log.splitter("stdout").write(b("x\nready\ny\n"));
  assert.equal(calls, 1);
  assert.deepEqual(log.read(0, 10).lines.map((l) => l.text), ["x", "ready", "is ready", "y"]);
});

test("log store: long lines are cut at maxLineBytes", () => {
  const log = createLogStore({ capacity: 10, maxLineBytes: 4 }).create("web");
  log.splitter("stdout").write(b("abcdefghij\n"));
  assert.deepEqual(log.read(0, 10).lines.map((l) => l.text), ["abcd", "efgh", "ij"]);
});
