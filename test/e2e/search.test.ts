// Search: plain text and regex, match count, next/previous, filter versus highlight.
import assert from "node:assert/strict";
import { test } from "node:test";
import { useBrowser, openConsolePage } from "./helpers/browser.ts";
import { fixtureCmd, startDeck, waitForLine } from "./helpers/deck.ts";

const browser = useBrowser();

const YAML = `services:\n  web:\n    cmd: ${fixtureCmd("ui-app.mjs", 300)}\n    ready: { log: "^ready$" }\n`;

test("search finds a line: counts matches, jumps between them, highlights them and filters to them", async (t) => {
  const deck = await startDeck(t, YAML);
  await waitForLine(deck, "web", "ready");
  const { page, errors } = await openConsolePage(t, browser(), deck.url);
  await page.locator('.service[data-service="web"] .service-pick').click();
  await page.locator(".row", { hasText: /^ready$/ }).waitFor();

  await page.locator("body").press("/");
  const input = page.locator("#log-search");
  await page.locator("#log-search:focus").waitFor();
  await input.fill("boot 7");
  const count = page.locator(".match-count");
  await count.getByText("11 matches").waitFor(); // boot 7, boot 70 … boot 79

  await input.press("Enter");
  await count.getByText("1 of 11 matches").waitFor();
  const current = page.locator(".row.current");
  assert.equal(await current.textContent(), "boot 7");
  assert.equal(await current.locator("mark").textContent(), "boot 7");
  await input.press("Enter");
  await count.getByText("2 of 11 matches").waitFor();
  assert.equal(await current.textContent(), "boot 70");
  await input.press("Shift+Enter");
  await count.getByText("1 of 11 matches").waitFor();
  assert.ok((await page.locator(".row").count()) > 11, "highlight mode keeps every line");

  await page.getByRole("button", { name: "Filter" }).click();
  await page.locator(".row", { hasText: /^ready$/ }).waitFor({ state: "detached" });
  const shown = await page.locator(".row").allTextContents();
  assert.deepEqual(shown, ["boot 7", ...Array.from({ length: 10 }, (_, i) => `boot ${70 + i}`)]);
  assert.deepEqual(errors, []);
});

test("a regex search matches by pattern, and a broken pattern says why instead of matching", async (t) => {
  const deck = await startDeck(t, YAML);
  await waitForLine(deck, "web", "ready");
  const { page } = await openConsolePage(t, browser(), deck.url);
  await page.locator('.service[data-service="web"] .service-pick').click();
  await page.getByRole("button", { name: ".*" }).click();
  await page.getByRole("button", { name: "Filter" }).click();
  const input = page.locator("#log-search");
  await input.fill("^boot 1\\d$");
  await page.locator(".match-count").getByText("10 matches").waitFor();
  assert.deepEqual(await page.locator(".row").allTextContents(), Array.from({ length: 10 }, (_, i) => `boot ${10 + i}`));

  await input.fill("boot (");
  await page.locator(".search-error").waitFor();
  assert.equal(await input.getAttribute("aria-invalid"), "true");
  assert.equal(await page.locator(".match-count").count(), 0);
});
