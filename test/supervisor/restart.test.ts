// Restart policies with exponential backoff: `backoff` state, nextRestartAt, one system line per crash.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { ServiceStatus } from "../../shared/service.ts";
import { waitUntil } from "../helpers/wait.ts";
import { fixtureCmd, makeSpec, startDeck } from "./harness.ts";

const BASE_MS = 100;

test("a crash loop backs off 1×, 2×, 4× the base delay with nextRestartAt, one system line per crash", async (t) => {
  const deck = startDeck(t, [makeSpec("crashy", fixtureCmd("crash"), { restart: "on-failure" })], { backoffBaseMs: BASE_MS });
  const seen: Array<{ status: ServiceStatus; at: number }> = [];
  deck.sup.onStatus((status) => seen.push({ status, at: Date.now() }));
  await deck.sup.start("crashy");
  await waitUntil(() => deck.sup.get("crashy")?.restarts === 3 && deck.sup.get("crashy")?.state === "backoff", { message: "the fourth crash" });
  await deck.sup.stop("crashy");

  const backoffs = seen.filter((e) => e.status.state === "backoff");
  assert.equal(backoffs.length, 4);
  backoffs.forEach(({ status, at }, i) => {
    const delayMs = BASE_MS * 2 ** i;
    assert.equal(status.exitCode, 1);
    assert.equal(status.pid, null);
    assert.ok(status.nextRestartAt !== null && status.nextRestartAt <= at + delayMs && status.nextRestartAt > at - delayMs);
  });
  // The restart never comes before its announced time, and a new run clears nextRestartAt.
  const starts = seen.filter((e) => e.status.state === "running");
  for (let i = 1; i < starts.length; i++) {
    const started = starts[i]?.status;
    assert.ok(started && started.startedAt !== null && started.startedAt >= (backoffs[i - 1]?.status.nextRestartAt ?? Infinity));
    assert.equal(started.nextRestartAt, null);
  }
  const system = deck.texts("crashy", "system").filter((text) => !text.startsWith("started (pid "));
  assert.deepEqual(system.slice(0, 4), [
    "exited with code 1; restarting in 0.1 s (attempt 1)",
    "exited with code 1; restarting in 0.2 s (attempt 2)",
    "exited with code 1; restarting in 0.4 s (attempt 3)",
    "exited with code 1; restarting in 0.8 s (attempt 4)",
  ]);
  assert.equal(deck.sup.get("crashy")?.state, "stopped");
});

test("stop during backoff cancels the pending restart", async (t) => {
  const deck = startDeck(t, [makeSpec("crashy", fixtureCmd("crash"), { restart: "always" })], { backoffBaseMs: BASE_MS });
  await deck.sup.start("crashy");
  const backoff = await deck.waitState("crashy", "backoff");
  await deck.sup.stop("crashy");
  const stopped = deck.sup.get("crashy");
  assert.equal(stopped?.state, "stopped");
  assert.equal(stopped?.nextRestartAt, null);
  // Let the announced restart time pass: nothing may start. This waits on the clock on purpose: a restart
  // that does not happen sends no event to wait for, and proving "never" needs the moment it was due.
  const due = (backoff.nextRestartAt ?? 0) + BASE_MS;
  await waitUntil(() => Date.now() > due, { message: "the cancelled restart's time to pass" });
  assert.equal(deck.sup.get("crashy")?.state, "stopped");
  assert.equal(deck.texts("crashy", "system").filter((text) => text.startsWith("started (pid ")).length, 1);
});

test("restart: always restarts a command that exited with code 0", async (t) => {
  const deck = startDeck(t, [makeSpec("job", fixtureCmd("print-lines", "1", "0"), { restart: "always" })], { backoffBaseMs: BASE_MS });
  await deck.sup.start("job");
  await waitUntil(() => deck.sup.get("job")?.restarts === 1, { message: "one restart" });
  const status = deck.history.find((s) => s.state === "backoff");
  assert.equal(status?.exitCode, 0);
  await deck.sup.stop("job");
});

test("restart: on-failure leaves a clean exit `exited`, and restart: no leaves a crash `crashed`", async (t) => {
  const deck = startDeck(
    t,
    [makeSpec("clean", fixtureCmd("print-lines", "1", "0"), { restart: "on-failure" }), makeSpec("once", fixtureCmd("crash"), { restart: "no" })],
    { backoffBaseMs: BASE_MS },
  );
  await deck.sup.startAll();
  const clean = await deck.waitState("clean", "exited");
  const once = await deck.waitState("once", "crashed");
  assert.equal(clean.exitCode, 0);
  assert.equal(clean.reason, "exited with code 0");
  assert.equal(once.exitCode, 1);
  assert.equal(once.reason, "exited with code 1");
  assert.equal(deck.history.some((s) => s.state === "backoff"), false);
});

test("a manual start during backoff starts at once and clears nextRestartAt", async (t) => {
  const deck = startDeck(t, [makeSpec("crashy", fixtureCmd("crash"), { restart: "on-failure" })], { backoffBaseMs: 60_000 });
  await deck.sup.start("crashy");
  await deck.waitState("crashy", "backoff");
  await deck.sup.start("crashy");
  const started = deck.history.filter((s) => s.state === "running").at(-1);
  assert.equal(started?.restarts, 1);
  assert.equal(started?.nextRestartAt, null);
  await deck.sup.stop("crashy");
});
