import { test } from "node:test";
import assert from "node:assert/strict";
import type { ServiceStatus } from "../../shared/service.ts";
import type { LogsBody } from "../../shared/protocol.ts";
import { waitUntil } from "../helpers/wait.ts";
import { service, startAndWait, startDeck, type Deck } from "./harness.ts";

async function call(deck: Deck, method: string, path: string, init: RequestInit = {}): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await fetch(new URL(path, deck.url), { method, ...init });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body, headers: res.headers };
}

const stateOf = (deck: Deck, name: string) => deck.supervisor.get(name)?.state;

test("GET /api/services lists statuses in config order; one by name; an unknown name is 404 with { error }", async (t) => {
  const deck = await startDeck(t, [service("web", "deck-talk.mjs"), service("api", "deck-talk.mjs")]);
  const all = await call(deck, "GET", "/api/services");
  assert.equal(all.status, 200);
  assert.deepEqual((all.body as ServiceStatus[]).map((s) => [s.name, s.state]), [["web", "stopped"], ["api", "stopped"]]);
  const one = await call(deck, "GET", "/api/services/api");
  assert.equal((one.body as ServiceStatus).name, "api");
  const missing = await call(deck, "GET", "/api/services/nope");
  assert.equal(missing.status, 404);
  assert.deepEqual(missing.body, { error: "unknown service 'nope'", code: "DD_ERR_UNKNOWN_SERVICE" });
});

test("start, restart and stop answer 202 with the status at once; the state then moves; repeating is harmless", async (t) => {
  const deck = await startDeck(t, [service("web", "deck-talk.mjs")]);
  const started = await call(deck, "POST", "/api/services/web/start");
  assert.equal(started.status, 202);
  assert.equal((started.body as ServiceStatus).name, "web");
  await waitUntil(() => stateOf(deck, "web") === "running", { message: "web running" });
  assert.equal((await call(deck, "POST", "/api/services/web/start")).status, 202);

  assert.equal((await call(deck, "POST", "/api/services/web/restart")).status, 202);
  await waitUntil(() => deck.supervisor.get("web")?.restarts === 1 && stateOf(deck, "web") === "running", { message: "web restarted" });

  assert.equal((await call(deck, "POST", "/api/services/web/stop")).status, 202);
  await waitUntil(() => stateOf(deck, "web") === "stopped", { message: "web stopped" });
  assert.equal((await call(deck, "POST", "/api/services/web/stop")).status, 202);
  assert.equal((await call(deck, "POST", "/api/services/nope/restart")).status, 404);
});

test("a start that fails later is still a 202; the failure shows in the status", async (t) => {
  const deck = await startDeck(t, [service("ghost", "deck-talk.mjs", [], { cmd: ["/nonexistent/devdeck-test-binary"] })]);
  const res = await call(deck, "POST", "/api/services/ghost/start");
  assert.equal(res.status, 202);
  await waitUntil(() => stateOf(deck, "ghost") === "crashed", { message: "ghost crashed" });
  assert.equal((await call(deck, "GET", "/api/services")).status, 200);
});

test("GET logs returns lines after since, the first `limit` or the last `tail`; both at once or bad numbers are 400", async (t) => {
  const deck = await startDeck(t, [service("talk", "deck-talk.mjs", ["6"])]);
  await startAndWait(deck, "talk");
  const last = deck.supervisor.logs.get("talk")?.lastSeq ?? 0;
  const seqs = async (query: string) => ((await call(deck, "GET", `/api/services/talk/logs${query}`)).body as LogsBody).lines.map((l) => l.seq);
  assert.deepEqual(await seqs(""), Array.from({ length: last }, (_, i) => i + 1));
  assert.deepEqual(await seqs("?since=3&limit=2"), [4, 5]);
  assert.deepEqual(await seqs("?tail=2"), [last - 1, last]);
  assert.deepEqual(await seqs(`?since=${last - 1}&tail=5`), [last]);
  assert.deepEqual(await seqs(`?since=${last}`), []);
  for (const bad of ["?limit=1&tail=1", "?since=abc", "?since=-1", "?tail=1.5"]) {
    const res = await call(deck, "GET", `/api/services/talk/logs${bad}`);
    assert.equal(res.status, 400, bad);
    assert.equal(typeof (res.body as { error: unknown }).error, "string");
  }
  assert.equal((await call(deck, "GET", "/api/services/nope/logs")).status, 404);
});

test("read-only: every control request gets 403, known service or not; reads still work", async (t) => {
  const shutdowns: string[] = [];
  const deck = await startDeck(t, [service("web", "deck-talk.mjs")], { readOnly: true, onShutdown: () => shutdowns.push("called") });
  for (const path of ["/api/services/web/start", "/api/services/web/stop", "/api/services/web/restart", "/api/services/nope/start", "/api/shutdown"]) {
    const res = await call(deck, "POST", path);
    assert.equal(res.status, 403, path);
    assert.equal((res.body as { code: string }).code, "DD_ERR_READ_ONLY");
  }
  assert.equal((await call(deck, "GET", "/api/services")).status, 200);
  assert.equal(((await call(deck, "GET", "/api/console")).body as { readOnly: boolean }).readOnly, true);
  assert.equal(stateOf(deck, "web"), "stopped");
  assert.deepEqual(shutdowns, []);
});

