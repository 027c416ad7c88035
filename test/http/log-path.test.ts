// The log path end to end under load: pipe → splitter → ring → batcher → socket, checked seq by seq.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { LogsChannelMsg } from "../../shared/protocol.ts";
import type { LogLine } from "../../shared/service.ts";
import { connectWs } from "../helpers/ws.ts";
import { waitUntil } from "../helpers/wait.ts";
import { service, startDeck } from "./harness.ts";

type Msg = LogsChannelMsg;

function linesOf(messages: readonly Msg[]): LogLine[] {
  return messages.flatMap((m) => (m.type === "lines" ? m.lines : []));
}

/** Seqs of every line and gap in arrival order must be 1, 2, 3 … with nothing twice and nothing skipped. */
function assertEverySeqOnce(messages: readonly Msg[]): void {
  let expected = 1;
  for (const m of messages) {
    if (m.type === "gap") assert.fail(`unexpected gap ${m.from}–${m.to}`);
    if (m.type !== "lines") continue;
    for (const l of m.lines) assert.equal(l.seq, expected++, "no duplicate, no hole");
  }
}

test("a child that writes 50,000 lines and exits at once: every line reaches the client, in order, before the exit line", async (t) => {
  const total = 50_000;
  // A ring bigger than the burst: whatever the client's pace, nothing may be missing but what the pipe lost.
  const deck = await startDeck(t, [service("burst", "burst-exit.mjs", [String(total)], { ready: null })], { buffer: total + 100 });
  const client = await connectWs<Msg>(`${deck.url}ws/logs?service=burst`);
  t.after(() => client.close());
  await client.waitFor((m) => m.type === "live");
  await deck.supervisor.start("burst");
  const isExitLine = (l: LogLine) => l.stream === "system" && l.text.startsWith("exited");
  await waitUntil(() => linesOf(client.messages).some(isExitLine), { message: "the exit line", timeoutMs: 20_000 });

  assertEverySeqOnce(client.messages);
  const lines = linesOf(client.messages);
  const output = lines.filter((l) => l.stream === "stdout").map((l) => l.text);
  assert.equal(output.length, total, "every line written before the exit");
  assert.deepEqual(output.slice(0, 2), ["line 1", "line 2"]);
  assert.ok(output.every((text, i) => text === `line ${i + 1}`), "in the order written");
  assert.equal(lines.findIndex(isExitLine), lines.length - 1, "the exit line comes last");
  assert.equal(lines[lines.length - 1]?.text, "exited with code 0");
});

test("many clients of one flooding service each get every seq exactly once, in order (batches encoded once, shared)", async (t) => {
  const total = 30_000;
  const deck = await startDeck(t, [service("flood", "deck-flood.mjs", [String(total), "100"], { ready: null })], { buffer: total + 100 });
  const clients = await Promise.all(Array.from({ length: 8 }, () => connectWs<Msg>(`${deck.url}ws/logs?service=flood`)));
  t.after(() => clients.forEach((c) => c.close()));
  await Promise.all(clients.map((c) => c.waitFor((m) => m.type === "live")));
  await deck.supervisor.start("flood");
  const hasAll = (c: (typeof clients)[number]) => linesOf(c.messages).some((l) => l.text === "flood done");
  await waitUntil(() => clients.every(hasAll), { message: "every client to get the whole flood", timeoutMs: 20_000 });

  for (const c of clients) {
    assertEverySeqOnce(c.messages);
    const output = linesOf(c.messages).filter((l) => l.text.startsWith("flood "));
    assert.equal(output.length, total + 1, "all lines and `flood done`");
    assert.ok(output.every((l, i) => i === total || l.text.startsWith(`flood ${i + 1} `)), "in the order written");
  }
});
