import { test } from "node:test";
import assert from "node:assert/strict";
import type { Socket } from "node:net";
import type { WebSocket } from "ws";
import type { LogsChannelMsg } from "../../shared/protocol.ts";
import { BATCH_MAX_BYTES, SOCKET_HIGH_WATER_BYTES } from "../../server/http/batcher.ts";
import { connectWs } from "../helpers/ws.ts";
import { waitUntil } from "../helpers/wait.ts";
import { service, startDeck } from "./harness.ts";

type Msg = LogsChannelMsg;

// ws keeps the TCP socket private; pausing it is how a client "stops reading".
function tcpOf(ws: WebSocket): Socket {
  return (ws as unknown as { _socket: Socket })._socket;
}

/** Walks lines and gaps: each seq must come exactly once, in order. Returns the last seq covered. */
function coverage(messages: readonly Msg[]): { last: number; gaps: number; lines: number } {
  let expected = 1;
  let gaps = 0;
  let lines = 0;
  for (const m of messages) {
    if (m.type === "gap") {
      assert.equal(m.from, expected, "a gap starts where the previous message ended");
      assert.ok(m.to >= m.from);
      expected = m.to + 1;
      gaps++;
    } else if (m.type === "lines") {
      for (const line of m.lines) assert.equal(line.seq, expected++, "no duplicate, no hole");
      lines += m.lines.length;
    }
  }
  return { last: expected - 1, gaps, lines };
}

const hasDone = (messages: readonly Msg[]) => messages.some((m) => m.type === "lines" && m.lines.some((l) => l.text === "flood done"));

test("a stalled client costs bounded memory, gets a gap for what the ring lost, and never holds back another client", async (t) => {
  const total = 300_000;
  const deck = await startDeck(t, [service("flood", "deck-flood.mjs", [String(total), "100"], { ready: null })], { buffer: 5_000 });
  const stalled = await connectWs<Msg>(`${deck.url}ws/logs?service=flood`);
  const steady = await connectWs<Msg>(`${deck.url}ws/logs?service=flood`);
  t.after(() => {
    stalled.ws.terminate();
    steady.close();
  });
  await stalled.waitFor((m) => m.type === "live");
  await steady.waitFor((m) => m.type === "live");
  tcpOf(stalled.ws).pause();

  // Sample what devdeck holds for its clients each time lines are appended.
  let maxBuffered = 0;
  const log = deck.supervisor.logs.get("flood");
  assert.ok(log);
  const off = log.subscribe(() => {
    for (const socket of deck.app.websocketServer.clients) maxBuffered = Math.max(maxBuffered, socket.bufferedAmount);
  });
  t.after(off);
  await deck.supervisor.start("flood");

  await waitUntil(() => hasDone(steady.messages), { message: "the steady client to get the whole flood", timeoutMs: 25_000 });
  assert.ok(!hasDone(stalled.messages), "the stalled client is still stalled");
  assert.ok(maxBuffered >= SOCKET_HIGH_WATER_BYTES, `backpressure engaged (max buffered ${maxBuffered})`);
  assert.ok(maxBuffered <= SOCKET_HIGH_WATER_BYTES + 2 * BATCH_MAX_BYTES, `devdeck kept at most ${maxBuffered} bytes for a client`);
  assert.equal(coverage(steady.messages).last, log.lastSeq);

  tcpOf(stalled.ws).resume();
  await waitUntil(() => hasDone(stalled.messages), { message: "the stalled client to catch up", timeoutMs: 25_000 });
  const seen = coverage(stalled.messages);
  assert.equal(seen.last, log.lastSeq, "lines and gaps cover every seq");
  assert.ok(seen.gaps >= 1, "what the ring overwrote is announced as a gap");
  assert.ok(seen.lines < total, `the stalled client was not sent everything (${seen.lines} lines)`);
});
