import { test } from "node:test";
import assert from "node:assert/strict";
import { once } from "node:events";
import { existsSync, mkdirSync, mkdtempSync, realpathSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer } from "node:net";
import { join } from "node:path";
import type { ServiceStatus } from "../../shared/service.ts";
import { startConsole, makeProject, type RunningConsole } from "../helpers/console.ts";
import { waitAllDead } from "../helpers/procs.ts";
import { waitUntil } from "../helpers/wait.ts";
import { fixtureCmd, pathsOf, recordOf, runCli } from "./harness.ts";

const TWO_SERVICES = `services:
  web:
    cmd: ${fixtureCmd("deck-talk.mjs", "2")}
    ready: { log: "^ready$" }
  worker:
    cmd: ${fixtureCmd("sleeper.mjs")}
    ready: { log: "^ready$" }
`;

async function statuses(deck: RunningConsole, headers: Record<string, string> = {}): Promise<ServiceStatus[]> {
  const res = await fetch(new URL("api/services", deck.url), { headers });
  assert.equal(res.status, 200);
  return (await res.json()) as ServiceStatus[];
}

async function allRunning(deck: RunningConsole, headers: Record<string, string> = {}): Promise<number[]> {
  const list = await waitUntil(async () => {
    const all = await statuses(deck, headers);
    return all.every((s) => s.state === "running") ? all : null;
  }, { message: "every service running" });
  return list.map((s) => s.pid ?? 0);
}

test("prints the ready line, records itself in ID.json (0600), and on SIGTERM stops every service and removes the record", async (t) => {
  const deck = await startConsole(TWO_SERVICES);
  t.after(() => deck.close());
  assert.match(deck.stdout().split("\n")[0] ?? "", /^devdeck ready at http:\/\/127\.0\.0\.1:\d+\/$/);
  assert.equal(deck.readyUrl, deck.url);
  const pids = await allRunning(deck);

  const { record } = pathsOf(deck.dir, deck.env);
  assert.equal(statSync(record).mode & 0o777, 0o600);
  const written = recordOf(deck.dir, deck.env);
  assert.equal(typeof written?.processStartTime, "number", "the start time that tells a reused pid apart");
  assert.deepEqual({ ...written, startedAt: 0, instance: "", processStartTime: 0 }, {
    url: deck.url,
    pid: deck.child.pid,
    processStartTime: 0,
    token: null,
    instance: "",
    config: realpathSync(join(deck.dir, "devdeck.yaml")),
    startedAt: 0,
  });

  const exited = once(deck.child, "exit");
  deck.child.kill("SIGTERM");
  const [code] = (await exited) as [number | null];
  assert.equal(code, 0);
  await waitAllDead(pids);
  assert.equal(existsSync(record), false);
});

test("with service names, only those start; the others are listed, stopped", async (t) => {
  const deck = await startConsole(TWO_SERVICES, { args: ["worker"] });
  t.after(() => deck.close());
  await waitUntil(async () => (await statuses(deck)).find((s) => s.name === "worker")?.state === "running", { message: "worker running" });
  assert.equal((await statuses(deck)).find((s) => s.name === "web")?.state, "stopped");
});

test("a second devdeck for the same config starts nothing, names the running console's URL on stderr, and exits 1", async (t) => {
  const deck = await startConsole(TWO_SERVICES);
  t.after(() => deck.close());
  const before = await allRunning(deck);
  const second = await runCli(["-c", join(deck.dir, "devdeck.yaml"), "-p", "0"], { cwd: deck.dir, env: deck.env });
  assert.equal(second.code, 1);
  assert.equal(second.stderr, `devdeck is already running for ${join(deck.dir, "devdeck.yaml")} at ${deck.url}\n`);
  assert.equal(second.stdout, "");
  assert.deepEqual((await statuses(deck)).map((s) => s.pid), before);
});

test("a port in use is one line on stderr and exit 1, and no service starts", async (t) => {
  const blocker = createServer();
  blocker.listen(0, "127.0.0.1");
  await once(blocker, "listening");
  t.after(() => blocker.close());
  const port = (blocker.address() as { port: number }).port;
  const dir = makeProject(`services:\n  web:\n    cmd: ${fixtureCmd("deck-talk.mjs")}\n`);
  const env = { ...process.env, XDG_STATE_HOME: join(dir, ".state") };
  const res = await runCli(["-c", join(dir, "devdeck.yaml"), "-p", String(port)], { cwd: dir, env });
  assert.equal(res.code, 1);
  assert.equal(res.stderr, `devdeck: port ${port} on 127.0.0.1 is already in use (try --port 0)\n`);
  assert.equal(res.stdout, "");
  assert.equal(existsSync(pathsOf(dir, env).record), false);
});

