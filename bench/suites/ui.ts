// UI: the built UI in headless Chromium following a service that prints 10,000 lines/s for 10 s into a
// 100,000-line buffer. Frames from requestAnimationFrame deltas and long-animation-frame entries, DOM size,
// and the shipped JS gzipped. Reference: the same page's frames while nothing is printed.
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { chromium, type Page } from "playwright-core";
import { ROOT, nodeService, startDeck } from "../lib/deck.ts";
import type { SuiteResult } from "../lib/report.ts";
import { fixed, int, spreadText, summarize } from "../lib/stats.ts";

export interface UiOptions {
  rate: number;
  seconds: number;
  runs: number;
  /** Run `vite build` first (the UI measured is the current client/). */
  shouldBuild: boolean;
}

const CHROMIUM_PATH = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
/** A frame longer than this is a visible stall (the target). */
const LONG_FRAME_MS = 50;
// rAF deltas come in whole vsyncs (16.7 ms) plus jitter: 50.1 ms is the same 3 vsyncs as 50.0 ms.
const VSYNC_JITTER_MS = 1;
const IDLE_MS = 2_000;
const ASSETS = join(ROOT, "dist/client/assets");

// Runs in the page (playwright evaluate, so the page's CSP does not apply): rAF deltas and
// long-animation-frame entries into globalThis.__bench. A string: the server tsconfig has no DOM types.
const INSTALL = `(() => {
  const b = { deltas: [], loaf: [], long: [], last: 0, running: true };
  globalThis.__bench = b;
  const frame = (t) => { if (b.last) b.deltas.push(t - b.last); b.last = t; if (b.running) requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
  const script = (s) => ({ invoker: s.invoker, fn: s.sourceFunctionName, at: s.sourceCharPosition, ms: Math.round(s.duration), layoutMs: Math.round(s.forcedStyleAndLayoutDuration) });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        b.loaf.push(e.duration);
        if (e.duration > ${LONG_FRAME_MS}) b.long.push({ ms: Math.round(e.duration), blockingMs: Math.round(e.blockingDuration), renderMs: Math.round(e.startTime + e.duration - e.renderStart),
          styleLayoutMs: Math.round(e.startTime + e.duration - e.styleAndLayoutStart), scripts: e.scripts.map(script) });
      }
    }).observe({ type: "long-animation-frame" });
  } catch { b.loaf = null; }
})()`;
const TAKE = `(() => {
  const b = globalThis.__bench;
  const out = { deltas: b.deltas, loaf: b.loaf, long: b.long };
  b.deltas = []; b.loaf = b.loaf && []; b.long = [];
  const scroll = document.querySelector(".log-scroll");
  const row = document.querySelector(".row");
  return { ...out, nodes: document.getElementsByTagName("*").length, rows: document.querySelectorAll(".row").length,
    rowsOnScreen: scroll && row ? Math.ceil(scroll.clientHeight / row.offsetHeight) : 0 };
})()`;

interface Taken {
  deltas: number[];
  loaf: number[] | null;
  /** Long animation frames over LONG_FRAME_MS, with the scripts that ran in them (where the time went). */
  long: unknown[];
  nodes: number;
  rows: number;
  rowsOnScreen: number;
}

interface UiRun {
  idle: Taken;
  flood: Taken;
}

/** Gzipped bytes of every JS file shipped in dist/client/assets (zlib default level, as servers use). */
export function shippedJsGzipBytes(): { raw: number; gzip: number } {
  let raw = 0;
  let gzip = 0;
  for (const name of readdirSync(ASSETS).filter((n) => n.endsWith(".js"))) {
    const data = readFileSync(join(ASSETS, name));
    raw += data.length;
    gzip += gzipSync(data).length;
  }
  return { raw, gzip };
}

async function oneRun(page: Page, origin: string, service: string, command: () => Promise<number>): Promise<UiRun> {
  await page.goto(origin);
  await page.locator(`.service[data-service="${service}"] .service-pick`).click();
  await page.evaluate(INSTALL);
  await page.waitForTimeout(IDLE_MS);
  const idle = (await page.evaluate(TAKE)) as Taken;
  await command();
  await page.locator(".row", { hasText: /^steady end / }).waitFor({ timeout: 60_000 });
  const flood = (await page.evaluate(TAKE)) as Taken;
  return { idle, flood };
}

