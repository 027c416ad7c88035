// Stop takes the whole tree down: stop_signal to group and tree, SIGKILL after stop_timeout, `stopped` once empty.
import assert from "node:assert/strict";
import { test } from "node:test";
import { groupMembers, isAlive, isPortOpen, waitAllDead } from "../helpers/procs.ts";
import { waitUntil } from "../helpers/wait.ts";
import { fixtureCmd, fixtureShell, makeSpec, startDeck } from "./harness.ts";
import { releasedPort } from "../helpers/ports.ts";

const READY_LOG = { log: /^ready$/, port: null, http: null };

/** Starts grandchild-on-port and returns the pids it printed. */
async function startTree(deck: ReturnType<typeof startDeck>, name: string) {
  await deck.sup.start(name);
  await deck.waitState(name, "running");
  const line = await deck.waitLine(name, (text) => /^\d+ \d+$/.test(text));
  const [child, grandchild] = line.text.split(" ").map(Number) as [number, number];
  return { child, grandchild };
}

test("stop frees the port held by a grandchild that ignores SIGTERM, killing it with SIGKILL after stop_timeout", async (t) => {
  const port = await releasedPort();
  const deck = startDeck(t, [makeSpec("web", fixtureCmd("grandchild-on-port"), { port, ready: READY_LOG, stopTimeoutMs: 300 })]);
  const { child, grandchild } = await startTree(deck, "web");
  t.after(() => waitAllDead([child, grandchild]));
  assert.equal(await isPortOpen(port), true);
  let atStopped: { grandchild: boolean; members: number[] } | null = null;
  deck.sup.onStatus((s) => {
    if (s.state === "stopped") atStopped = { grandchild: isAlive(grandchild), members: groupMembers(child) };
  });
  await deck.sup.stop("web");
  assert.deepEqual(atStopped, { grandchild: false, members: [] });
  assert.equal(isAlive(child), false);
  assert.equal(await isPortOpen(port), false);
  assert.deepEqual(
    deck.history.filter((s) => s.name === "web").map((s) => s.state),
    ["starting", "running", "stopping", "stopped"],
  );
  const last = deck.texts("web", "system").at(-1) ?? "";
  assert.match(last, /killed by SIGKILL after 0\.3 s/);
});

test("a service stays `stopping` after its direct child exits while its group still has members", async (t) => {
  const port = await releasedPort();
  // A long stop_timeout: the escalation cannot end the grandchild during the test, only we do.
  const deck = startDeck(t, [makeSpec("web", fixtureCmd("grandchild-on-port"), { port, ready: READY_LOG, stopTimeoutMs: 60_000 })]);
  const { child, grandchild } = await startTree(deck, "web");
  t.after(() => {
    process.kill(grandchild, "SIGKILL");
    return waitAllDead([child, grandchild]);
  });
  const stopping = deck.sup.stop("web");
  await waitUntil(() => !isAlive(child), { message: "the direct child to die of SIGTERM" });
  assert.equal(deck.sup.get("web")?.state, "stopping");
  assert.equal(isAlive(grandchild), true);
  process.kill(grandchild, "SIGKILL");
  await stopping;
  assert.equal(deck.sup.get("web")?.state, "stopped");
  assert.deepEqual(groupMembers(child), []);
});

test("stop also ends a descendant that moved to its own process group", async (t) => {
  const port = await releasedPort();
  const deck = startDeck(t, [makeSpec("web", fixtureCmd("grandchild-on-port", "--own-group"), { port, ready: READY_LOG, stopTimeoutMs: 300 })]);
  const { child, grandchild } = await startTree(deck, "web");
  t.after(() => waitAllDead([child, grandchild]));
  assert.deepEqual(groupMembers(grandchild), [grandchild], "the grandchild leads a group of its own");
  await deck.sup.stop("web");
  await waitAllDead([grandchild], 2_000);
  assert.equal(await isPortOpen(port), false);
});

test("a command that exits leaving a background process is `crashed` only once that process is gone", async (t) => {
  // The shell starts the sleeper in the background and exits 3 only when told (SIGUSR1), once the sleeper
  // has printed `ready`: the leftover is surely running when its parent exits.
  const deck = startDeck(t, [makeSpec("sh", `trap 'exit 3' USR1; ${fixtureShell("sleeper")} & wait`)]);
  const leftoverPid = () => Number(deck.texts("sh", "stdout").find((text) => text.startsWith("pid "))?.slice(4));
  let leftoverAliveAtCrash: boolean | null = null;
  deck.sup.onStatus((s) => {
    // The sleeper's "pid N" line precedes the exit, so it is in the log by the time the crash is processed.
    if (s.state === "crashed") leftoverAliveAtCrash = isAlive(leftoverPid());
  });
  await deck.sup.start("sh");
  await deck.waitLine("sh", (text) => text === "ready");
  const leftover = leftoverPid();
  t.after(() => waitAllDead([leftover]));
  const shell = deck.sup.get("sh")?.pid ?? 0;
  assert.notEqual(shell, leftover, "the shell runs the compound command itself");
  assert.equal(isAlive(leftover), true);
  process.kill(shell, "SIGUSR1");
  const status = await deck.waitState("sh", "crashed");
  assert.equal(leftoverAliveAtCrash, false);
  assert.equal(status.exitCode, 3);
  assert.equal(status.reason, "exited with code 3");
});

test("stop sends stop_signal first: a process that ignores SIGTERM ends at once on SIGINT", async (t) => {
  const deck = startDeck(t, [makeSpec("stubborn", fixtureCmd("ignore-sigterm"), { ready: READY_LOG, stopSignal: "SIGINT", stopTimeoutMs: 60_000 })]);
  await deck.sup.start("stubborn");
  const { pid } = await deck.waitState("stubborn", "running");
  await deck.sup.stop("stubborn");
  assert.equal(isAlive(pid ?? 0), false);
  assert.deepEqual([deck.sup.get("stubborn")?.signal, deck.texts("stubborn", "system").at(-1)], ["SIGINT", "stopped (killed by SIGINT)"]);
});
