import { test } from "node:test";
import assert from "node:assert/strict";
import type { LogsChannelMsg } from "../../shared/protocol.ts";
import type { LogLine } from "../../shared/service.ts";
import { connectWs, upgradeStatus } from "../helpers/ws.ts";
import { waitUntil } from "../helpers/wait.ts";
import { pidOf, service, startAndWait, startDeck } from "./harness.ts";

type Msg = LogsChannelMsg;

function linesOf(messages: readonly Msg[], name?: string): LogLine[] {
  return messages.flatMap((m) => (m.type === "lines" && (name === undefined || m.service === name) ? m.lines : []));
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

const isLive = (name: string) => (m: Msg) => m.type === "live" && m.service === name;

test("replays the buffered lines, then sends live, then new lines in seq order", async (t) => {
  const deck = await startDeck(t, [service("talk", "deck-talk.mjs", ["5"])]);
  await startAndWait(deck, "talk");
  const log = deck.supervisor.logs.get("talk");
  assert.ok(log);
  const replayEnd = log.lastSeq;
  const client = await connectWs<Msg>(`${deck.url}ws/logs?service=talk`);
  t.after(() => client.close());
  await client.waitFor(isLive("talk"));
  const liveAt = client.messages.findIndex(isLive("talk"));
  const replayed = linesOf(client.messages.slice(0, liveAt));
  assert.deepEqual(replayed.map((l) => l.seq), range(1, replayEnd));
  assert.deepEqual(replayed.filter((l) => l.stream === "stdout").map((l) => l.text), ["boot 1", "boot 2", "boot 3", "boot 4", "boot 5", "ready"]);

  process.kill(pidOf(deck, "talk"), "SIGUSR2");
  await waitUntil(() => linesOf(client.messages).some((l) => l.text === "talk 1"), { message: "the live line" });
  const after = linesOf(client.messages.slice(liveAt + 1));
  assert.deepEqual(after.map((l) => l.text), ["talk 1"]);
  assert.equal(after[0]?.seq, replayEnd + 1);
  assert.equal(client.messages.filter((m) => m.type === "live").length, 1);
});

test("a client that reconnects with since = its last seq gets exactly the lines it missed", async (t) => {
  const deck = await startDeck(t, [service("talk", "deck-talk.mjs", ["3"])]);
  await startAndWait(deck, "talk");
  const first = await connectWs<Msg>(`${deck.url}ws/logs?service=talk`);
  await first.waitFor(isLive("talk"));
  const seen = linesOf(first.messages);
  const lastSeen = seen[seen.length - 1]?.seq ?? 0;
  first.close();

  const log = deck.supervisor.logs.get("talk");
  assert.ok(log);
  for (let i = 1; i <= 3; i++) {
    process.kill(pidOf(deck, "talk"), "SIGUSR2");
    await waitUntil(() => log.lastSeq === lastSeen + i, { message: `line ${i} stored` });
  }
  const second = await connectWs<Msg>(`${deck.url}ws/logs?service=talk&since=${lastSeen}&instance=${deck.supervisor.instance}`);
  t.after(() => second.close());
  await second.waitFor(isLive("talk"));
  const missed = linesOf(second.messages);
  assert.deepEqual(missed.map((l) => l.seq), range(lastSeen + 1, lastSeen + 3));
  assert.deepEqual(missed.map((l) => l.text), ["talk 1", "talk 2", "talk 3"]);
  assert.ok(!second.messages.some((m) => m.type === "reset" || m.type === "gap"));
});

test("lines the ring overwrote before the client asked are announced as a gap before the rest", async (t) => {
  const deck = await startDeck(t, [service("talk", "deck-talk.mjs", ["30"])], { buffer: 10 });
  await startAndWait(deck, "talk");
  const log = deck.supervisor.logs.get("talk");
  assert.ok(log);
  const { firstSeq, lastSeq } = log;
  assert.ok(firstSeq > 6, "the ring has overwritten lines");

  const fromStart = await connectWs<Msg>(`${deck.url}ws/logs?service=talk`);
  t.after(() => fromStart.close());
  await fromStart.waitFor(isLive("talk"));
  assert.deepEqual(fromStart.messages[0], { type: "gap", service: "talk", from: 1, to: firstSeq - 1 });
  assert.deepEqual(linesOf(fromStart.messages).map((l) => l.seq), range(firstSeq, lastSeq));

  const resumed = await connectWs<Msg>(`${deck.url}ws/logs?service=talk&since=5`);
  t.after(() => resumed.close());
  await resumed.waitFor(isLive("talk"));
  assert.deepEqual(resumed.messages[0], { type: "gap", service: "talk", from: 6, to: firstSeq - 1 });
});

test("service=* replays each service after its own since and sends one live per service", async (t) => {
  const deck = await startDeck(t, [service("a", "deck-talk.mjs", ["3"]), service("b", "deck-talk.mjs", ["2"])]);
  await startAndWait(deck, "a");
  await startAndWait(deck, "b");
  const client = await connectWs<Msg>(`${deck.url}ws/logs?service=*&since=a:2,b:0`);
  t.after(() => client.close());
  await client.waitFor(isLive("a"));
  await client.waitFor(isLive("b"));
  const lastA = deck.supervisor.logs.get("a")?.lastSeq ?? 0;
  const lastB = deck.supervisor.logs.get("b")?.lastSeq ?? 0;
  assert.deepEqual(linesOf(client.messages, "a").map((l) => l.seq), range(3, lastA));
  assert.deepEqual(linesOf(client.messages, "b").map((l) => l.seq), range(1, lastB));
  assert.equal(client.messages.filter((m) => m.type === "live").length, 2);
});

test("a client of another instance gets one reset, then the replay from the start", async (t) => {
  const deck = await startDeck(t, [service("talk", "deck-talk.mjs", ["2"])]);
  await startAndWait(deck, "talk");
  const client = await connectWs<Msg>(`${deck.url}ws/logs?service=talk&since=999&instance=an-older-console`);
  t.after(() => client.close());
  await client.waitFor(isLive("talk"));
  assert.deepEqual(client.messages[0], { type: "reset", instance: deck.supervisor.instance });
  assert.equal(client.messages.filter((m) => m.type === "reset").length, 1);
  assert.equal(linesOf(client.messages)[0]?.seq, 1);
});

test("a since beyond the newest line still delivers every later line", async (t) => {
  const deck = await startDeck(t, [service("talk", "deck-talk.mjs")]);
  await startAndWait(deck, "talk");
  const log = deck.supervisor.logs.get("talk");
  assert.ok(log);
  const client = await connectWs<Msg>(`${deck.url}ws/logs?service=talk&since=${log.lastSeq + 50}`);
  t.after(() => client.close());
  await client.waitFor(isLive("talk"));
  process.kill(pidOf(deck, "talk"), "SIGUSR2");
  const msg = await client.waitFor((m) => m.type === "lines");
  assert.equal(msg.type === "lines" && msg.lines[0]?.text, "talk 1");
});

test("upgrades are refused: unknown service 404, malformed since 400, no service 400", async (t) => {
  const deck = await startDeck(t, [service("talk", "deck-talk.mjs")]);
  assert.equal(await upgradeStatus(`${deck.url}ws/logs?service=nope`), 404);
  assert.equal(await upgradeStatus(`${deck.url}ws/logs?service=talk&since=abc`), 400);
  assert.equal(await upgradeStatus(`${deck.url}ws/logs?service=*&since=a:1,b:x`), 400);
  assert.equal(await upgradeStatus(`${deck.url}ws/logs`), 400);
  assert.equal(await upgradeStatus(`${deck.url}ws/logs?service=talk`), 101);
});

test("a burst of lines travels in far fewer messages than lines, every seq once, in order", async (t) => {
  const total = 20_000;
  const deck = await startDeck(t, [service("flood", "deck-flood.mjs", [String(total), "100"], { ready: null })], { buffer: 50_000 });
  const client = await connectWs<Msg>(`${deck.url}ws/logs?service=flood`);
  t.after(() => client.close());
  await client.waitFor(isLive("flood"));
  await deck.supervisor.start("flood");
  await waitUntil(() => linesOf(client.messages).some((l) => l.text === "flood done"), { message: "the whole flood", timeoutMs: 20_000 });
  const lines = linesOf(client.messages);
  assert.deepEqual(lines.map((l) => l.seq), range(1, lines.length));
  assert.equal(lines.filter((l) => l.text.startsWith("flood ")).length, total + 1);
  const batches = client.messages.filter((m) => m.type === "lines").length;
  assert.ok(batches <= total / 50, `${batches} messages for ${total} lines`);
});

test("text from a client is ignored; a binary message closes its socket with 1003", async (t) => {
  const deck = await startDeck(t, [service("talk", "deck-talk.mjs")]);
  await startAndWait(deck, "talk");
  const client = await connectWs<Msg>(`${deck.url}ws/logs?service=talk`);
  t.after(() => client.close());
  await client.waitFor(isLive("talk"));
  client.ws.send("hello?");
  process.kill(pidOf(deck, "talk"), "SIGUSR2");
  await waitUntil(() => linesOf(client.messages).some((l) => l.text === "talk 1"), { message: "a line after the client's text" });
  const closed = new Promise<number>((resolve) => client.ws.once("close", (code) => resolve(code)));
  client.ws.send(Buffer.from([1, 2, 3]));
  assert.equal(await closed, 1003);
});

test("a message above the payload limit closes the socket instead of being buffered", async (t) => {
  const deck = await startDeck(t, [service("talk", "deck-talk.mjs")]);
  const client = await connectWs<Msg>(`${deck.url}ws/logs?service=talk`);
  t.after(() => client.close());
  await client.waitFor(isLive("talk"));
  const closed = new Promise<number>((resolve) => client.ws.once("close", (code) => resolve(code)));
  client.ws.send("x".repeat(64 * 1024));
  assert.equal(await closed, 1009);
});

test("upgrades beyond the connection cap are refused with 503 until one closes", async (t) => {
  const deck = await startDeck(t, [service("talk", "deck-talk.mjs")], { maxConnections: 2 });
  const a = await connectWs<Msg>(`${deck.url}ws/logs?service=talk`);
  const b = await connectWs<Msg>(`${deck.url}ws/status`);
  t.after(() => b.close());
  assert.equal(await upgradeStatus(`${deck.url}ws/logs?service=talk`), 503);
  const closed = new Promise((resolve) => a.ws.once("close", resolve));
  a.close();
  await closed;
  await waitUntil(() => deck.app.websocketServer.clients.size === 1, { message: "the server to drop the closed socket" });
  assert.equal(await upgradeStatus(`${deck.url}ws/logs?service=talk`), 101);
});
