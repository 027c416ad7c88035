// "Stop the process holding my port": the crash panel names the holder and, after a confirm, stops it.
import assert from "node:assert/strict";
import { test } from "node:test";
import { userInfo } from "node:os";
import { holdPort } from "../helpers/port-holder.ts";
import { isAlive, waitAllDead } from "../helpers/procs.ts";
import { useBrowser, openConsolePage } from "./helpers/browser.ts";
import { fixtureCmd, startDeck, waitForState } from "./helpers/deck.ts";

const browser = useBrowser();

// Ignored by the fixture, shown in its command line: the page must print it, not run it.
const HOSTILE_ARG = '<img src=x onerror="window.__pwned=1">';

const webOn = (port: number) => `services:\n  web:\n    cmd: ${fixtureCmd("http-server.mjs")}\n    port: ${port}\n    ready: { log: "^ready$" }\n    restart: "no"\n`;

test("the crash panel names the process holding the port; its button asks first, and once confirmed stops it and starts the service", async (t) => {
  const holder = await holdPort(t, { extraArgs: [HOSTILE_ARG] });
  const deck = await startDeck(t, webOn(holder.port));
  await waitForState(deck, "web", "crashed");
  const { page, errors } = await openConsolePage(t, browser(), deck.url);
  const card = page.locator('.crash[data-service="web"]');
  const text = (await card.locator(".port-holder-text").textContent()) ?? "";
  assert.match(text, new RegExp(`^Port ${holder.port} is held by pid ${holder.pid} \\(.*listen-port\\.mjs 127\\.0\\.0\\.1 0 `));
  assert.ok(text.includes(`${HOSTILE_ARG}), user ${userInfo().username}, since `), text);
  assert.match(text, /since \d\d:\d\d$/);
  assert.equal(await card.locator("img").count(), 0);

  let requests = 0;
  page.on("request", (req) => {
    if (req.url().endsWith("/api/services/web/free-port")) requests++;
  });
  const button = card.getByRole("button", { name: `Stop pid ${holder.pid} and start web` });
  const dialogs: string[] = [];
  page.once("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await button.click();
  // A round trip through the page runs after the click handler has finished: a request would be out by now.
  await page.evaluate("0");
  assert.equal(requests, 0);
  assert.equal(isAlive(holder.pid), true);

  page.once("dialog", (d) => {
    dialogs.push(d.message());
    void d.accept();
  });
  await button.click();
  await page.locator('.service[data-service="web"] .badge[data-state="running"]').waitFor();
  await card.waitFor({ state: "detached" });
  await waitAllDead([holder.pid]);
  assert.equal(requests, 1);
  const question = `Stop pid ${holder.pid} (${process.execPath}`;
  assert.ok(dialogs.length === 2 && dialogs.every((d) => d.startsWith(question) && d.endsWith(`which holds port ${holder.port}, and start web?`)), dialogs.join("\n"));
  assert.equal(await page.evaluate("window.__pwned"), undefined);
  assert.deepEqual(errors, []);
});

test("a read-only console names the holder but offers no button to stop it", async (t) => {
  const holder = await holdPort(t);
  const deck = await startDeck(t, webOn(holder.port), { args: ["--read-only"] });
  await waitForState(deck, "web", "crashed");
  const { page } = await openConsolePage(t, browser(), deck.url);
  const card = page.locator('.crash[data-service="web"]');
  await card.getByText(`Port ${holder.port} is held by pid ${holder.pid}`).waitFor();
  // The read-only flag arrives after the snapshot: wait for what it hides anywhere else first.
  await page.locator(".topbar .note").getByText("read-only").waitFor();
  assert.equal(await card.locator(".act-free-port").count(), 0);
  assert.equal(isAlive(holder.pid), true);
});
