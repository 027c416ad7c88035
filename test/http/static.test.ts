import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDeck, type Deck } from "./harness.ts";

const SECRET = "TOP-SECRET-OUTSIDE-THE-UI";

/** A built-UI folder beside a secret file that must never be served. */
function makeUi(): string {
  const root = mkdtempSync(join(tmpdir(), "devdeck-ui-"));
  const ui = join(root, "ui");
  mkdirSync(join(ui, "assets"), { recursive: true });
  writeFileSync(join(ui, "index.html"), '<!doctype html><script type="module" src="/assets/app-3f2a1b.js"></script>');
  writeFileSync(join(ui, "assets", "app-3f2a1b.js"), "console.log('ui')");
  writeFileSync(join(ui, ".env"), SECRET);
  writeFileSync(join(root, "secret.txt"), SECRET);
  writeFileSync(join(root, "ui-secret.txt"), SECRET);
  return ui;
}

// Raw paths: fetch would normalise `..` away before the server sees it.
function get(deck: Deck, path: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: deck.port, path }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (d: string) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

test("the UI is served with a CSP that forbids inline script, nosniff, no referrer, and no caching of the HTML", async (t) => {
  const deck = await startDeck(t, [], { uiDir: makeUi() });
  const page = await get(deck, "/");
  assert.equal(page.status, 200);
  assert.match(page.body, /app-3f2a1b\.js/);
  const csp = String(page.headers["content-security-policy"]);
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.equal(page.headers["x-content-type-options"], "nosniff");
  assert.equal(page.headers["referrer-policy"], "no-referrer");
  assert.equal(page.headers["cache-control"], "no-cache");
  assert.equal((await get(deck, "/index.html")).headers["cache-control"], "no-cache");

  const asset = await get(deck, "/assets/app-3f2a1b.js");
  assert.equal(asset.status, 200);
  assert.equal(asset.headers["cache-control"], "public, max-age=31536000, immutable");
  assert.match(String(asset.headers["content-type"]), /javascript/);
});

test("no path leaves the UI folder: dot segments, encoded or not, dotfiles and absolute paths all miss", async (t) => {
  const deck = await startDeck(t, [], { uiDir: makeUi() });
  const attempts = [
    "/../secret.txt",
    "/assets/../../secret.txt",
    "/%2e%2e/secret.txt",
    "/..%2fsecret.txt",
    "/%2e%2e%2fsecret.txt",
    "/assets/..%2f..%2fsecret.txt",
    "/assets/%2e%2e%2f%2e%2e%2fsecret.txt",
    "/assets/%252e%252e%252f%252e%252e%252fsecret.txt",
    "/..%5csecret.txt",
    "/..\\secret.txt",
    "/.env",
    "/%2eenv",
    "//secret.txt",
    "/../ui-secret.txt",
    "/%2F..%2F..%2Fsecret.txt",
    "/assets/%00/../../secret.txt",
  ];
  for (const path of attempts) {
    const res = await get(deck, path);
    assert.ok(res.status >= 400 || res.status === 0, `${path} → ${res.status}`);
    assert.ok(!res.body.includes(SECRET), `${path} leaked the file`);
  }
});

test("an unknown path is a 404: JSON under /api, and never the secret elsewhere", async (t) => {
  const deck = await startDeck(t, [], { uiDir: makeUi() });
  const api = await get(deck, "/api/nope");
  assert.equal(api.status, 404);
  assert.equal(JSON.parse(api.body).code, "DD_ERR_NOT_FOUND");
  assert.equal((await get(deck, "/nope.js")).status, 404);
});

test("without a built UI the page is a 503 that says to run npm run build, and the API still answers", async (t) => {
  const deck = await startDeck(t, [], { uiDir: join(tmpdir(), "devdeck-no-such-ui-folder") });
  const page = await get(deck, "/");
  assert.equal(page.status, 503);
  assert.match(page.body, /npm run build/);
  assert.match(String(page.headers["content-type"]), /text\/html/);
  assert.ok(page.headers["content-security-policy"]);
  assert.equal((await get(deck, "/api/services")).status, 200);
});
