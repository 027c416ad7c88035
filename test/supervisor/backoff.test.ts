// nextDelay / nextAttempt: 1 s doubling to a 30 s cap, back to 1 s after 10 s up (SPEC.md).
import assert from "node:assert/strict";
import { test } from "node:test";
import { BACKOFF_CAP_MS, nextAttempt, nextDelay } from "../../server/supervisor/backoff.ts";

test("nextDelay doubles from 1 s per attempt and stops at the 30 s cap", () => {
  const cases: Array<[attempt: number, ms: number]> = [
    [0, 1_000],
    [1, 2_000],
    [2, 4_000],
    [3, 8_000],
    [4, 16_000],
    [5, 30_000],
    [6, 30_000],
    [1_000, 30_000],
    [-1, 1_000],
  ];
  for (const [attempt, ms] of cases) assert.equal(nextDelay(attempt), ms, `attempt ${attempt}`);
});

test("nextDelay scales from a custom base and never exceeds the cap", () => {
  assert.deepEqual([0, 1, 2, 3].map((a) => nextDelay(a, 100)), [100, 200, 400, 800]);
  assert.equal(nextDelay(40, 100), BACKOFF_CAP_MS);
});

test("nextAttempt starts again from 0 once the last run stayed up 10 s", () => {
  const cases: Array<[previous: number, uptimeMs: number, next: number]> = [
    [4, 9_999, 4],
    [4, 10_000, 0],
    [0, 50, 0],
    [7, 3_600_000, 0],
  ];
  for (const [previous, uptime, next] of cases) assert.equal(nextAttempt(previous, uptime), next, `${previous} after ${uptime} ms`);
});
