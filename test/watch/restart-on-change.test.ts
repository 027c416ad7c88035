import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fixtureCmd, makeSpec, startDeck, tempDir } from "../supervisor/harness.ts";
import { waitUntil } from "../helpers/wait.ts";

const changeLines = (texts: string[]) => texts.filter((t) => t.startsWith("change detected in "));

test("an edit of a watched file restarts the service once, naming the file", async (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, "src"));
  writeFileSync(join(dir, "src/app.py"), "v1");
  const deck = startDeck(t, [makeSpec("web", fixtureCmd("sleeper"), { cwd: dir, watch: ["src/**/*.py"] })]);
  await deck.sup.startAll();
  await deck.waitState("web", "running");
  await deck.waitLine("web", (l) => l.startsWith("watching src/**/*.py"));

  // One edit, one restart; a burst (a checkout of many files) is one more; a marker edit one more.
  writeFileSync(join(dir, "src/app.py"), "v2");
  await waitUntil(() => deck.sup.get("web")?.restarts === 1, { message: "the edit's restart" });
  await deck.waitState("web", "running");
  for (let i = 0; i < 100; i++) writeFileSync(join(dir, `src/gen_${i}.py`), String(i));
  await waitUntil(() => deck.sup.get("web")?.restarts === 2, { message: "the burst's restart" });
  await deck.waitState("web", "running");
  writeFileSync(join(dir, "src/marker.py"), "m");
  await waitUntil(() => deck.sup.get("web")?.restarts === 3, { message: "the marker's restart" });

  const changes = changeLines(deck.texts("web", "system"));
  assert.equal(changes.length, 3, changes.join("\n"));
  assert.match(changes[0] ?? "", /src\/app\.py/);
  assert.match(changes[1] ?? "", /src\/gen_0\.py \(\+99 more\)/);
  assert.match(changes[2] ?? "", /src\/marker\.py: restarting$/);
});

test("changes outside the watch globs restart nothing", async (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, "src/__pycache__"), { recursive: true });
  const deck = startDeck(t, [makeSpec("web", fixtureCmd("sleeper"), { cwd: dir, watch: ["src/**/*.py", "!**/__pycache__/**"] })]);
  await deck.sup.startAll();
  await deck.waitState("web", "running");
  await deck.waitLine("web", (l) => l.startsWith("watching "));
  writeFileSync(join(dir, "src/__pycache__/x.py"), "ignored");
  writeFileSync(join(dir, "README.txt"), "not watched");
  writeFileSync(join(dir, "src/real.py"), "watched");
  await waitUntil(() => deck.sup.get("web")?.restarts === 1, { message: "a restart" });
  const changes = changeLines(deck.texts("web", "system"));
  assert.equal(changes.length, 1);
  assert.match(changes[0] ?? "", /^change detected in src\/real\.py/);
});

test("a restart after a stop turns watching back on", async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, "app.py"), "v1");
  const deck = startDeck(t, [makeSpec("web", fixtureCmd("sleeper"), { cwd: dir, watch: ["*.py"] })]);
  await deck.sup.startAll();
  await deck.waitLine("web", (l) => l.startsWith("watching "));
  await deck.sup.stop("web");
  await deck.sup.restart("web");
  await waitUntil(() => deck.texts("web", "system").filter((l) => l.startsWith("watching ")).length === 2, { message: "watching again" });
  const before = deck.sup.get("web")?.restarts ?? 0;
  writeFileSync(join(dir, "app.py"), "v2");
  await waitUntil(() => deck.sup.get("web")?.restarts === before + 1, { message: "the edit's restart" });
});
