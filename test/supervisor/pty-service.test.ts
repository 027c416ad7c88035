import { test } from "node:test";
import assert from "node:assert/strict";
import { fixtureCmd, makeSpec, startDeck } from "./harness.ts";

test("a pty: true service loses none of 50,000 lines printed just before process.exit()", async (t) => {
  const deck = startDeck(t, [makeSpec("tty", fixtureCmd("flood-exit", "50000", "4"), { pty: true })]);
  assert.equal(deck.sup.get("tty")?.pty, true);
  // The ring keeps only the last lines: count them as they arrive.
  const out: string[] = [];
  deck.sup.logs.get("tty")?.onLine((line) => {
    if (line.stream === "stdout") out.push(line.text);
  });
  await deck.sup.startAll();
  const crashed = await deck.waitState("tty", "crashed", 30_000);
  assert.equal(crashed.exitCode, 4);
  assert.equal(out.length, 50_000);
  assert.ok(out.every((text, i) => text === `line ${i + 1}`), "lines in order");
});

test("a pty: true service runs in a terminal, with stderr on the one stdout stream", async (t) => {
  const deck = startDeck(t, [makeSpec("tty", fixtureCmd("tty-info"), { pty: true, color: false })]);
  await deck.sup.startAll();
  await deck.waitState("tty", "exited");
  const out = deck.texts("tty", "stdout");
  assert.ok(out.includes("tty stdin=true stdout=true stderr=true"), out.join("\n"));
  assert.ok(out.includes("from stderr"));
  assert.deepEqual(deck.texts("tty", "stderr"), []);
});
