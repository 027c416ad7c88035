// SPEC.md: "A service waiting for its depends_on is `starting` with a null pid"; the UI says what it waits for.
import assert from "node:assert/strict";
import { test } from "node:test";
import { useBrowser, openConsolePage } from "./helpers/browser.ts";
import { fixtureCmd, runningPid, startDeck, statuses, waitForLine, waitForState } from "./helpers/deck.ts";

const browser = useBrowser();

// db prints "pid N" but its ready.log never matches: it stays `starting` and web never starts.
const NEVER_READY = `services:
  db:
    cmd: ${fixtureCmd("sleeper.mjs")}
    ready: { log: "^accepting connections$" }
  web:
    cmd: ${fixtureCmd("ui-app.mjs")}
    ready: { log: "^ready$" }
    depends_on: [db]
`;

test("a service whose dependency never becomes ready shows 'waiting for db' in its row, and the dependency does not", async (t) => {
  const deck = await startDeck(t, NEVER_READY);
  await waitForLine(deck, "db", "ready"); // the sleeper's own word, which is not what db's probe waits for
  const { page, errors } = await openConsolePage(t, browser(), deck.url);
  const web = page.locator('.service[data-service="web"]');
  await web.locator(".service-facts .fact", { hasText: /^waiting for db$/ }).waitFor();
  assert.equal(await web.locator(".badge").getAttribute("data-state"), "starting");
  const db = page.locator('.service[data-service="db"]');
  assert.equal(await db.locator(".badge").getAttribute("data-state"), "starting");
  assert.equal(await db.locator(".fact", { hasText: /waiting/ }).count(), 0);
  const api = await statuses(deck);
  assert.deepEqual(
    api.map((s) => [s.name, s.state, s.pid === null]),
    [
      ["db", "starting", false],
      ["web", "starting", true],
    ],
  );
  assert.deepEqual(errors, []);
});

const READY_ON_SIGNAL = `services:
  db:
    cmd: ${fixtureCmd("ready-on-signal.mjs")}
    ready: { log: "^ready$" }
  web:
    cmd: ${fixtureCmd("ui-app.mjs")}
    ready: { log: "^ready$" }
    depends_on: [db]
`;

test("the waiting reason leaves the row once the dependency is ready and the service starts", async (t) => {
  const deck = await startDeck(t, READY_ON_SIGNAL);
  const { page } = await openConsolePage(t, browser(), deck.url);
  const web = page.locator('.service[data-service="web"]');
  const waiting = web.locator(".service-facts .fact", { hasText: /^waiting for db$/ });
  await waiting.waitFor();
  const dbPid = (await waitForState(deck, "db", "starting")).pid;
  assert.ok(dbPid !== null && dbPid > 0);
  process.kill(dbPid, "SIGUSR1"); // the fixture prints "ready": db's probe matches
  await web.locator('.badge[data-state="running"]').waitFor();
  await waiting.waitFor({ state: "detached" });
  await runningPid(deck, "web");
});
