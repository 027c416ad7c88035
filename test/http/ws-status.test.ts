import { test } from "node:test";
import assert from "node:assert/strict";
import type { StatusChannelMsg } from "../../shared/protocol.ts";
import type { ServiceState } from "../../shared/service.ts";
import { connectWs, type RecordingSocket } from "../helpers/ws.ts";
import { pidOf, service, startDeck } from "./harness.ts";

type Client = RecordingSocket<StatusChannelMsg>;

/** States the channel reported for `name`, in order. */
function statesOf(client: Client, name: string): ServiceState[] {
  return client.messages.flatMap((m) => (m.type === "status" && m.service.name === name ? [m.service.state] : []));
}

const reaches = (name: string, state: ServiceState, extra: (m: StatusChannelMsg) => boolean = () => true) => (m: StatusChannelMsg) =>
  m.type === "status" && m.service.name === name && m.service.state === state && extra(m);

async function post(url: string, path: string): Promise<number> {
  return (await fetch(new URL(path, url), { method: "POST" })).status;
}

test("a status client gets the snapshot first, then every change of start, restart and stop", async (t) => {
  const deck = await startDeck(t, [service("web", "deck-talk.mjs"), service("idle", "deck-talk.mjs")]);
  const client = await connectWs<StatusChannelMsg>(`${deck.url}ws/status`);
  t.after(() => client.close());
  const snapshot = await client.waitFor((m) => m.type === "snapshot");
  assert.deepEqual(client.messages[0], snapshot);
  assert.equal(snapshot.type === "snapshot" && snapshot.instance, deck.supervisor.instance);
  assert.deepEqual(snapshot.type === "snapshot" && snapshot.services.map((s) => [s.name, s.state]), [["web", "stopped"], ["idle", "stopped"]]);

  assert.equal(await post(deck.url, "/api/services/web/start"), 202);
  await client.waitFor(reaches("web", "running"));
  assert.deepEqual(statesOf(client, "web").slice(0, 2), ["starting", "running"]);

  assert.equal(await post(deck.url, "/api/services/web/restart"), 202);
  const restarted = await client.waitFor(reaches("web", "running", (m) => m.type === "status" && m.service.restarts === 1));
  assert.equal(restarted.type === "status" && restarted.service.pid, pidOf(deck, "web"));
  assert.ok(statesOf(client, "web").includes("stopping"));

  const before = client.messages.length;
  assert.equal(await post(deck.url, "/api/services/web/stop"), 202);
  await client.waitFor(reaches("web", "stopped"));
  const stopping = client.messages.slice(before).flatMap((m) => (m.type === "status" ? [m.service.state] : []));
  assert.deepEqual([stopping[0], stopping[stopping.length - 1]], ["stopping", "stopped"]);
  assert.deepEqual(statesOf(client, "idle"), []);
});

test("a crash reaches the status channel with its exit code", async (t) => {
  const deck = await startDeck(t, [service("fragile", "deck-talk.mjs")]);
  const client = await connectWs<StatusChannelMsg>(`${deck.url}ws/status`);
  t.after(() => client.close());
  await deck.supervisor.start("fragile");
  await client.waitFor(reaches("fragile", "running"));
  process.kill(pidOf(deck, "fragile"), "SIGUSR1");
  const crashed = await client.waitFor(reaches("fragile", "crashed"));
  assert.equal(crashed.type === "status" && crashed.service.exitCode, 3);
});

test("every status client hears the same change", async (t) => {
  const deck = await startDeck(t, [service("web", "deck-talk.mjs")]);
  const a = await connectWs<StatusChannelMsg>(`${deck.url}ws/status`);
  const b = await connectWs<StatusChannelMsg>(`${deck.url}ws/status`);
  t.after(() => {
    a.close();
    b.close();
  });
  await deck.supervisor.start("web");
  await a.waitFor(reaches("web", "running"));
  await b.waitFor(reaches("web", "running"));
  assert.deepEqual(statesOf(a, "web"), statesOf(b, "web"));
});
