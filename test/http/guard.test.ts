import { test } from "node:test";
import assert from "node:assert/strict";
import { request } from "node:http";
import { upgradeStatus } from "../helpers/ws.ts";
import { service, startDeck, type Deck } from "./harness.ts";

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

// node:http rather than fetch: the tests need to send any Host header.
function send(deck: Deck, method: string, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: deck.host, port: deck.port, method, path, headers }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (d: string) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

const TOKEN = "test-token-0123456789abcdefghijklmnop";

test("loopback: a Host outside localhost, 127.0.0.1, [::1] and allowed_hosts is 403 on any port", async (t) => {
  const deck = await startDeck(t, [service("web", "deck-talk.mjs")], { allowedHosts: ["devbox.local"] });
  const statusFor = async (host: string) => (await send(deck, "GET", "/api/services", { host })).status;
  for (const host of ["localhost:1234", "127.0.0.1", `127.0.0.1:${deck.port}`, "[::1]:22", "devbox.local:80", "DEVBOX.local"]) {
    assert.equal(await statusFor(host), 200, host);
  }
  for (const host of ["evil.example", `evil.example:${deck.port}`, "localhost.evil.example", "127.0.0.2", "devbox.local.evil.example"]) {
    assert.equal(await statusFor(host), 403, host);
  }
  const refused = await send(deck, "GET", "/", { host: "rebound.example" });
  assert.equal(JSON.parse(refused.body).code, "DD_ERR_FORBIDDEN_HOST");
  assert.equal(await upgradeStatus(`${deck.url}ws/status`, { host: "rebound.example" }), 403);
  assert.equal(await upgradeStatus(`${deck.url}ws/status`, { host: `localhost:${deck.port}` }), 101);
});

test("bound to another loopback address (-H 127.0.0.2), the console answers to the URL it printed, and still not to other names", async (t) => {
  const deck = await startDeck(t, [service("web", "deck-talk.mjs")], { host: "127.0.0.2" });
  const statusFor = async (host: string) => (await send(deck, "GET", "/api/services", { host })).status;
  assert.equal(deck.url, `http://127.0.0.2:${deck.port}/`);
  for (const host of [`127.0.0.2:${deck.port}`, "127.0.0.2", "localhost", "127.0.0.1"]) assert.equal(await statusFor(host), 200, host);
  for (const host of ["127.0.0.3", "evil.example", "127.0.0.2.evil.example"]) assert.equal(await statusFor(host), 403, host);
  assert.equal(await upgradeStatus(`${deck.url}ws/status`, { origin: `http://127.0.0.2:${deck.port}` }), 101);
  assert.equal((await send(deck, "POST", "/api/services/web/stop", { origin: `http://127.0.0.2:${deck.port}` })).status, 202);
});

test("an Origin other than http:// + Host is refused for writes and upgrades; reads and Origin-less clients pass", async (t) => {
  const deck = await startDeck(t, [service("web", "deck-talk.mjs")]);
  const self = `http://127.0.0.1:${deck.port}`;
  const post = async (origin?: string) => (await send(deck, "POST", "/api/services/web/stop", origin === undefined ? {} : { origin })).status;
  assert.equal(await post("http://localhost:3000"), 403, "a dev server is another origin");
  assert.equal(await post(`http://localhost:${deck.port}`), 403, "exact match with Host only");
  assert.equal(await post("null"), 403);
  assert.equal(await post(`https://127.0.0.1:${deck.port}`), 403);
  assert.equal(await post(self), 202);
  assert.equal(await post(), 202);
  assert.equal((await send(deck, "GET", "/api/services", { origin: "http://evil.example" })).status, 200);

  assert.equal(await upgradeStatus(`${deck.url}ws/logs?service=web`, { origin: "http://evil.example" }), 403);
  assert.equal(await upgradeStatus(`${deck.url}ws/status`, { origin: "http://localhost:5173" }), 403);
  assert.equal(await upgradeStatus(`${deck.url}ws/status`, { origin: self }), 101);
  assert.equal(await upgradeStatus(`${deck.url}ws/status`), 101);
});