/** Benchmark UI. */
export async function runUi(opts: UiOptions): Promise<SuiteResult> {
  if (opts.shouldBuild) execFileSync(process.execPath, [join(ROOT, "node_modules/vite/bin/vite.js"), "build", "--logLevel", "error"], { cwd: ROOT, stdio: "inherit" });
  const js = shippedJsGzipBytes();
  const names = Array.from({ length: opts.runs }, (_, i) => `ui${i + 1}`);
  const deck = await startDeck({ buffer: 100_000, services: Object.fromEntries(names.map((n) => [n, nodeService("steady.mjs", [opts.rate, 100, opts.seconds, "color"])])) });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const runs: UiRun[] = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    for (const name of names) runs.push(await oneRun(page, deck.origin, name, () => deck.command(name, "start")));
  } finally {
    await browser.close();
    await deck.close();
  }
  return summarizeUi(opts, runs, js);
}

function summarizeUi(opts: UiOptions, runs: readonly UiRun[], js: { raw: number; gzip: number }): SuiteResult {
  const longest = summarize(runs.map((r) => Math.max(...r.flood.deltas)));
  const idleLongest = summarize(runs.map((r) => Math.max(...r.idle.deltas)));
  const over = summarize(runs.map((r) => r.flood.deltas.filter((d) => d > LONG_FRAME_MS + VSYNC_JITTER_MS).length));
  // The browser's own measure: a long-animation-frame entry is a frame that took over 50 ms.
  const loafCount = summarize(runs.map((r) => (r.flood.loaf ?? []).filter((d) => d > LONG_FRAME_MS).length));
  const loafMax = summarize(runs.map((r) => Math.max(0, ...(r.flood.loaf ?? []))));
  const frames = summarize(runs.map((r) => r.flood.deltas.length));
  const rows = Math.max(...runs.map((r) => r.flood.rows));
  const onScreen = Math.max(...runs.map((r) => r.flood.rowsOnScreen));
  const nodes = Math.max(...runs.map((r) => r.flood.nodes));
  const bench = `UI (${int(opts.rate)} lines/s for ${opts.seconds} s, 100,000-line buffer, Chromium)`;
  const ms = (n: number) => fixed(n, 1);
  return {
    name: "ui",
    rows: [
      { benchmark: bench, metric: "longest frame (rAF delta)", devdeck: `${spreadText(longest, ms)} ms`, reference: `${spreadText(idleLongest, ms)} ms idle page`, target: `≤ ${LONG_FRAME_MS} ms`, holds: longest.max <= LONG_FRAME_MS + VSYNC_JITTER_MS },
      { benchmark: bench, metric: `rAF deltas over ${LONG_FRAME_MS} ms / frames`, devdeck: `${spreadText(over)} / ${int(frames.median)}`, reference: "", target: "0", holds: over.max === 0 },
      {
        benchmark: bench,
        metric: "long-animation-frame entries (frames > 50 ms) / longest",
        devdeck: `${spreadText(loafCount)} / ${spreadText(loafMax, ms)} ms`,
        reference: "",
        target: "0",
        holds: runs.every((r) => r.flood.loaf !== null) ? loafCount.max === 0 : null,
      },
      { benchmark: bench, metric: "rows in the DOM / rows on screen", devdeck: `${int(rows)} / ${int(onScreen)}`, reference: `${int(nodes)} DOM nodes in all`, target: "≈ rows on screen", holds: rows <= onScreen * 2 + 30 },
      { benchmark: "shipped JS", metric: "gzipped (raw)", devdeck: `${fixed(js.gzip / 1024, 1)} KB (${fixed(js.raw / 1024, 0)} KB)`, reference: "", target: "≤ 40 KB", holds: js.gzip <= 40 * 1024 },
    ],
    data: { opts, js, runs: runs.map((r) => ({ idle: r.idle, flood: { ...r.flood, deltas: undefined, longest: Math.max(...r.flood.deltas) } })) },
  };
}
