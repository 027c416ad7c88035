// The registry: config order, depends_on (start once deps are running, stop dependents first), close().
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { test } from "node:test";
import { isAlive } from "../helpers/procs.ts";
import { waitUntil } from "../helpers/wait.ts";
import { fixtureCmd, makeSpec, startDeck, tempDir, tempStatePaths } from "./harness.ts";
import { releasedPort } from "../helpers/ports.ts";

const READY = { log: /^ready$/, port: null, http: null };

test("a dependent waits as `starting` with no pid and 'waiting for db' until db is running", async (t) => {
  const port = await releasedPort();
  const deck = startDeck(t, [
    makeSpec("web", fixtureCmd("sleeper"), { dependsOn: ["db"] }),
    makeSpec("db", fixtureCmd("http-server", "200"), { port, ready: { log: null, port, http: null } }),
  ]);
  let dbStateAtWebSpawn: string | undefined;
  deck.sup.onStatus((s) => {
    if (s.name === "web" && s.pid !== null && dbStateAtWebSpawn === undefined) dbStateAtWebSpawn = deck.sup.get("db")?.state;
  });
  await deck.sup.startAll();
  await deck.waitState("web", "running");
  const first = deck.history.find((s) => s.name === "web");
  assert.deepEqual([first?.state, first?.pid, first?.reason], ["starting", null, "waiting for db"]);
  assert.equal(dbStateAtWebSpawn, "running");
  assert.deepEqual(deck.sup.list().map((s) => s.name), ["web", "db"], "config order");
});

test("stopAll stops dependents first and each dependency only after them", async (t) => {
  const deck = startDeck(t, [
    makeSpec("db", fixtureCmd("sleeper"), { ready: READY }),
    makeSpec("api", fixtureCmd("sleeper"), { ready: READY, dependsOn: ["db"] }),
    makeSpec("web", fixtureCmd("sleeper"), { ready: READY, dependsOn: ["api"] }),
  ]);
  await deck.sup.startAll();
  await deck.waitState("web", "running");
  const events: string[] = [];
  deck.sup.onStatus((s) => events.push(`${s.name} ${s.state}`));
  await deck.sup.stopAll();
  assert.deepEqual(events, ["web stopping", "web stopped", "api stopping", "api stopped", "db stopping", "db stopped"]);
});

test("startAll with names starts only those; without names only the autostart ones", async (t) => {
  const deck = startDeck(t, [
    makeSpec("a", fixtureCmd("sleeper")),
    makeSpec("b", fixtureCmd("sleeper")),
    makeSpec("manual", fixtureCmd("sleeper"), { autostart: false }),
  ]);
  await deck.sup.startAll(["b"]);
  assert.deepEqual(deck.sup.list().map((s) => s.state), ["stopped", "running", "stopped"]);
  await deck.sup.startAll();
  assert.deepEqual(deck.sup.list().map((s) => s.state), ["running", "running", "stopped"]);
  assert.equal(deck.sup.get("manual")?.autostart, false);
});

test("starting a service starts the idle dependencies it waits for, then the service", async (t) => {
  const deck = startDeck(t, [
    makeSpec("web", fixtureCmd("sleeper"), { dependsOn: ["db"], autostart: false }),
    makeSpec("db", fixtureCmd("sleeper"), { autostart: false, ready: READY }),
  ]);
  let dbStateAtWebSpawn: string | undefined;
  deck.sup.onStatus((s) => {
    if (s.name === "web" && s.pid !== null && dbStateAtWebSpawn === undefined) dbStateAtWebSpawn = deck.sup.get("db")?.state;
  });
  await deck.sup.start("web");
  await deck.waitState("web", "running");
  assert.equal(dbStateAtWebSpawn, "running");
});

test("a stop while waiting for a dependency cancels the wait: the service stays stopped", async (t) => {
  const deck = startDeck(t, [
    makeSpec("web", fixtureCmd("sleeper"), { dependsOn: ["db"] }),
    makeSpec("db", fixtureCmd("ready-on-signal"), { autostart: false, ready: READY }),
  ]);
  await deck.sup.start("web");
  assert.equal(deck.sup.get("web")?.reason, "waiting for db");
  const db = await deck.waitState("db", "starting");
  await deck.waitLine("db", (text) => text.startsWith("pid "));
  await deck.sup.stop("web");
  process.kill(db.pid ?? 0, "SIGUSR1");
  await deck.waitState("db", "running");
  assert.equal(deck.sup.get("web")?.state, "stopped");
});

test("a dependent waiting on a crashed dependency says so", async (t) => {
  const deck = startDeck(t, [
    makeSpec("web", fixtureCmd("sleeper"), { dependsOn: ["db"] }),
    makeSpec("db", fixtureCmd("crash"), { autostart: false, ready: READY }),
  ]);
  await deck.sup.start("web");
  await deck.waitState("db", "crashed");
  await waitUntil(() => deck.sup.get("web")?.reason === "waiting for db (crashed)", { message: "the reason to name the crash" });
  assert.equal(deck.sup.get("web")?.state, "starting");
});

test("commands on an unknown service reject with DD_ERR_UNKNOWN_SERVICE", async (t) => {
  const deck = startDeck(t, [makeSpec("a", fixtureCmd("sleeper"))]);
  await assert.rejects(deck.sup.start("nope"), { code: "DD_ERR_UNKNOWN_SERVICE" });
  await assert.rejects(deck.sup.restart("nope"), { code: "DD_ERR_UNKNOWN_SERVICE" });
  assert.equal(deck.sup.has("nope"), false);
  assert.equal(deck.sup.get("nope"), undefined);
});

test("close stops every service, removes the record of live groups, and later starts do nothing", async (t) => {
  const paths = tempStatePaths(tempDir(t));
  const deck = startDeck(t, [makeSpec("a", fixtureCmd("sleeper")), makeSpec("b", fixtureCmd("sleeper"))], { statePaths: paths });
  await deck.sup.startAll();
  const pids = deck.sup.list().map((s) => s.pid ?? 0);
  assert.equal(existsSync(paths.groups), true);
  await Promise.all([deck.sup.close(), deck.sup.close()]);
  assert.deepEqual(deck.sup.list().map((s) => s.state), ["stopped", "stopped"]);
  assert.deepEqual(pids.map(isAlive), [false, false]);
  assert.equal(existsSync(paths.groups), false);
  await deck.sup.start("a");
  assert.equal(deck.sup.get("a")?.state, "stopped");
});

test("a stop given after a restart of a waiting service wins: commands keep their order", async (t) => {
  const deck = startDeck(t, [
    makeSpec("web", fixtureCmd("sleeper"), { dependsOn: ["db"] }),
    makeSpec("db", fixtureCmd("ready-on-signal"), { autostart: false, ready: READY }),
  ]);
  await deck.sup.start("web");
  assert.equal(deck.sup.get("web")?.reason, "waiting for db");
  await Promise.all([deck.sup.restart("web"), deck.sup.stop("web")]);
  assert.equal(deck.sup.get("web")?.state, "stopped");
});