test("an invalid config stops devdeck before anything starts: exit 2, the file named, no stack trace", async () => {
  const dir = makeProject("services:\n  web:\n    cwd: somewhere\n");
  const res = await runCli(["-p", "0"], { cwd: dir, env: { ...process.env, XDG_STATE_HOME: join(dir, ".state") } });
  assert.equal(res.code, 2);
  assert.match(res.stderr, /devdeck\.yaml/);
  assert.doesNotMatch(res.stderr, /\n\s+at /);
  const empty = mkdtempSync(join(tmpdir(), "devdeck-empty-"));
  const none = await runCli(["-p", "0"], { cwd: empty, env: { ...process.env, XDG_STATE_HOME: join(empty, ".state") } });
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no devdeck\.yaml/);
});

test("--version, --help, and an unknown option (one line, exit 2)", async () => {
  const cwd = makeProject("services: {}\n");
  const version = await runCli(["--version"], { cwd, env: process.env });
  assert.match(version.stdout, /^devdeck \d+\.\d+\.\d+\n$/);
  const help = await runCli(["--help"], { cwd, env: process.env });
  assert.match(help.stdout, /Usage: devdeck \[options\] \[service \.\.\.\]/);
  const bad = await runCli(["--frobnicate"], { cwd, env: process.env });
  assert.equal(bad.code, 2);
  assert.equal(bad.stderr.trim().split("\n").length, 1);
});

test("beyond loopback a token is required: the ready URL carries it, it survives a restart, and requests without it get 401", async (t) => {
  const first = await startConsole(TWO_SERVICES, { args: ["-H", "0.0.0.0"] });
  t.after(() => first.close());
  const token = new URL(first.readyUrl).searchParams.get("token") ?? "";
  assert.ok(token.length >= 32);
  assert.match(first.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  assert.equal((await fetch(new URL("api/services", first.url))).status, 401);
  await allRunning(first, { authorization: `Bearer ${token}` });
  assert.equal(statSync(pathsOf(first.dir, first.env).token).mode & 0o777, 0o600);
  assert.ok(!first.stderr().includes(token), "the token is not in devdeck's log");
  await first.close();

  const second = await startConsole(null, { dir: first.dir, args: ["-H", "0.0.0.0"] });
  t.after(() => second.close());
  assert.equal(new URL(second.readyUrl).searchParams.get("token"), token);
});

test("DEVDECK_TOKEN is the token when given (console.auth: token on loopback), and services do not inherit it", async (t) => {
  const token = "from-the-environment-0123456789";
  const config = `services:\n  env:\n    cmd: ${fixtureCmd("echo-env.mjs", "DEVDECK_TOKEN")}\n    ready: { log: "^ready$" }\nconsole:\n  auth: token\n`;
  const deck = await startConsole(config, { env: { DEVDECK_TOKEN: token } });
  t.after(() => deck.close());
  assert.equal(new URL(deck.readyUrl).searchParams.get("token"), token);
  assert.equal((await fetch(new URL("api/services", deck.url))).status, 401);
  const auth = { authorization: `Bearer ${token}` };
  await allRunning(deck, auth);
  const res = await fetch(new URL("api/services/env/logs", deck.url), { headers: auth });
  const { lines } = (await res.json()) as { lines: Array<{ text: string }> };
  assert.ok(lines.some((l) => l.text === "DEVDECK_TOKEN="), "the service saw no token");
});

test("a stale record whose pid now belongs to another process does not stop a new console", async (t) => {
  const dir = makeProject(`services:\n  web:\n    cmd: ${fixtureCmd("deck-talk.mjs")}\n`);
  const env = { ...process.env, XDG_STATE_HOME: join(dir, ".state") };
  const paths = pathsOf(dir, env);
  // As after a SIGKILL: the record stays, and its pid (here this test's own) is alive but another process.
  const stale = { url: "http://127.0.0.1:1/", pid: process.pid, processStartTime: 1, token: null, instance: "old", config: realpathSync(join(dir, "devdeck.yaml")), startedAt: 0 };
  mkdirSync(paths.dir, { recursive: true });
  writeFileSync(paths.record, JSON.stringify(stale));
  const deck = await startConsole(null, { dir });
  t.after(() => deck.close());
  assert.notEqual(recordOf(dir, env)?.pid, process.pid);
});
