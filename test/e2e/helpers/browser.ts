// Headless Chromium (the system one) for the UI tests, with page errors and CSP violations recorded.
import { after, before, type TestContext } from "node:test";
import { chromium, type Browser, type Locator, type Page } from "playwright-core";
import { ensureUiBuilt } from "./deck.ts";

/** The system Chromium (.ci/run installs it); CHROMIUM_PATH overrides. */
export const CHROMIUM_PATH = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";

const PAGE_TIMEOUT_MS = 10_000;

const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Launches headless Chromium. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** For a test file: builds the UI when stale and launches one Chromium before its tests, closed after them. */
export function useBrowser(): () => Browser {
  let browser: Browser | null = null;
  before(async () => {
    ensureUiBuilt();
    browser = await launchBrowser();
  });
  after(() => browser?.close());
  return () => {
    if (!browser) throw new Error("the browser is launched in before(): use it inside a test");
    return browser;
  };
}

export interface OpenedPage {
  page: Page;
  /** Uncaught exceptions and console errors (CSP violations show up here). */
  errors: string[];
}

export interface OpenOptions {
  width?: number;
  height?: number;
  colorScheme?: "light" | "dark";
  /** Browser permissions for the console's origin, e.g. clipboard-read. */
  permissions?: string[];
  /** Runs before the page loads (routes, listeners). */
  beforeLoad?: (page: Page) => Promise<unknown>;
}

/** Opens `url` in a fresh context (closed when the test ends) and waits for the first status snapshot. */
export async function openConsolePage(t: TestContext, browser: Browser, url: string, opts: OpenOptions = {}): Promise<OpenedPage> {
  const context = await browser.newContext({
    viewport: { width: opts.width ?? 1280, height: opts.height ?? 800 },
    colorScheme: opts.colorScheme ?? "light",
    permissions: opts.permissions ?? [],
    acceptDownloads: true,
  });
  t.after(() => context.close());
  const page = await context.newPage();
  // Every wait in these tests is for something the page will show in well under this.
  page.setDefaultTimeout(PAGE_TIMEOUT_MS);
  const errors: string[] = [];
  page.on("pageerror", (err) => errors.push(`pageerror: ${err.message}`));
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(`console: ${msg.text()}`);
  });
  await opts.beforeLoad?.(page);
  await page.goto(url);
  await page.locator(".health[data-health]:not([data-health='unknown'])").waitFor();
  return { page, errors };
}

// Functions passed to evaluate() run in the page; the test tsconfig has no DOM types, so the page's
// globals are described here, as little as needed.
interface PageGlobals {
  getComputedStyle(el: unknown): Record<string, string>;
}

/** The computed value of a CSS property (camelCase, e.g. "backgroundColor") of the locator's element. */
export function computedStyle(locator: Locator, property: string): Promise<string> {
  return locator.evaluate((el, prop) => (globalThis as unknown as PageGlobals).getComputedStyle(el)[prop] ?? "", property);
}

interface ScrollBox {
  scrollTop: number;
  scrollHeight: number;
  clientHeight: number;
}

/** Scroll position of the log: how far from the top and from the bottom, in px. */
export function logScroll(page: Page): Promise<{ top: number; fromBottom: number }> {
  return page.locator(".log-scroll").evaluate((el) => {
    const box = el as unknown as ScrollBox;
    return { top: box.scrollTop, fromBottom: box.scrollHeight - box.scrollTop - box.clientHeight };
  });
}

/** Sets the log's scrollTop as a script would (a scroll event follows, as for a person scrolling). */
export async function scrollLogTo(page: Page, top: number): Promise<void> {
  await page.locator(".log-scroll").evaluate((el, to) => {
    (el as unknown as ScrollBox).scrollTop = to;
  }, top);
}
