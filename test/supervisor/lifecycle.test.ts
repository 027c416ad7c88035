// Commands arrive at any moment, repeatedly, concurrently: serialised per service, at most one instance.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { test } from "node:test";
import { isAlive, waitAllDead } from "../helpers/procs.ts";
import { fixtureCmd, makeSpec, startDeck, type Deck } from "./harness.ts";

/** Live (non-zombie) processes whose command line carries `marker`. */
function processesWith(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").includes(marker) && isAlive(Number(entry))) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** Every pid the service printed ("pid N" lines of the sleeper fixture). */
function printedPids(deck: Deck, name: string): number[] {
  return deck.texts(name, "stdout").filter((t) => t.startsWith("pid ")).map((t) => Number(t.slice(4)));
}

/** Watches status changes: a new pid must never appear while an older run of the service is alive. */
function watchSingleInstance(deck: Deck, marker: string): { overlaps: number[][] } {
  const overlaps: number[][] = [];
  deck.sup.onStatus((s) => {
    if (s.pid === null) return;
    const live = processesWith(marker);
    if (live.some((pid) => pid !== s.pid)) overlaps.push(live);
  });
  return { overlaps };
}

test("ten restarts fired at once run one after another and leave exactly one instance", async (t) => {
  const marker = randomUUID();
  const deck = startDeck(t, [makeSpec("svc", fixtureCmd("sleeper", marker))]);
  t.after(() => waitAllDead(processesWith(marker)));
  await deck.sup.start("svc");
  await deck.waitLine("svc", (text) => text.startsWith("pid "));
  const watch = watchSingleInstance(deck, marker);
  await Promise.all(Array.from({ length: 10 }, () => deck.sup.restart("svc")));
  const status = deck.sup.get("svc");
  assert.equal(status?.state, "running");
  assert.equal(status?.restarts, 10);
  assert.deepEqual(watch.overlaps, []);
  const live = processesWith(marker);
  assert.deepEqual(live, [status?.pid]);
  // Killed runs may die before printing: count the pids devdeck reported starting instead.
  const started = deck.texts("svc", "system").filter((text) => text.startsWith("started (pid "));
  assert.equal(started.length, 11);
  assert.equal(new Set(started).size, 11);
});

test("a burst of mixed start/stop/restart commands ends in the state of the last one, with one instance at most", async (t) => {
  const marker = randomUUID();
  const deck = startDeck(t, [makeSpec("svc", fixtureCmd("sleeper", marker))]);
  t.after(() => waitAllDead(processesWith(marker)));
  const watch = watchSingleInstance(deck, marker);
  const { sup } = deck;
  const burst = [sup.start("svc"), sup.restart("svc"), sup.stop("svc"), sup.start("svc"), sup.start("svc"), sup.restart("svc"), sup.stop("svc"), sup.stop("svc")];
  await Promise.all(burst);
  assert.equal(sup.get("svc")?.state, "stopped");
  assert.deepEqual(processesWith(marker), []);
  await Promise.all([sup.restart("svc"), sup.stop("svc"), sup.start("svc")]);
  assert.equal(sup.get("svc")?.state, "running");
  assert.deepEqual(processesWith(marker), [sup.get("svc")?.pid]);
  assert.deepEqual(watch.overlaps, []);
});

test("repeating start on a running service is harmless: same pid, no restart", async (t) => {
  const marker = randomUUID();
  const deck = startDeck(t, [makeSpec("svc", fixtureCmd("sleeper", marker))]);
  t.after(() => waitAllDead(processesWith(marker)));
  await Promise.all([deck.sup.start("svc"), deck.sup.start("svc"), deck.sup.start("svc")]);
  const pid = deck.sup.get("svc")?.pid;
  await deck.sup.start("svc");
  assert.equal(deck.sup.get("svc")?.pid, pid);
  assert.equal(deck.sup.get("svc")?.restarts, 0);
  await deck.waitLine("svc", (text) => text.startsWith("pid "));
  assert.deepEqual(printedPids(deck, "svc"), [pid]);
});

test("stop while a readiness probe is pending ends the run and leaves the service stopped", async (t) => {
  const marker = randomUUID();
  const deck = startDeck(t, [makeSpec("svc", fixtureCmd("sleeper", marker), { ready: { log: /never printed/, port: null, http: null } })]);
  t.after(() => waitAllDead(processesWith(marker)));
  await deck.sup.start("svc");
  assert.equal(deck.sup.get("svc")?.state, "starting");
  const pid = deck.sup.get("svc")?.pid ?? 0;
  await deck.sup.stop("svc");
  assert.equal(deck.sup.get("svc")?.state, "stopped");
  assert.equal(isAlive(pid), false);
  assert.equal(deck.sup.get("svc")?.ready, false);
});
