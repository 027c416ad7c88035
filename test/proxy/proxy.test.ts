import { test } from "node:test";
import assert from "node:assert/strict";
import { once } from "node:events";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { FIXTURES } from "../helpers/console.ts";
import { waitAllDead } from "../helpers/procs.ts";
import { waitUntil } from "../helpers/wait.ts";
import { CONSOLE_URL, echoService, echoed, get, openWs, spareProxy, startDeck, upgradeStatusWithHost, waitForState } from "./harness.ts";

test("HTTP goes to the service the Host names, with the browser's Host and X-Forwarded-For", async (t) => {
  const deck = await startDeck(t, [await echoService("web"), await echoService("api")]);
  const web = echoed(await get(deck.port, `web.localhost:${deck.port}`, "/some/path?q=1"));
  assert.equal(web.service, "web");
  assert.equal(web.url, "/some/path?q=1");
  assert.equal(web.headers["host"], `web.localhost:${deck.port}`);
  assert.equal(web.headers["x-forwarded-for"], "127.0.0.1");
  assert.equal(echoed(await get(deck.port, `API.localhost:${deck.port}`)).service, "api");
});

test("a WebSocket upgrade is proxied and messages flow both ways", async (t) => {
  const deck = await startDeck(t, [await echoService("web")]);
  const ws = await openWs(t, deck.port, `web.localhost:${deck.port}`);
  ws.send("hello");
  const [reply] = (await once(ws, "message")) as [Buffer];
  assert.equal(String(reply), "echo:hello");
});

test("a Host that names no service with a port gets 403, for requests and upgrades", async (t) => {
  const noPort = { ...(await echoService("noport")), port: null, ready: null };
  const deck = await startDeck(t, [await echoService("web"), noPort], { allowedHosts: ["devbox.local"] });
  const p = deck.port;
  for (const host of [`evil.example:${p}`, `localhost:${p}`, `127.0.0.1:${p}`, `[::1]:${p}`, `nope.localhost:${p}`, `noport.localhost:${p}`, `web.evil.example:${p}`, `web.localhost.evil.example`]) {
    const answer = await get(p, host);
    assert.equal(answer.status, 403, host);
    assert.doesNotMatch(answer.body, /"service"/, "nothing from the service");
  }
  assert.equal(await upgradeStatusWithHost(p, `evil.example:${p}`), 403);
});

test("NAME.<allowed host> reaches the service, and any port in the Host does", async (t) => {
  const deck = await startDeck(t, [await echoService("web")], { allowedHosts: ["devbox.local"] });
  assert.equal(echoed(await get(deck.port, "web.devbox.local:9999")).service, "web");
  assert.equal(echoed(await get(deck.port, "web.localhost")).service, "web");
});

test("a stopped service gets a 503 page naming it and its state, which turns into the service once it runs", async (t) => {
  const deck = await startDeck(t, [await echoService("web", { autostart: false })]);
  const host = `web.localhost:${deck.port}`;
  const page = await get(deck.port, host);
  assert.equal(page.status, 503);
  assert.match(String(page.headers["content-type"]), /^text\/html/);
  assert.match(page.body, /<span class="name">web<\/span> is <span class="state">stopped<\/span>/);
  assert.match(page.body, /<meta http-equiv="refresh" content="1">/);
  assert.ok(page.body.includes(`href="${CONSOLE_URL}"`), "links to the console");
  assert.doesNotMatch(page.body, /<script|src=/, "self-contained, no script");
  assert.equal(await upgradeStatusWithHost(deck.port, host), 503);

  await deck.supervisor.start("web");
  await waitForState(deck.supervisor, "web", "running");
  assert.equal(echoed(await get(deck.port, host)).service, "web");
  assert.equal(await upgradeStatusWithHost(deck.port, host), 101);
});

test("a service that failed to start shows its state and reason, HTML-escaped", async (t) => {
  const envFile = join(FIXTURES, `missing-<b>"x'&.env`);
  const deck = await startDeck(t, [await echoService("web", { envFile })], { isStarted: false });
  await deck.supervisor.startAll().catch(() => {});
  const status = await waitUntil(() => {
    const s = deck.supervisor.get("web");
    return s && s.state !== "stopped" && s.state !== "starting" ? s : null;
  });
  const page = await get(deck.port, `web.localhost:${deck.port}`);
  assert.equal(page.status, 503);
  assert.ok(page.body.includes(`<span class="state">${status.state}</span>`), status.state);
  assert.ok(status.reason?.includes("<b>"), `the reason names the file: ${status.reason}`);
  assert.ok(page.body.includes("missing-&#60;b&#62;&#34;x&#39;&#38;.env"), "the reason, escaped");
  assert.ok(!page.body.includes("<b>"), "no markup from the reason");
});

test("a running service that refuses the connection gets the 503 page, and its upgrades a 503", async (t) => {
  const idle = await echoService("web", { cmd: [process.execPath, "-e", "setInterval(() => {}, 1 << 30)"], ready: null });
  const deck = await startDeck(t, [idle]);
  const host = `web.localhost:${deck.port}`;
  const page = await get(deck.port, host);
  assert.equal(page.status, 503);
  assert.match(page.body, /is <span class="state">running<\/span>/);
  assert.match(page.body, new RegExp(`nothing answers on port ${idle.port}`));
  assert.equal(await upgradeStatusWithHost(deck.port, host), 503);
});

