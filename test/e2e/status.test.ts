// Service states in the browser: badges, crash panel, tab title and favicon, buttons that act once.
import assert from "node:assert/strict";
import { test } from "node:test";
import { useBrowser, openConsolePage } from "./helpers/browser.ts";
import { fixtureCmd, runningPid, startDeck, waitForState } from "./helpers/deck.ts";

const browser = useBrowser();

const appConfig = (names: string[]) =>
  `services:\n${names.map((n) => `  ${n}:\n    cmd: ${fixtureCmd("ui-app.mjs")}\n    ready: { log: "^ready$" }\n    restart: "no"\n`).join("")}`;

test("a crash turns badge, title and favicon to failing with the reason and stderr; the row's restart button brings it back", async (t) => {
  const deck = await startDeck(t, appConfig(["web"]));
  const { page, errors } = await openConsolePage(t, browser(), deck.url);
  const row = page.locator('.service[data-service="web"]');
  await row.locator('.badge[data-state="running"]').waitFor();
  await page.waitForFunction("document.title.startsWith('✓ 1/1 running')");
  assert.equal(await page.locator("link[rel='icon']").getAttribute("data-health"), "ok");

  const pid = await runningPid(deck, "web");
  process.kill(pid, "SIGUSR1"); // the fixture exits with code 3
  await row.locator('.badge[data-state="crashed"]').waitFor();
  assert.equal(await row.locator(".badge").textContent(), "crashed");
  assert.match((await row.locator(".service-facts").textContent()) ?? "", /exit 3/);
  await page.waitForFunction("document.title.includes('web is failing')");
  assert.equal(await page.locator("link[rel='icon']").getAttribute("data-health"), "failed");
  const card = page.locator('.crash[data-service="web"]');
  await card.getByText("fatal: crashing on request").waitFor();
  assert.match((await card.locator(".crash-reason").textContent()) ?? "", /exited with code 3/);

  await row.locator('button[data-action="restart"]').click();
  await row.locator('.badge[data-state="running"]').waitFor();
  await card.waitFor({ state: "detached" });
  assert.match((await row.locator(".service-facts").textContent()) ?? "", /1 restart/);
  await page.waitForFunction("document.title.startsWith('✓ 1/1 running')");
  assert.deepEqual(errors, []);
});

test("a service that fails its first run stands out with its last stderr line, and the panel's restart starts it", async (t) => {
  const deck = await startDeck(t, `services:\n  worker:\n    cmd: ${fixtureCmd("ui-crash-once.mjs")}\n    restart: "no"\n`);
  const { page } = await openConsolePage(t, browser(), deck.url);
  const card = page.locator('.crash[data-service="worker"]');
  await card.getByText("boom: first run fails").waitFor();
  assert.equal(await page.locator('.service[data-service="worker"] .badge').getAttribute("data-state"), "crashed");
  await card.locator('button[data-action="restart"]').click();
  await page.locator('.service[data-service="worker"] .badge[data-state="running"]').waitFor();
  await card.waitFor({ state: "detached" });
});

test("a restart in flight disables its button and neither a second click nor the r key sends it again", async (t) => {
  const deck = await startDeck(t, appConfig(["web"]));
  const { page } = await openConsolePage(t, browser(), deck.url);
  const row = page.locator('.service[data-service="web"]');
  await row.locator('.badge[data-state="running"]').waitFor();
  let calls = 0;
  let release = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/api/services/web/restart", async (route) => {
    calls++;
    await gate;
    await route.continue();
  });
  await row.locator(".service-pick").click(); // select web: the r key acts on it
  const button = row.locator('button[data-action="restart"]');
  await button.click();
  await row.locator('button[data-action="restart"][aria-busy="true"]').waitFor();
  assert.equal(await button.isDisabled(), true);
  assert.equal(await button.textContent(), "Restarting…");
  await button.click({ force: true });
  await page.locator("body").press("r");
  release();
  await row.locator('button[data-action="restart"]:not([aria-busy="true"])').waitFor();
  assert.equal(calls, 1);
  await waitForState(deck, "web", "running");
});

test("restart all restarts every service", async (t) => {
  const deck = await startDeck(t, appConfig(["api", "web"]));
  const { page } = await openConsolePage(t, browser(), deck.url);
  await page.locator('.badge[data-state="running"]').nth(1).waitFor();
  await page.getByRole("button", { name: "Restart all" }).click();
  for (const name of ["api", "web"]) {
    const row = page.locator(`.service[data-service="${name}"]`);
    await row.locator(".service-facts").getByText("1 restart").waitFor();
    await row.locator('.badge[data-state="running"]').waitFor();
  }
  await waitForState(deck, "web", "running");
});
