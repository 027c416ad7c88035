// The debouncer under node:test's mock timers: time moves only when the test ticks it.
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { createDebouncedTrigger, type DebouncedTriggerOptions, type TriggerInfo } from "../../server/watch/debounce.ts";

interface Call {
  path: string;
  info: TriggerInfo;
}

const DEBOUNCE_MS = 100;
const MAX_WAIT_MS = 1_000;

/** A debouncer whose triggers are recorded; `handler` decides what each call returns. */
function setup(t: TestContext, handler: (call: Call) => void | Promise<unknown> = () => {}, extra: Partial<DebouncedTriggerOptions> = {}) {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const calls: Call[] = [];
  const errors: unknown[] = [];
  const trigger = createDebouncedTrigger({
    debounceMs: DEBOUNCE_MS,
    maxWaitMs: MAX_WAIT_MS,
    onTrigger: (path, info) => {
      const call = { path, info };
      calls.push(call);
      return handler(call);
    },
    onError: (err) => errors.push(err),
    ...extra,
  });
  t.after(() => trigger.close());
  return { trigger, calls, errors, tick: (ms: number) => t.mock.timers.tick(ms) };
}

/** Lets promise callbacks (settle of onTrigger) run. */
const flush = () => new Promise<void>((done) => setImmediate(done));

function deferred() {
  let resolve = () => {};
  let reject: (err: unknown) => void = () => {};
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

test("debounce: one change triggers once, after the quiet period, naming the file", (t) => {
  const { trigger, calls, tick } = setup(t);
  trigger.push("src/a.py");
  tick(DEBOUNCE_MS - 1);
  assert.equal(calls.length, 0);
  tick(1);
  assert.deepEqual(calls, [{ path: "src/a.py", info: { paths: 1 } }]);
});

test("debounce: a burst is one trigger naming its first path and counting distinct paths", (t) => {
  const { trigger, calls, tick } = setup(t);
  for (let i = 0; i < 500; i++) {
    trigger.push(`f${i % 250}.py`);
    tick(1);
  }
  assert.equal(calls.length, 0, "no trigger while changes keep coming within the quiet period");
  tick(DEBOUNCE_MS);
  assert.deepEqual(calls, [{ path: "f0.py", info: { paths: 250 } }]);
});

test("debounce: a burst longer than maxWait triggers at maxWait", (t) => {
  const { trigger, calls, tick } = setup(t);
  for (let elapsed = 0; elapsed < MAX_WAIT_MS; elapsed += DEBOUNCE_MS / 2) {
    trigger.push("server.log");
    tick(DEBOUNCE_MS / 2);
  }
  assert.deepEqual(calls.map((c) => c.path), ["server.log"]);
});

test("debounce: changes during an in-flight trigger make exactly one follow-up after it settles", async (t) => {
  const inFlight = deferred();
  const { trigger, calls, tick } = setup(t, (call) => (call.path === "a.py" ? inFlight.promise : undefined));
  trigger.push("a.py");
  tick(DEBOUNCE_MS);
  assert.equal(trigger.isBusy, true);
  trigger.push("b.py");
  trigger.push("c.py");
  tick(MAX_WAIT_MS * 2);
  assert.deepEqual(calls.map((c) => c.path), ["a.py"], "nothing fires while busy");
  inFlight.resolve();
  await flush();
  assert.equal(trigger.isBusy, false);
  tick(DEBOUNCE_MS);
  assert.deepEqual(calls, [
    { path: "a.py", info: { paths: 1 } },
    { path: "b.py", info: { paths: 2 } },
  ]);
  tick(MAX_WAIT_MS * 2);
  assert.equal(calls.length, 2);
});

test("debounce: a trigger with no change during it has no follow-up", async (t) => {
  const inFlight = deferred();
  const { trigger, calls, tick } = setup(t, () => inFlight.promise);
  trigger.push("a.py");
  tick(DEBOUNCE_MS);
  inFlight.resolve();
  await flush();
  tick(MAX_WAIT_MS * 2);
  assert.equal(calls.length, 1);
});

test("debounce: a rejected or throwing onTrigger is reported and later changes still trigger", async (t) => {
  const { trigger, calls, errors, tick } = setup(t, (call) => {
    if (call.path === "throws.py") throw new Error("sync");
    if (call.path === "rejects.py") return Promise.reject(new Error("async"));
    return undefined;
  });
  for (const path of ["throws.py", "rejects.py", "ok.py"]) {
    trigger.push(path);
    tick(DEBOUNCE_MS);
    await flush();
  }
  assert.deepEqual(calls.map((c) => c.path), ["throws.py", "rejects.py", "ok.py"]);
  assert.deepEqual(errors.map((e) => (e as Error).message), ["sync", "async"]);
});

test("debounce: close drops a pending burst and ignores later changes", (t) => {
  const { trigger, calls, tick } = setup(t);
  trigger.push("a.py");
  trigger.close();
  trigger.push("b.py");
  tick(MAX_WAIT_MS * 2);
  assert.equal(calls.length, 0);
});

test("debounce: close during an in-flight trigger prevents the follow-up", async (t) => {
  const inFlight = deferred();
  const { trigger, calls, tick } = setup(t, () => inFlight.promise);
  trigger.push("a.py");
  tick(DEBOUNCE_MS);
  trigger.push("b.py");
  trigger.close();
  inFlight.resolve();
  await flush();
  tick(MAX_WAIT_MS * 2);
  assert.deepEqual(calls.map((c) => c.path), ["a.py"]);
});
