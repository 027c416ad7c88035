// Losing the connection: a banner, a reconnect by itself, each log resumed without duplicates or holes.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page, WebSocketRoute } from "playwright-core";
import { startConsole } from "../helpers/console.ts";
import { waitUntil } from "../helpers/wait.ts";
import { useBrowser, openConsolePage } from "./helpers/browser.ts";
import { fixtureCmd, runningPid, startDeck, waitForLine } from "./helpers/deck.ts";

const browser = useBrowser();

// Few enough lines that the whole log fits on the page: every row is in the DOM.
const YAML = `services:\n  web:\n    cmd: ${fixtureCmd("ui-app.mjs", 10, 5)}\n    ready: { log: "^ready$" }\n`;
// The backoff may have grown while the console was down; the page still gets there by itself.
const RECONNECT_TIMEOUT_MS = 25_000;

async function rowTexts(page: Page): Promise<string[]> {
  return page.locator(".row").allTextContents();
}

function countOf(texts: string[], text: string): number {
  return texts.filter((t) => t === text).length;
}

async function seqs(page: Page): Promise<number[]> {
  const values = await page.locator(".row[data-seq]").evaluateAll((rows) => rows.map((r) => Number((r as unknown as { dataset: Record<string, string> }).dataset["seq"])));
  return values;
}

test("after the console restarts the page shows a banner, reconnects by itself and shows each line once", async (t) => {
  const first = await startConsole(YAML);
  t.after(() => first.close());
  await waitForLine(first, "web", "ready");
  const { page, errors } = await openConsolePage(t, browser(), first.url);
  await page.locator('.service[data-service="web"] .service-pick').click();
  await page.locator(".row", { hasText: /^ready$/ }).waitFor();

  await first.close();
  const banner = page.getByTestId("connection-banner");
  await banner.waitFor();
  await page.waitForFunction("document.title.startsWith('⚠ disconnected')");

  const second = await startDeck(t, null, { dir: first.dir, args: ["-p", new URL(first.url).port] });
  const pid = await runningPid(second, "web");
  await banner.waitFor({ state: "detached", timeout: RECONNECT_TIMEOUT_MS });
  await page.locator(".row.system", { hasText: `(pid ${pid})` }).waitFor();
  await page.locator(".row", { hasText: /^ready$/ }).waitFor();

  const texts = await rowTexts(page);
  for (let i = 1; i <= 10; i++) assert.equal(countOf(texts, `boot ${i}`), 1, `boot ${i} once`);
  assert.equal(countOf(texts, "ready"), 1);
  assert.equal(texts.filter((t) => t.includes("started")).length, 1, "only the new console's start");
  const shown = await seqs(page);
  assert.equal(new Set(shown).size, shown.length, "no seq twice");
  assert.ok(errors.every((e) => /WebSocket|ERR_CONNECTION_REFUSED/.test(e)), errors.join("\n"));
});

test("a dropped log channel resumes from the last seq: the lines printed meanwhile arrive once, none missing", async (t) => {
  const deck = await startDeck(t, YAML);
  await waitForLine(deck, "web", "ready");
  const pid = await runningPid(deck, "web");
  const urls: string[] = [];
  const open: WebSocketRoute[] = [];
  let isRefusing = false;
  const { page } = await openConsolePage(t, browser(), deck.url, {
    beforeLoad: (p) =>
      p.routeWebSocket(/\/ws\/logs/, (ws) => {
        urls.push(ws.url());
        if (isRefusing) return void ws.close();
        ws.connectToServer();
        open.push(ws);
      }),
  });
  await page.locator('.service[data-service="web"] .service-pick').click();
  await page.locator(".row", { hasText: /^ready$/ }).waitFor();
  const lastSeq = Math.max(...(await seqs(page)));

  isRefusing = true;
  await open[0]?.close();
  await waitUntil(() => urls.length >= 2, { message: "a reconnect attempt" });
  process.kill(pid, "SIGUSR2"); // five lines while the page is away
  await waitForLine(deck, "web", "talk 5");
  isRefusing = false;
  await page.locator(".row", { hasText: /^talk 5$/ }).waitFor({ timeout: RECONNECT_TIMEOUT_MS });

  const resumed = urls[urls.length - 1] ?? "";
  assert.match(resumed, new RegExp(`since=web:${lastSeq}(&|$)`));
  assert.match(resumed, /instance=[^&]+/);
  const texts = await rowTexts(page);
  for (let i = 1; i <= 5; i++) assert.equal(countOf(texts, `talk ${i}`), 1, `talk ${i} once`);
  const shown = await seqs(page);
  assert.deepEqual(shown, Array.from({ length: shown.length }, (_, i) => i + 1), "seqs 1…N, each once, none missing");
});
