// How log lines look: ANSI colours without escape codes, hostile HTML as text, links, streams, gaps.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { computedStyle, useBrowser, openConsolePage, scrollLogTo } from "./helpers/browser.ts";
import { fixtureCmd, startDeck, waitForLine } from "./helpers/deck.ts";

const browser = useBrowser();

const APP = `services:\n  web:\n    cmd: ${fixtureCmd("ui-app.mjs")}\n    ready: { log: "^ready$" }\n`;

async function openWebLog(t: Parameters<typeof startDeck>[0], yaml = APP): Promise<{ page: Page; errors: string[] }> {
  const deck = await startDeck(t, yaml);
  await waitForLine(deck, "web", "ready");
  const opened = await openConsolePage(t, browser(), deck.url);
  await opened.page.locator('.service[data-service="web"] .service-pick').click();
  await opened.page.locator(".row", { hasText: /^ready$/ }).waitFor();
  return opened;
}

test("ANSI red text is rendered red and no escape code shows", async (t) => {
  const { page, errors } = await openWebLog(t);
  const row = page.locator(".row", { hasText: "ERROR in red" });
  assert.equal(await row.locator(".text").textContent(), "ERROR in red then plain");
  const red = row.locator("span[style]", { hasText: "ERROR in red" });
  // The theme's red (styles.css --ansi-1): red clearly dominates.
  const [r = 0, g = 0, b = 0] = ((await computedStyle(red, "color")).match(/\d+/g) ?? []).map(Number);
  assert.ok(r > 150 && g < 80 && b < 80, `red, not rgb(${r}, ${g}, ${b})`);
  const plain = row.locator(".text").getByText("then plain");
  assert.notEqual(await computedStyle(plain, "color"), await computedStyle(red, "color"));
  const allText = (await page.locator(".log-inner").textContent()) ?? "";
  assert.ok(!allText.includes("\u001b"), "no ESC character");
  assert.doesNotMatch(allText, /\[31m|\[0m/);
  assert.deepEqual(errors, []);
});

test("a line of hostile HTML stays inert text", async (t) => {
  const { page, errors } = await openWebLog(t);
  const imgRow = page.locator(".row", { hasText: "<img src=x" });
  assert.equal(await imgRow.locator(".text").textContent(), '<img src=x onerror="window.__pwned=1"><b>bold?</b>');
  assert.equal(await page.locator(".row", { hasText: "<script>window.__pwned=2</script>" }).count(), 1);
  assert.equal(await page.locator(".log-inner img, .log-inner script, .log-inner b").count(), 0);
  assert.equal(await page.evaluate("typeof window.__pwned"), "undefined");
  assert.deepEqual(errors, []);
});

test("a URL in a line becomes a link that opens in a new tab without opener, trailing dot excluded", async (t) => {
  const { page } = await openWebLog(t);
  const link = page.locator(".row a", { hasText: "http://127.0.0.1:9/docs/page" });
  assert.equal(await link.getAttribute("href"), "http://127.0.0.1:9/docs/page");
  assert.equal(await link.getAttribute("target"), "_blank");
  assert.equal(await link.getAttribute("rel"), "noopener noreferrer");
});

test("stderr and system lines look different from stdout, and stderr-only hides the rest", async (t) => {
  const { page } = await openWebLog(t);
  const background = (text: string) => computedStyle(page.locator(".row", { hasText: text }), "backgroundColor");
  const stderr = page.locator(".row.stderr", { hasText: "warning: this line is on stderr" });
  const system = page.locator(".row.system").first();
  await system.waitFor();
  assert.notEqual(await background("warning: this line is on stderr"), await background("plain stdout line"));
  assert.equal(await system.locator(".sys-tag").textContent(), "devdeck");
  assert.notEqual(await computedStyle(system, "color"), await computedStyle(page.locator(".row", { hasText: "plain stdout line" }), "color"));

  await page.getByRole("button", { name: "stderr only" }).click();
  await page.locator(".row", { hasText: "plain stdout line" }).waitFor({ state: "detached" });
  assert.equal(await page.locator(".row").count(), 1);
  assert.equal(await stderr.count(), 1);
});

test("lines gone from the console's buffer show as one 'N lines not shown' row", async (t) => {
  const yaml = `console:\n  buffer: 100\nservices:\n  web:\n    cmd: ${fixtureCmd("ui-app.mjs", 150)}\n    ready: { log: "^ready$" }\n`;
  const { page } = await openWebLog(t, yaml);
  await scrollLogTo(page, 0);
  const gap = page.locator(".row.gap");
  await gap.waitFor();
  assert.match((await gap.textContent()) ?? "", /^⋯ \d+ lines not shown \(seq 1–\d+\)$/);
  const firstLine = page.locator(".row").nth(1);
  const [, to] = /–(\d+)\)/.exec((await gap.textContent()) ?? "") ?? [];
  assert.equal(await firstLine.getAttribute("data-seq"), String(Number(to) + 1));
});

test("timestamps show on demand", async (t) => {
  const { page } = await openWebLog(t);
  assert.equal(await page.locator(".row .time").count(), 0);
  await page.getByRole("button", { name: "Time" }).click();
  const time = page.locator(".row", { hasText: "plain stdout line" }).locator(".time");
  assert.match((await time.textContent()) ?? "", /^\d\d:\d\d:\d\d\.\d{3}$/);
});
