// issue 7, terminal mode: a `pty: true` service's output is one stream, and the UI says so.
import assert from "node:assert/strict";
import { test } from "node:test";
import { useBrowser, openConsolePage } from "./helpers/browser.ts";
import { fixtureCmd, startDeck } from "./helpers/deck.ts";

const browser = useBrowser();

const CONFIG = `services:
  tty:
    cmd: ${fixtureCmd("tty-info.mjs")}
    pty: true
    restart: "no"
  pipes:
    cmd: ${fixtureCmd("tty-info.mjs")}
    restart: "no"
`;

test("a pty service is marked as such and its log says stdout and stderr are one stream; a piped one is not", async (t) => {
  const deck = await startDeck(t, CONFIG);
  const { page, errors } = await openConsolePage(t, browser(), deck.url);
  const tty = page.locator('.service[data-service="tty"]');
  await tty.locator(".fact", { hasText: /^pty$/ }).waitFor();
  await tty.locator(".service-pick").click();
  await page.getByText("pty: stdout and stderr are one stream").waitFor();
  // The child saw a terminal on all three descriptors.
  await page.locator(".row", { hasText: "tty stdin=true stdout=true stderr=true" }).waitFor();

  const pipes = page.locator('.service[data-service="pipes"]');
  assert.equal(await pipes.locator(".fact", { hasText: /^pty$/ }).count(), 0);
  await pipes.locator(".service-pick").click();
  await page.locator(".row", { hasText: "tty stdin=false stdout=false stderr=false" }).waitFor();
  assert.equal(await page.getByText("pty: stdout and stderr are one stream").count(), 0);
  assert.deepEqual(errors, []);
});
