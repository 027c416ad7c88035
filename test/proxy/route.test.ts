import { test } from "node:test";
import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import type { ServiceSpec } from "../../server/config/types.ts";
import { checkProxyToken, stripProxyCredentials } from "../../server/proxy/auth.ts";
import { escapeHtml, renderUnavailablePage } from "../../server/proxy/page.ts";
import { isLoopback } from "../../server/http/hosts.ts";
import { parseHost, serviceForHost } from "../../server/proxy/route.ts";

const services = [
  { name: "web", port: 3000 },
  { name: "API", port: 8000 },
  { name: "worker", port: null },
  { name: "docs.site", port: 4000 },
] as ServiceSpec[];

test("a Host maps to the service it names under localhost or an allowed host, and to nothing else", () => {
  const cases: Array<[string | undefined, string | null]> = [
    ["web.localhost:7000", "web"],
    ["web.localhost", "web"],
    ["WEB.LOCALHOST:7000", "web"],
    ["web.localhost.:7000", "web"],
    ["api.localhost:7000", "API"],
    ["docs.site.localhost", "docs.site"],
    ["web.devbox.local:7000", "web"],
    ["web.other.devbox.local", null],
    ["worker.localhost:7000", null],
    ["nope.localhost:7000", null],
    ["localhost:7000", null],
    ["web.localhost.evil.example", null],
    ["web.evil.example", null],
    ["127.0.0.1:7000", null],
    ["[::1]:7000", null],
    ["web.localhost:notaport", null],
    ["", null],
    [undefined, null],
  ];
  for (const [host, expected] of cases) {
    assert.equal(serviceForHost(host, services, ["devbox.local"])?.name ?? null, expected, String(host));
  }
});

test("a Host header splits into a lower-case name and a port", () => {
  assert.deepEqual(parseHost("Web.Localhost:7000"), { name: "web.localhost", port: 7000 });
  assert.deepEqual(parseHost("web.localhost"), { name: "web.localhost", port: null });
  assert.equal(parseHost("[::1]:7000"), null);
});

test("loopback addresses are told from the others", () => {
  for (const host of ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "::ffff:127.0.0.1"]) assert.equal(isLoopback(host), true, host);
  for (const host of ["0.0.0.0", "::", "192.168.1.10", "devbox.local", "::ffff:10.0.0.1"]) assert.equal(isLoopback(host), false, host);
});

function fakeRequest(url: string, headers: Record<string, string> = {}, method = "GET"): IncomingMessage {
  return { url, method, headers: { ...headers } } as unknown as IncomingMessage;
}

test("the token is taken from ?token= on a page load, the cookie or a Bearer header, and from nothing else", () => {
  const token = "t0ken-of-the-proxy";
  const cookie = "devdeck_proxy_token_7000";
  const check = (req: IncomingMessage, isUpgrade = false) => checkProxyToken(req, token, cookie, isUpgrade).kind;
  assert.equal(check(fakeRequest("/")), "denied");
  assert.equal(check(fakeRequest(`/?token=${token}`)), "redirect");
  assert.equal(check(fakeRequest(`/?token=${token}`, {}, "POST")), "denied");
  assert.equal(check(fakeRequest(`/?token=${token}`), true), "denied");
  assert.equal(check(fakeRequest("/?token=nope")), "denied");
  assert.equal(check(fakeRequest("/", { cookie: `a=b; ${cookie}=${token}` })), "ok");
  assert.equal(check(fakeRequest("/", { cookie: `devdeck_proxy_token_7001=${token}` })), "denied");
  assert.equal(check(fakeRequest("/", { cookie: `${cookie}=%E0%A4%A` })), "denied");
  assert.equal(check(fakeRequest("/", { authorization: `Bearer ${token}` })), "ok");
  assert.equal(check(fakeRequest("/", { authorization: `Basic ${token}` })), "denied");
  assert.equal(check(fakeRequest("/", { cookie: `${cookie}=${token}` }), true), "ok");
});

test("the redirect keeps the path and the other parameters, and sets a Lax HttpOnly cookie", () => {
  const auth = checkProxyToken(fakeRequest("/a/b?x=1&token=tok&y=2"), "tok", "devdeck_proxy_token_7000", false);
  assert.deepEqual(auth, {
    kind: "redirect",
    location: "/a/b?x=1&y=2",
    setCookie: "devdeck_proxy_token_7000=tok; Path=/; HttpOnly; SameSite=Lax",
  });
});

test("devdeck's cookie and Bearer token are removed before forwarding, the app's own are kept", () => {
  const req = fakeRequest("/", { cookie: "a=1; devdeck_proxy_token_7000=tok; b=2", authorization: "Bearer tok" });
  stripProxyCredentials(req, "tok", "devdeck_proxy_token_7000");
  assert.equal(req.headers.cookie, "a=1; b=2");
  assert.equal(req.headers.authorization, undefined);
  const theirs = fakeRequest("/", { cookie: "devdeck_proxy_token_7000=tok", authorization: "Bearer app-token" });
  stripProxyCredentials(theirs, "tok", "devdeck_proxy_token_7000");
  assert.equal(theirs.headers.cookie, undefined);
  assert.equal(theirs.headers.authorization, "Bearer app-token");
});

test("the unavailable page escapes every dynamic text", () => {
  assert.equal(escapeHtml(`<a href="x">'&'</a>`), "&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;");
  const page = renderUnavailablePage({
    service: "<img src=x onerror=alert(1)>",
    state: "crashed",
    reason: "</p><script>alert(2)</script>",
    consoleUrl: `http://127.0.0.1:7007/?a="><script>alert(3)</script>`,
  });
  assert.doesNotMatch(page, /<script|<img/);
  assert.match(page, /&#60;img src=x onerror=alert\(1\)&#62;/);
  assert.match(page, /href="http:\/\/127\.0\.0\.1:7007\/\?a=&#34;&#62;&#60;script&#62;/);
  assert.match(page, /<span class="state">crashed<\/span>/);
});
