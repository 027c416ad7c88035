// Follow mode: sticks to the bottom; scrolling up pauses it without moving the view; "N new lines" goes back.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { waitUntil } from "../helpers/wait.ts";
import { useBrowser, logScroll, openConsolePage, scrollLogTo } from "./helpers/browser.ts";
import { fixtureCmd, runningPid, startDeck, waitForLine } from "./helpers/deck.ts";

const browser = useBrowser();

// 300 boot lines fill several screens; each SIGUSR2 adds 5 lines ("talk N").
const YAML = `services:\n  web:\n    cmd: ${fixtureCmd("ui-app.mjs", 300, 5)}\n    ready: { log: "^ready$" }\n`;

async function openFollowing(t: Parameters<typeof startDeck>[0]): Promise<{ page: Page; pid: number }> {
  const deck = await startDeck(t, YAML);
  await waitForLine(deck, "web", "ready");
  const pid = await runningPid(deck, "web");
  const { page } = await openConsolePage(t, browser(), deck.url);
  await page.locator('.service[data-service="web"] .service-pick').click();
  await page.locator(".row", { hasText: /^ready$/ }).waitFor();
  return { page, pid };
}

const isAtBottom = (page: Page) => async () => (await logScroll(page)).fromBottom < 1;

test("follow keeps the newest line in view; scrolling up pauses without moving; 'N new lines' goes back down and follows", async (t) => {
  const { page, pid } = await openFollowing(t);
  await waitUntil(isAtBottom(page), { message: "the log at its bottom" });
  const follow = page.locator("button.toggle", { hasText: "Follow" });
  assert.equal(await follow.getAttribute("aria-pressed"), "true");

  const { top } = await logScroll(page);
  await scrollLogTo(page, top - 20 * 18);
  await page.locator('button.toggle[aria-pressed="false"]', { hasText: "Follow" }).waitFor();
  const paused = await logScroll(page);
  const firstSeq = await page.locator(".row").first().getAttribute("data-seq");

  process.kill(pid, "SIGUSR2");
  const newLines = page.getByRole("button", { name: "↓ 5 new lines" });
  await newLines.waitFor();
  assert.equal((await logScroll(page)).top, paused.top, "the view did not move");
  assert.equal(await page.locator(".row").first().getAttribute("data-seq"), firstSeq);
  assert.equal(await page.locator(".row", { hasText: /^talk 5$/ }).count(), 0, "the new lines are below the view");

  await newLines.click();
  await page.locator(".row", { hasText: /^talk 5$/ }).waitFor();
  await waitUntil(isAtBottom(page), { message: "the log back at its bottom" });
  assert.equal(await follow.getAttribute("aria-pressed"), "true");
  await newLines.waitFor({ state: "detached" });

  process.kill(pid, "SIGUSR2");
  await page.locator(".row", { hasText: /^talk 10$/ }).waitFor();
  assert.ok(await isAtBottom(page)(), "still following");
});

test("a wheel turn upwards pauses follow, and the f key resumes it at the bottom", async (t) => {
  const { page } = await openFollowing(t);
  await waitUntil(isAtBottom(page), { message: "the log at its bottom" });
  await page.locator(".log-scroll").hover();
  await page.mouse.wheel(0, -300);
  await page.locator('button.toggle[aria-pressed="false"]', { hasText: "Follow" }).waitFor();
  await waitUntil(async () => !(await isAtBottom(page)()), { message: "the log scrolled up" });
  await page.locator("body").press("f");
  await page.locator('button.toggle[aria-pressed="true"]', { hasText: "Follow" }).waitFor();
  await waitUntil(isAtBottom(page), { message: "the log back at its bottom" });
});
