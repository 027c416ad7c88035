// A 100,000-line log: every line is held and reachable, yet only about a screenful of rows is in the DOM.
import assert from "node:assert/strict";
import { test } from "node:test";
import { useBrowser, logScroll, openConsolePage, scrollLogTo } from "./helpers/browser.ts";
import { fixtureCmd, startDeck, waitForLine } from "./helpers/deck.ts";

const browser = useBrowser();

const LINES = 100_000;
const ROW_HEIGHT_PX = 18;
// An 800 px page shows about 40 rows; overscan adds a few dozen. Far below 100,000 either way.
const MAX_ROWS_IN_DOM = 150;
const LOAD_TIMEOUT_MS = 30_000;

test("a 100,000-line log keeps the DOM to a screenful of rows, at the bottom and in the middle", async (t) => {
  const yaml = `console:\n  buffer: ${LINES}\nservices:\n  flood:\n    cmd: ${fixtureCmd("deck-flood.mjs", LINES, 60)}\n`;
  const deck = await startDeck(t, yaml);
  await waitForLine(deck, "flood", "flood done");
  const { page, errors } = await openConsolePage(t, browser(), deck.url);
  await page.locator('.service[data-service="flood"] .service-pick').click();
  // The console holds the last 100,000 lines; the page keeps them all (up to its own cap of 100,000).
  await page.locator(".log-title .muted", { hasText: /^100,000 lines$/ }).waitFor({ timeout: LOAD_TIMEOUT_MS });
  await page.locator(".row", { hasText: /^flood done$/ }).waitFor();
  assert.ok((await page.locator(".row").count()) < MAX_ROWS_IN_DOM);
  assert.ok((await logScroll(page)).fromBottom < 1, "following at the bottom");

  await scrollLogTo(page, (LINES / 2) * ROW_HEIGHT_PX);
  const middle = page.locator(".row", { hasText: /^flood 5\d{4} x+$/ }).first();
  await middle.waitFor();
  assert.ok((await page.locator(".row").count()) < MAX_ROWS_IN_DOM);
  assert.equal(await page.locator(".row", { hasText: /^flood done$/ }).count(), 0, "the last row left the DOM");
  assert.deepEqual(errors, []);
});
