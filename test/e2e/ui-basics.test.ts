// Keyboard, narrow screens, light and dark, copying, downloading and clearing the log.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { computedStyle, useBrowser, openConsolePage } from "./helpers/browser.ts";
import { fixtureCmd, runningPid, startDeck, waitForLine, waitForState } from "./helpers/deck.ts";

const browser = useBrowser();

const appConfig = (names: string[], boot = 5) =>
  `services:\n${names.map((n) => `  ${n}:\n    cmd: ${fixtureCmd("ui-app.mjs", boot)}\n    ready: { log: "^ready$" }\n`).join("")}`;

const selectedName = (page: Page) => page.locator('.service[aria-current="true"]').getAttribute("data-service");

test("the merged view colours each service's name; j and k move between services, r restarts the selected one, ? opens the help and Escape closes it", async (t) => {
  const deck = await startDeck(t, appConfig(["api", "web"]));
  const { page } = await openConsolePage(t, browser(), deck.url);
  await page.locator('.badge[data-state="running"]').nth(1).waitFor();
  const body = page.locator("body");
  assert.equal(await selectedName(page), "*");
  // The merged view names each line's service, each in its own colour.
  const nameColor = async (name: string) => computedStyle(page.locator(".row .svc", { hasText: new RegExp(`^${name}$`) }).first(), "color");
  await page.locator(".row .svc", { hasText: /^api$/ }).first().waitFor();
  await page.locator(".row .svc", { hasText: /^web$/ }).first().waitFor();
  assert.notEqual(await nameColor("api"), await nameColor("web"));
  await body.press("j");
  assert.equal(await selectedName(page), "api");
  await body.press("j");
  assert.equal(await selectedName(page), "web");
  await body.press("k");
  assert.equal(await selectedName(page), "api");
  assert.equal(await page.locator(".log-title h2").textContent(), "api");

  await body.press("r");
  await page.locator('.service[data-service="api"] .service-facts').getByText("1 restart").waitFor();
  assert.equal(await page.locator('.service[data-service="web"] .service-facts').getByText("restart").count(), 0);

  await body.press("?");
  const help = page.getByRole("dialog", { name: "keyboard shortcuts" });
  await help.waitFor();
  await body.press("Escape");
  await help.waitFor({ state: "detached" });
  await waitForState(deck, "api", "running");
});

test("at tablet width the service list collapses behind a toggle, and picking a service closes it", async (t) => {
  const deck = await startDeck(t, appConfig(["api", "web"]));
  const { page } = await openConsolePage(t, browser(), deck.url, { width: 768, height: 1024 });
  const list = page.locator(".service-list");
  const toggle = page.locator(".list-toggle");
  await toggle.getByText("All services · 2 services").waitFor();
  assert.equal(await list.isVisible(), false);
  assert.ok(((await page.locator(".log-scroll").boundingBox())?.width ?? 0) >= 760, "the log gets the width");
  await toggle.click();
  await list.waitFor({ state: "visible" });
  await page.locator('.service[data-service="web"] .service-pick').click();
  await list.waitFor({ state: "hidden" });
  await toggle.getByText("web · 2 services").waitFor();
});

test("the page is dark when the system is dark and light when it is light", async (t) => {
  const deck = await startDeck(t, appConfig(["web"]));
  const luminance = async (scheme: "light" | "dark") => {
    const { page } = await openConsolePage(t, browser(), deck.url, { colorScheme: scheme });
    const [r = 0, g = 0, b = 0] = ((await computedStyle(page.locator("body"), "backgroundColor")).match(/\d+/g) ?? []).map(Number);
    return (r + g + b) / 3;
  };
  assert.ok((await luminance("dark")) < 80);
  assert.ok((await luminance("light")) > 200);
});

test("a range of rows copies as text, the buffered log downloads, and clear empties the view while lines keep coming", async (t) => {
  const deck = await startDeck(t, appConfig(["web"]));
  await waitForLine(deck, "web", "ready");
  const pid = await runningPid(deck, "web");
  const { page } = await openConsolePage(t, browser(), deck.url, { permissions: ["clipboard-read", "clipboard-write"] });
  await page.locator('.service[data-service="web"] .service-pick').click();
  await page.locator(".row", { hasText: /^boot 2$/ }).click();
  await page.locator(".row", { hasText: /^boot 4$/ }).click({ modifiers: ["Shift"] });
  assert.equal(await page.locator(".row.selected").count(), 3);
  await page.getByRole("button", { name: "Copy 3 rows" }).click();
  assert.equal(await page.evaluate("navigator.clipboard.readText()"), "boot 2\nboot 3\nboot 4");

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download" }).click()]);
  assert.match(download.suggestedFilename(), /^devdeck-web-.*\.log$/);
  const text = await readFile((await download.path()) ?? "", "utf8");
  assert.match(text, /Z \[stderr\] warning: this line is on stderr\n/);
  assert.match(text, /Z ERROR in red then plain\n/, "escape codes removed");
  assert.match(text, /Z ready\n/);

  await page.getByRole("button", { name: "Clear" }).click();
  await page.getByText("No output yet.").waitFor();
  assert.equal(await page.locator(".row").count(), 0);
  process.kill(pid, "SIGUSR2");
  await page.locator(".row", { hasText: /^talk 1$/ }).waitFor();
  assert.equal(await page.locator(".row").count(), 1, "cleared lines stay cleared");
});

// Stands in for the browser's Notification: records what the page would show.
const FAKE_NOTIFICATION = `
  window.__notes = [];
  window.Notification = class {
    static permission = "granted";
    static requestPermission() { return Promise.resolve("granted"); }
    constructor(title, options) { window.__notes.push(title + ": " + (options && options.body)); }
  };
`;

test("crash notifications stay off until turned on, then announce a crash, and the choice is remembered", async (t) => {
  const deck = await startDeck(t, appConfig(["api", "web"]).replaceAll('ready: { log: "^ready$" }', 'ready: { log: "^ready$" }\n    restart: "no"'));
  const apiPid = await runningPid(deck, "api");
  const webPid = await runningPid(deck, "web");
  const { page } = await openConsolePage(t, browser(), deck.url, { beforeLoad: (p) => p.addInitScript(FAKE_NOTIFICATION) });
  const notify = page.getByRole("button", { name: "Notify" });
  assert.equal(await notify.getAttribute("aria-pressed"), "false");
  process.kill(apiPid, "SIGUSR1");
  await page.locator('.service[data-service="api"] .badge[data-state="crashed"]').waitFor();

  await notify.click();
  await page.locator('button.toggle[aria-pressed="true"]', { hasText: "Notify" }).waitFor();
  process.kill(webPid, "SIGUSR1");
  await page.locator('.service[data-service="web"] .badge[data-state="crashed"]').waitFor();
  await page.waitForFunction("window.__notes.length > 0");
  assert.deepEqual(await page.evaluate("window.__notes"), ["web crashed: exited with code 3"]);

  await page.reload();
  await page.locator('button.toggle[aria-pressed="true"]', { hasText: "Notify" }).waitFor();
});

test("a read-only console shows every state but offers no start, stop or restart", async (t) => {
  const deck = await startDeck(t, appConfig(["web"]), { args: ["--read-only"] });
  const { page } = await openConsolePage(t, browser(), deck.url);
  await page.locator('.service[data-service="web"] .badge[data-state="running"]').waitFor();
  await page.locator(".topbar .note", { hasText: "read-only" }).waitFor();
  assert.equal(await page.locator("button[data-action]").count(), 0);
  assert.equal(await page.getByRole("button", { name: "Restart all" }).count(), 0);
});
