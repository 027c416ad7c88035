import { test } from "node:test";
import assert from "node:assert/strict";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { ServiceStatus } from "../../shared/service.ts";
import { makeProject, startConsole, type RunningConsole } from "../helpers/console.ts";
import { isAlive, waitAllDead } from "../helpers/procs.ts";
import { waitUntil } from "../helpers/wait.ts";
import { fixtureCmd, pathsOf, recordOf, runCli } from "./harness.ts";

const CONFIG = `services:
  web:
    cmd: ${fixtureCmd("deck-talk.mjs", "2")}
    ready: { log: "^ready$" }
  idle:
    cmd: ${fixtureCmd("sleeper.mjs")}
    ready: { log: "^ready$" }
    autostart: false
`;

async function statusOf(deck: RunningConsole, name: string, headers: Record<string, string> = {}): Promise<ServiceStatus> {
  const res = await fetch(new URL(`api/services/${name}`, deck.url), { headers });
  return (await res.json()) as ServiceStatus;
}

const ctl = (deck: RunningConsole, args: string[]) => runCli(["ctl", ...args], { cwd: deck.dir, env: deck.env });

test("devdeck -d returns after the ready line; ctl shutdown then stops every service and the console", async (t) => {
  const dir = makeProject(CONFIG);
  const env = { ...process.env, XDG_STATE_HOME: join(dir, ".state"), DEVDECK_LOG_LEVEL: "warn" };
  const started = await runCli(["-d", "-p", "0", "web", "idle"], { cwd: dir, env });
  assert.equal(started.code, 0, started.stderr);
  assert.match(started.stdout, /^devdeck ready at http:\/\/127\.0\.0\.1:\d+\/\n$/);
  const record = recordOf(dir, env);
  assert.ok(record && isAlive(record.pid));
  t.after(() => {
    if (isAlive(record.pid)) process.kill(record.pid, "SIGTERM");
  });
  const deck = { url: record.url } as RunningConsole;
  const pids = await waitUntil(async () => {
    const list = await Promise.all(["web", "idle"].map((n) => statusOf(deck, n)));
    return list.every((s) => s.state === "running") ? list.map((s) => s.pid ?? 0) : null;
  }, { message: "both services running" });

  const stop = await runCli(["ctl", "shutdown"], { cwd: dir, env });
  assert.equal(stop.code, 0, stop.stderr);
  assert.equal(isAlive(record.pid), false, "ctl shutdown returns once the console is gone");
  await waitAllDead(pids);
  assert.equal(existsSync(pathsOf(dir, env).record), false);
  assert.ok(existsSync(pathsOf(dir, env).log));
});

test("ctl shutdown of a foreground console: 202, every service stopped, the console exits 0", async (t) => {
  const deck = await startConsole(CONFIG, { args: ["web", "idle"] });
  t.after(() => deck.close());
  const pids = await waitUntil(async () => {
    const list = await Promise.all(["web", "idle"].map((n) => statusOf(deck, n)));
    return list.every((s) => s.state === "running") ? list.map((s) => s.pid ?? 0) : null;
  }, { message: "both services running" });
  const exited = once(deck.child, "exit");
  const res = await ctl(deck, ["shutdown"]);
  assert.equal(res.code, 0, res.stderr);
  const [code] = (await exited) as [number | null];
  assert.equal(code, 0);
  await waitAllDead(pids);
});