test("a body that is not JSON is refused with 415 and does nothing; a JSON body is accepted", async (t) => {
  const deck = await startDeck(t, [service("web", "deck-talk.mjs")]);
  const forms = [
    { "content-type": "text/plain", body: "{}" },
    { "content-type": "application/x-www-form-urlencoded", body: "a=1" },
    { "content-type": "multipart/form-data; boundary=x", body: "--x--" },
  ];
  for (const form of forms) {
    const res = await call(deck, "POST", "/api/services/web/start", { headers: { "content-type": form["content-type"] }, body: form.body });
    assert.equal(res.status, 415, form["content-type"]);
  }
  assert.equal(stateOf(deck, "web"), "stopped");
  const bad = await call(deck, "POST", "/api/services/web/start", { headers: { "content-type": "application/json" }, body: "{not json" });
  assert.equal(bad.status, 400);
  const ok = await call(deck, "POST", "/api/services/web/start", { headers: { "content-type": "application/json" }, body: "{}" });
  assert.equal(ok.status, 202);
});

test("writes are POST only, and no answer ever carries a CORS header", async (t) => {
  const deck = await startDeck(t, [service("web", "deck-talk.mjs")]);
  const origin = { origin: "http://evil.example" };
  const answers = [
    await call(deck, "PUT", "/api/services/web/start"),
    await call(deck, "DELETE", "/api/services/web"),
    await call(deck, "GET", "/api/services/web/start"),
    await call(deck, "OPTIONS", "/api/services/web/start", { headers: { ...origin, "access-control-request-method": "POST" } }),
    await call(deck, "GET", "/api/services", { headers: origin }),
    await call(deck, "POST", "/api/services/web/start", { headers: origin }),
  ];
  assert.deepEqual(answers.slice(0, 4).map((a) => a.status), [404, 404, 404, 403]);
  for (const answer of answers) {
    const cors = [...answer.headers.keys()].filter((k) => k.startsWith("access-control-"));
    assert.deepEqual(cors, []);
  }
  assert.equal(stateOf(deck, "web"), "stopped");
});

test("POST /api/shutdown answers 202, then asks the console to stop", async (t) => {
  let calls = 0;
  const deck = await startDeck(t, [], { onShutdown: () => calls++ });
  const res = await call(deck, "POST", "/api/shutdown");
  assert.equal(res.status, 202);
  await waitUntil(() => calls === 1, { message: "the shutdown hook" });
});

test("GET /api/console names the instance the log seqs belong to", async (t) => {
  const deck = await startDeck(t, []);
  const res = await call(deck, "GET", "/api/console");
  assert.deepEqual(res.body, { instance: deck.supervisor.instance, readOnly: false, version: "0.0.0" });
});

test("`*` controls every service in one request: stop goes dependents first, restart leaves stopped services alone", async (t) => {
  const deck = await startDeck(t, [
    service("db", "deck-talk.mjs"),
    service("web", "deck-talk.mjs", [], { dependsOn: ["db"] }),
    service("idle", "deck-talk.mjs"),
  ]);
  const started = await call(deck, "POST", "/api/services/*/start", { headers: { "content-type": "application/json" }, body: "{}" });
  assert.equal(started.status, 202);
  assert.deepEqual((started.body as ServiceStatus[]).map((s) => s.name), ["db", "web", "idle"]);
  await waitUntil(() => ["db", "web", "idle"].every((n) => stateOf(deck, n) === "running"), { message: "all running" });

  const order: string[] = [];
  const off = deck.supervisor.onStatus((s) => {
    if (s.state === "stopped") order.push(s.name);
  });
  assert.equal((await call(deck, "POST", "/api/services/*/stop")).status, 202);
  await waitUntil(() => order.length === 3, { message: "all stopped" });
  off();
  assert.ok(order.indexOf("web") < order.indexOf("db"), `web stops before db: ${order.join(", ")}`);

  await startAndWait(deck, "db");
  assert.equal((await call(deck, "POST", "/api/services/*/restart")).status, 202);
  await waitUntil(() => deck.supervisor.get("db")?.restarts === 2 && stateOf(deck, "db") === "running", { message: "db restarted" });
  assert.equal(stateOf(deck, "web"), "stopped");
  assert.equal(stateOf(deck, "idle"), "stopped");
});

test("`*` is refused like any control request on a read-only console", async (t) => {
  const deck = await startDeck(t, [service("web", "deck-talk.mjs")], { readOnly: true });
  for (const action of ["start", "stop", "restart"]) assert.equal((await call(deck, "POST", `/api/services/*/${action}`)).status, 403);
});
