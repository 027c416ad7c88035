// Readiness: `starting` until the probe passes, then `running` with ready=true; no probe: running once spawned.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import type { ServiceStatus } from "../../shared/service.ts";
import { listeningInodes } from "../../server/supervisor/port-owner.ts";
import { fixtureCmd, makeSpec, startDeck } from "./harness.ts";
import { releasedPort } from "../helpers/ports.ts";

/** States the service went through, with `ready`. */
function states(history: ServiceStatus[], name: string): string[] {
  return history.filter((s) => s.name === name).map((s) => `${s.state}${s.ready ? "+ready" : ""}`);
}

test("ready.log: starting until a line matches, then running", async (t) => {
  const deck = startDeck(t, [makeSpec("env", fixtureCmd("echo-env", "HOME"), { ready: { log: /^rea(dy)$/g, port: null, http: null } })]);
  await deck.sup.start("env");
  await deck.waitState("env", "running");
  assert.deepEqual(states(deck.history, "env"), ["starting", "running+ready"]);
  // The line that made it ready is already in the log when the state changes.
  assert.ok(deck.texts("env", "stdout").includes("ready"));
});

test("ready.port: running once the port accepts connections", async (t) => {
  const port = await releasedPort();
  const deck = startDeck(t, [makeSpec("web", fixtureCmd("http-server", "300"), { port, ready: { log: null, port, http: null } })]);
  let isListeningAtRunning: boolean | null = null;
  deck.sup.onStatus((s) => {
    if (s.state === "running") isListeningAtRunning = listeningInodes(readFileSync("/proc/net/tcp", "utf8"), port).length > 0;
  });
  await deck.sup.start("web");
  assert.equal(deck.sup.get("web")?.state, "starting");
  await deck.waitState("web", "running");
  assert.deepEqual(states(deck.history, "web"), ["starting", "running+ready"]);
  assert.equal(isListeningAtRunning, true);
});

test("ready.http: running once the URL answers, whatever the status (404 here)", async (t) => {
  const port = await releasedPort();
  const deck = startDeck(t, [makeSpec("web", fixtureCmd("http-server", "300"), { port, ready: { log: null, port: null, http: `http://127.0.0.1:${port}/health` } })]);
  await deck.sup.start("web");
  assert.equal(deck.sup.get("web")?.state, "starting");
  await deck.waitState("web", "running");
  assert.deepEqual(states(deck.history, "web"), ["starting", "running+ready"]);
});

test("without a probe a service is running with ready=true as soon as it has spawned", async (t) => {
  const deck = startDeck(t, [makeSpec("plain", fixtureCmd("sleeper"))]);
  await deck.sup.start("plain");
  const status = deck.sup.get("plain");
  assert.equal(status?.state, "running");
  assert.equal(status?.ready, true);
  assert.ok(status?.pid);
  assert.deepEqual(states(deck.history, "plain"), ["running+ready"]);
});

test("a service that exits before its probe passes is never `running`", async (t) => {
  const deck = startDeck(t, [makeSpec("crashy", fixtureCmd("crash"), { ready: { log: /never/, port: null, http: null } })]);
  await deck.sup.start("crashy");
  await deck.waitState("crashy", "crashed");
  assert.deepEqual(states(deck.history, "crashy"), ["starting", "crashed"]);
});