test("with a token: none or a wrong one is 401, the right Bearer passes from any Host, and no answer shows the token", async (t) => {
  const deck = await startDeck(t, [service("web", "deck-talk.mjs")], { token: TOKEN });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const answers = [
    await send(deck, "GET", "/api/services"),
    await send(deck, "GET", "/api/services", bearer("wrong")),
    await send(deck, "GET", "/api/services", bearer(`${TOKEN}x`)),
    await send(deck, "GET", "/api/services", { authorization: `Basic ${TOKEN}` }),
    await send(deck, "GET", "/", { cookie: `devdeck_token_1=${TOKEN}` }),
    await send(deck, "POST", "/api/services/web/start", { "content-type": "text/plain" }),
  ];
  assert.deepEqual(answers.map((a) => a.status), [401, 401, 401, 401, 401, 401]);
  for (const a of answers) {
    assert.equal(JSON.parse(a.body).code, "DD_ERR_UNAUTHORIZED");
    assert.ok(!a.body.includes(TOKEN) && !JSON.stringify(a.headers).includes(TOKEN));
  }
  assert.equal((await send(deck, "GET", "/api/services", { ...bearer(TOKEN), host: "vm.example:7007" })).status, 200);
  assert.equal((await send(deck, "POST", "/api/services/web/stop", { ...bearer(TOKEN), origin: "http://evil.example" })).status, 403);
  assert.equal((await send(deck, "POST", "/api/services/web/stop", bearer(TOKEN))).status, 202);
  assert.ok(!deck.logText().includes(TOKEN), "the token is not in devdeck's log");
});

test("?token= on a page load sets an HttpOnly SameSite=Strict cookie named after the port, then redirects without it", async (t) => {
  const deck = await startDeck(t, [service("web", "deck-talk.mjs")], { token: TOKEN });
  const landing = await send(deck, "GET", `/?view=web&token=${TOKEN}`);
  assert.equal(landing.status, 302);
  assert.equal(landing.headers["location"], "/?view=web");
  const cookie = String(landing.headers["set-cookie"]);
  assert.match(cookie, new RegExp(`^devdeck_token_${deck.port}=${TOKEN};`));
  assert.match(cookie, /; HttpOnly/);
  assert.match(cookie, /; SameSite=Strict/);
  assert.ok(!landing.body.includes(TOKEN));

  const jar = cookie.split(";")[0] ?? "";
  assert.equal((await send(deck, "GET", "/api/services", { cookie: `other=1; ${jar}` })).status, 200);
  assert.equal((await send(deck, "GET", "/api/services", { cookie: jar.replace(`_${deck.port}=`, "_7007=") })).status, 401);
  const wrong = await send(deck, "GET", "/?token=nope");
  assert.equal(wrong.status, 401);
  assert.equal(wrong.headers["set-cookie"], undefined);
  assert.equal((await send(deck, "POST", `/api/services/web/stop?token=${TOKEN}`)).status, 401, "only a page load takes ?token=");
  assert.ok(!deck.logText().includes(TOKEN), "the token is not in devdeck's log");
});

test("the ?token= redirect stays on the console: a path that starts with // (or /\\, or /./) becomes a one-slash path", async (t) => {
  const deck = await startDeck(t, [service("web", "deck-talk.mjs")], { token: TOKEN });
  const cases: Array<[string, string]> = [
    [`/.//evil.example/x?token=${TOKEN}`, "/evil.example/x"],
    [`//evil.example/x?a=1&token=${TOKEN}`, "/evil.example/x?a=1"],
    [`/\\evil.example/x?token=${TOKEN}`, "/evil.example/x"],
    [`///evil.example?token=${TOKEN}&b=2`, "/evil.example?b=2"],
    [`/logs/web?token=${TOKEN}`, "/logs/web"],
  ];
  for (const [path, location] of cases) {
    const landing = await send(deck, "GET", path);
    assert.equal(landing.status, 302, path);
    assert.equal(landing.headers["location"], location, path);
  }
});

test("with a token, an upgrade without Origin needs Bearer; a browser's needs the cookie and the same Origin", async (t) => {
  const deck = await startDeck(t, [service("web", "deck-talk.mjs")], { token: TOKEN });
  const url = `${deck.url}ws/status`;
  const self = `http://127.0.0.1:${deck.port}`;
  const cookie = `devdeck_token_${deck.port}=${TOKEN}`;
  assert.equal(await upgradeStatus(url), 401);
  assert.equal(await upgradeStatus(url, { authorization: "Bearer wrong" }), 401);
  assert.equal(await upgradeStatus(url, { cookie }), 401, "no Origin: a script, which must use Bearer");
  assert.equal(await upgradeStatus(url, { authorization: `Bearer ${TOKEN}` }), 101);
  assert.equal(await upgradeStatus(url, { cookie, origin: self }), 101);
  assert.equal(await upgradeStatus(url, { origin: self }), 401);
  assert.equal(await upgradeStatus(url, { cookie, origin: "http://evil.example" }), 403);
  assert.equal(await upgradeStatus(`${deck.url}ws/logs?service=web&token=${TOKEN}`, { origin: self }), 401, "no token in a WebSocket URL");
});
