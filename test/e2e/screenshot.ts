// Saves docs/screenshot.png: the console running examples/devdeck.yaml, with a crash to show.
// Run: node --import tsx test/e2e/screenshot.ts [OUT.png]   (builds the UI first when it is stale)
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { ServiceStatus } from "../../shared/service.ts";
import { ROOT, devdeckArgv } from "../helpers/console.ts";
import { waitUntil } from "../helpers/wait.ts";
import { launchBrowser, openConsolePage } from "./helpers/browser.ts";
import { ensureUiBuilt } from "./helpers/deck.ts";

const OUT = process.argv[2] ?? join(ROOT, "docs/screenshot.png");
const SHOT_TIMEOUT_MS = 30_000;

ensureUiBuilt();
// State files go to a temp folder: nothing is written into the project or the user's state.
const stateHome = mkdtempSync(join(tmpdir(), "devdeck-shot-"));
const child = spawn(process.execPath, devdeckArgv(["-c", join(ROOT, "examples/devdeck.yaml"), "-p", "0"]), {
  cwd: ROOT,
  env: { ...process.env, XDG_STATE_HOME: stateHome, DEVDECK_LOG_LEVEL: "warn" },
  stdio: ["ignore", "pipe", "inherit"],
});
child.on("error", (err) => console.error(err));
let out = "";
child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));

const fakeContext = { after: () => {} } as unknown as Parameters<typeof openConsolePage>[0];
const browser = await launchBrowser();
try {
  const url = await waitUntil(() => /http:\/\/\S+/.exec(out)?.[0], { timeoutMs: SHOT_TIMEOUT_MS, message: "the console's ready line" });
  const api = (path: string, init?: RequestInit) => fetch(new URL(path, url), init);
  const state = async (name: string) => ((await (await api(`/api/services/${name}`)).json()) as ServiceStatus).state;
  await waitUntil(async () => (await state("web")) === "running", { timeoutMs: SHOT_TIMEOUT_MS, message: "web running" });
  for (const path of ["/", "/about", "/favicon.ico"]) await fetch(`http://127.0.0.1:4100${path}`).catch(() => null);
  await api("/api/services/flaky/start", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });

  const { page } = await openConsolePage(fakeContext, browser, url, { width: 1280, height: 760 });
  await page.locator(".row.stderr", { hasText: "warning: job 7 took" }).waitFor({ timeout: SHOT_TIMEOUT_MS });
  // flaky crashes again and again; the shot is taken while it waits to restart, its panel showing.
  await page.locator('.crash[data-service="flaky"]').getByText("connection refused").first().waitFor({ timeout: SHOT_TIMEOUT_MS });
  mkdirSync(dirname(OUT), { recursive: true });
  await page.screenshot({ path: OUT });
  console.log(`saved ${OUT}`);
} finally {
  await browser.close();
  if (child.exitCode === null && child.signalCode === null) {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  }
  rmSync(stateHome, { recursive: true, force: true });
}
