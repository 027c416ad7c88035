import { test } from "node:test";
import assert from "node:assert/strict";
import type { LogLine } from "../../shared/service.ts";
import { createRing } from "../../server/logs/ring.ts";

const line = (seq: number): LogLine => ({ seq, time: 0, stream: "stdout", text: `line ${seq}` });
const seqs = (lines: LogLine[]) => lines.map((l) => l.seq);

function ringWith(capacity: number, count: number) {
  const ring = createRing(capacity);
  for (let seq = 1; seq <= count; seq++) ring.push(line(seq));
  return ring;
}

test("ring: an empty ring has firstSeq = lastSeq + 1 and returns nothing", () => {
  const ring = createRing(3);
  assert.deepEqual([ring.firstSeq, ring.lastSeq, ring.size], [1, 0, 0]);
  assert.deepEqual(ring.after(0, 10), []);
});

test("ring: rejects a capacity that is not a positive integer", () => {
  for (const capacity of [0, -1, 1.5, Number.NaN]) assert.throws(() => createRing(capacity), RangeError);
});

const AFTER_CASES: Array<{ title: string; capacity: number; count: number; since: number; max: number; expected: number[] }> = [
  { title: "returns every line after 0 before wrapping", capacity: 5, count: 3, since: 0, max: 100, expected: [1, 2, 3] },
  { title: "keeps only the last capacity lines after wrapping", capacity: 5, count: 12, since: 0, max: 100, expected: [8, 9, 10, 11, 12] },
  { title: "starts after since inside the ring", capacity: 5, count: 12, since: 9, max: 100, expected: [10, 11, 12] },
  { title: "since = firstSeq - 1 returns the whole ring", capacity: 5, count: 12, since: 7, max: 100, expected: [8, 9, 10, 11, 12] },
  { title: "since = lastSeq returns nothing", capacity: 5, count: 12, since: 12, max: 100, expected: [] },
  { title: "since beyond lastSeq returns nothing", capacity: 5, count: 12, since: 40, max: 100, expected: [] },
  { title: "max keeps the oldest lines first", capacity: 5, count: 12, since: 0, max: 2, expected: [8, 9] },
  { title: "max 0 returns nothing", capacity: 5, count: 12, since: 0, max: 0, expected: [] },
  { title: "capacity 1 keeps the newest line", capacity: 1, count: 4, since: 0, max: 10, expected: [4] },
  { title: "exactly full keeps everything", capacity: 4, count: 4, since: 0, max: 10, expected: [1, 2, 3, 4] },
  { title: "wraps many times", capacity: 3, count: 1000, since: 998, max: 10, expected: [999, 1000] },
];

for (const c of AFTER_CASES) {
  test(`ring.after: ${c.title}`, () => {
    const ring = ringWith(c.capacity, c.count);
    assert.deepEqual(seqs(ring.after(c.since, c.max)), c.expected);
  });
}

test("ring: firstSeq, lastSeq and size follow wraparound", () => {
  const ring = ringWith(5, 12);
  assert.deepEqual([ring.firstSeq, ring.lastSeq, ring.size, ring.capacity], [8, 12, 5, 5]);
  assert.equal(ring.after(7, 1)[0]?.text, "line 8");
});

test("ring: a jump in seqs starts the ring over instead of returning stale lines", () => {
  const ring = ringWith(5, 3);
  ring.push(line(10));
  assert.deepEqual([ring.firstSeq, ring.lastSeq, ring.size], [10, 10, 1]);
  assert.deepEqual(seqs(ring.after(0, 10)), [10]);
});