test("a dev server bound to ::1 only is reached once its first refusal on 127.0.0.1 is seen", async (t) => {
  const deck = await startDeck(t, [await echoService("web", {}, "::1")]);
  const host = `web.localhost:${deck.port}`;
  const answer = await waitUntil(async () => {
    const a = await get(deck.port, host);
    return a.status === 200 ? a : null;
  }, { message: "the proxy to try ::1" });
  assert.equal(echoed(answer).service, "web");
});

test("with a token: ?token= sets a Lax HttpOnly cookie and redirects; cookie and Bearer pass, stripped; nothing else does", async (t) => {
  const token = "proxy-test-token-0123456789";
  const deck = await startDeck(t, [await echoService("web")], { token });
  const host = `web.localhost:${deck.port}`;
  const cookieName = `devdeck_proxy_token_${deck.port}`;

  assert.equal((await get(deck.port, host)).status, 401);
  assert.equal((await get(deck.port, host, "/?token=wrong")).status, 401);
  assert.equal((await get(deck.port, host, "/", { cookie: `${cookieName}=wrong` })).status, 401);
  assert.equal((await get(deck.port, host, "/", { authorization: "Bearer wrong" })).status, 401);
  assert.equal((await get(deck.port, `evil.example:${deck.port}`, "/", { authorization: `Bearer ${token}` })).status, 403);

  const redirect = await get(deck.port, host, `/app?x=1&token=${token}`);
  assert.equal(redirect.status, 302);
  assert.equal(redirect.headers["location"], "/app?x=1");
  const setCookie = String(redirect.headers["set-cookie"]);
  assert.match(setCookie, new RegExp(`^${cookieName}=${token}; `));
  assert.match(setCookie, /HttpOnly/);
  assert.match(setCookie, /SameSite=Lax/);

  const byCookie = echoed(await get(deck.port, host, "/app", { cookie: `theirs=1; ${cookieName}=${token}` }));
  assert.equal(byCookie.headers["cookie"], "theirs=1", "the dev server never sees the token");
  const byBearer = echoed(await get(deck.port, host, "/", { authorization: `Bearer ${token}` }));
  assert.equal(byBearer.headers["authorization"], undefined);

  assert.equal(await upgradeStatusWithHost(deck.port, host), 401);
  assert.equal(await upgradeStatusWithHost(deck.port, host, { cookie: `${cookieName}=${token}` }), 101);
});

test("the proxy's ?token= redirect stays on the service's host, even for a target that is no URL relative to a base", async (t) => {
  const token = "proxy-test-token-0123456789";
  const deck = await startDeck(t, [await echoService("web")], { token });
  const host = `web.localhost:${deck.port}`;
  for (const [path, location] of [
    [`/.//evil.example/x?token=${token}`, "/evil.example/x"],
    [`//evil.example/x?y=1&token=${token}`, "/evil.example/x?y=1"],
    [`/\\evil.example?token=${token}`, "/evil.example"],
    // `new URL("//[x", base)` throws: read as a base-relative URL, this target once crashed the proxy.
    [`//[x?token=${token}`, "/[x"],
  ] as const) {
    const redirect = await get(deck.port, host, path);
    assert.equal(redirect.status, 302, path);
    assert.equal(redirect.headers["location"], location, path);
  }
  assert.equal((await get(deck.port, host, "/", { authorization: `Bearer ${token}` })).status, 200, "the proxy still answers");
});

test("the proxy refuses to listen beyond loopback without a token", async (t) => {
  const deck = await startDeck(t, [], { isStarted: false });
  const proxy = spareProxy(t, deck);
  await assert.rejects(proxy.listen("0.0.0.0", 0), { code: "DD_ERR_TOKEN_REQUIRED" });
});

test("a proxy port already taken fails with a message naming the holder", async (t) => {
  const holder = spawn(process.execPath, [join(FIXTURES, "listen-port.mjs"), "127.0.0.1"], { stdio: ["ignore", "pipe", "inherit"] });
  holder.on("error", () => {});
  t.after(async () => {
    holder.kill("SIGKILL");
    await waitAllDead([holder.pid ?? -1]);
  });
  let out = "";
  holder.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
  const port = Number((await waitUntil(() => /port (\d+)/.exec(out)))[1]);
  const deck = await startDeck(t, [], { isStarted: false });
  const proxy = spareProxy(t, deck);
  await assert.rejects(proxy.listen("127.0.0.1", port), (err: Error) => {
    assert.match(err.message, new RegExp(`port ${port} is already in use by pid ${holder.pid} \\(.*listen-port\\.mjs`));
    assert.match(err.message, /console\.proxy\.port/);
    return true;
  });
});

test("close() ends open WebSocket connections instead of waiting for them", async (t) => {
  const deck = await startDeck(t, [await echoService("web")]);
  const ws = await openWs(t, deck.port, `web.localhost:${deck.port}`);
  const closed = once(ws, "close");
  await deck.close();
  await closed;
});
