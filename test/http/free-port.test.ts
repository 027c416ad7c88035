// POST /api/services/NAME/free-port against real foreign processes holding a service's port.
import { test } from "node:test";
import assert from "node:assert/strict";
import { userInfo } from "node:os";
import type { ServiceStatus } from "../../shared/service.ts";
import { holdPort } from "../helpers/port-holder.ts";
import { releasedPort } from "../helpers/ports.ts";
import { isAlive, isPortOpen, waitAllDead } from "../helpers/procs.ts";
import { waitUntil } from "../helpers/wait.ts";
import { pidOf, service, startAndWait, startDeck, type Deck } from "./harness.ts";

/** http-server.mjs on `port`: ready once it listens there. */
const web = (port: number, over: Parameters<typeof service>[3] = {}) => service("web", "http-server.mjs", [], { port, ...over });

async function freePort(deck: Deck, name: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(new URL(`/api/services/${name}/free-port`, deck.url), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Starts `name` and waits until it is crashed because its port is taken; returns that status. */
async function startCrashed(deck: Deck, name: string): Promise<ServiceStatus> {
  await deck.supervisor.start(name);
  return waitUntil(() => {
    const status = deck.supervisor.get(name);
    return status?.state === "crashed" && status.portHolder !== null ? status : null;
  }, { message: `${name} crashed on its taken port` });
}

const systemLines = (deck: Deck, name: string) =>
  (deck.supervisor.logs.get(name)?.read(0, 1_000).lines ?? []).filter((l) => l.stream === "system").map((l) => l.text);

test("a taken port crashes the service with portHolder naming the holder; a wrong pid is 409 and kills nothing; the holder's pid stops it and the service runs", async (t) => {
  const holder = await holdPort(t);
  const deck = await startDeck(t, [web(holder.port)]);
  const crashed = await startCrashed(deck, "web");
  assert.equal(crashed.pid, null);
  const { startedAt, command, ...rest } = crashed.portHolder ?? { startedAt: null, command: "" };
  assert.deepEqual(rest, { port: holder.port, pid: holder.pid, user: userInfo().username, canStop: true });
  assert.match(command, /listen-port\.mjs 127\.0\.0\.1 0$/);
  assert.equal(typeof startedAt, "number");

  const wrong = await freePort(deck, "web", { pid: process.pid });
  assert.equal(wrong.status, 409);
  assert.equal(wrong.body["code"], "DD_ERR_PORT_HOLDER_CHANGED");
  assert.equal(wrong.body["error"], `port ${holder.port} is held by pid ${holder.pid} now, not by pid ${process.pid}`);
  assert.equal(isAlive(holder.pid), true);
  assert.equal(deck.supervisor.get("web")?.state, "crashed");

  const freed = await freePort(deck, "web", { pid: holder.pid });
  assert.equal(freed.status, 202);
  assert.equal(freed.body["name"], "web");
  await waitAllDead([holder.pid]);
  await waitUntil(() => deck.supervisor.get("web")?.state === "running", { message: "web running" });
  const running = deck.supervisor.get("web");
  assert.equal(running?.portHolder, null);
  assert.equal(await isPortOpen(holder.port), true);
  assert.ok(systemLines(deck, "web").includes(`stopped pid ${holder.pid} (${command}), which held port ${holder.port}`), systemLines(deck, "web").join("\n"));
});

test("while a request waits for the port, a second one is 409 and the holder gets SIGTERM once; the port freed ends the wait", async (t) => {
  const holder = await holdPort(t, { fixture: "listen-port-stubborn.mjs" });
  const deck = await startDeck(t, [web(holder.port, { stopTimeoutMs: 60_000 })]);
  await startCrashed(deck, "web");
  const first = freePort(deck, "web", { pid: holder.pid });
  first.catch(() => {}); // awaited below; a failed assertion before that must not turn into an unhandled rejection
  await waitUntil(() => holder.stdout().includes("SIGTERM ignored"), { message: "the holder to get SIGTERM" });
  // The first request waits for the port (up to a minute): a second one must not signal it again.
  const second = await freePort(deck, "web", { pid: holder.pid });
  assert.equal(second.status, 409);
  assert.equal(second.body["code"], "DD_ERR_PORT_BEING_FREED");
  assert.equal(holder.stdout().match(/SIGTERM ignored/g)?.length, 1);
  // Whoever frees the port ends the wait: here the test itself, so the first request needs no SIGKILL.
  process.kill(holder.pid, "SIGKILL");
  assert.equal((await first).status, 202);
  await waitUntil(() => deck.supervisor.get("web")?.state === "running", { message: "web running" });
});

test("stop_timeout bounds the wait: a holder that ignores SIGTERM gets SIGKILL and the log says so", async (t) => {
  const holder = await holdPort(t, { fixture: "listen-port-stubborn.mjs" });
  const deck = await startDeck(t, [web(holder.port, { stopTimeoutMs: 0 })]);
  await startCrashed(deck, "web");
  const freed = await freePort(deck, "web", { pid: holder.pid });
  assert.equal(freed.status, 202);
  await waitAllDead([holder.pid]);
  await waitUntil(() => deck.supervisor.get("web")?.state === "running", { message: "web running" });
  const line = systemLines(deck, "web").find((l) => l.startsWith(`stopped pid ${holder.pid} `));
  assert.match(line ?? "", new RegExp(`which held port ${holder.port} \\(killed by SIGKILL: SIGTERM did not free the port within 0 s\\)$`));
});

test("a port held by another of devdeck's services is refused with 409: that one is stopped with the normal stop", async (t) => {
  const port = await releasedPort();
  const deck = await startDeck(t, [service("api", "http-server.mjs", [], { port }), web(port)]);
  await startAndWait(deck, "api");
  const api = pidOf(deck, "api");
  const crashed = await startCrashed(deck, "web");
  assert.equal(crashed.portHolder?.pid, api);
  const res = await freePort(deck, "web", { pid: api });
  assert.equal(res.status, 409);
  assert.equal(res.body["error"], `pid ${api} is part of service 'api': stop it with the normal stop`);
  assert.equal(deck.supervisor.get("api")?.state, "running");
  assert.equal(isAlive(api), true);
});

test("another user's holder is shown as not stoppable and refused with 409; it keeps running", { skip: process.getuid?.() !== 0 && "needs root to run a process as another user" }, async (t) => {
  const NOBODY = 65_534;
  const holder = await holdPort(t, { uid: NOBODY, gid: NOBODY });
  const deck = await startDeck(t, [web(holder.port)]);
  const crashed = await startCrashed(deck, "web");
  assert.equal(crashed.portHolder?.pid, holder.pid);
  assert.equal(crashed.portHolder?.canStop, false);
  const res = await freePort(deck, "web", { pid: holder.pid });
  assert.equal(res.status, 409);
  assert.equal(res.body["code"], "DD_ERR_PORT_HOLDER_NOT_YOURS");
  assert.equal(isAlive(holder.pid), true);
});

test("a free port or a service without one is 409, a bad body 400, an unknown service 404", async (t) => {
  const deck = await startDeck(t, [web(await releasedPort()), service("plain", "deck-talk.mjs")]);
  const codes = async (name: string, body: unknown) => {
    const res = await freePort(deck, name, body);
    return [res.status, res.body["code"]];
  };
  assert.deepEqual(await codes("web", { pid: 4242 }), [409, "DD_ERR_PORT_FREE"]);
  assert.deepEqual(await codes("plain", { pid: 4242 }), [409, "DD_ERR_NO_PORT"]);
  for (const bad of [{}, { pid: "x" }, { pid: 0 }, { pid: -1 }, { pid: 1.5 }, [], null]) {
    assert.deepEqual(await codes("web", bad), [400, "DD_ERR_BAD_REQUEST"], JSON.stringify(bad));
  }
  assert.deepEqual(await codes("nope", { pid: 4242 }), [404, "DD_ERR_UNKNOWN_SERVICE"]);
  assert.equal(deck.supervisor.get("web")?.state, "stopped");
});

test("read-only: free-port is 403 and the holder keeps running", async (t) => {
  const holder = await holdPort(t);
  const deck = await startDeck(t, [web(holder.port)], { readOnly: true });
  await startCrashed(deck, "web");
  const res = await freePort(deck, "web", { pid: holder.pid });
  assert.equal(res.status, 403);
  assert.equal(res.body["code"], "DD_ERR_READ_ONLY");
  assert.equal(isAlive(holder.pid), true);
});
