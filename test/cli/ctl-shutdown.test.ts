import { test } from "node:test";
import assert from "node:assert/strict";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { makeProject, startConsole, type RunningConsole } from "../helpers/console.ts";
import { isAlive, waitAllDead } from "../helpers/procs.ts";
import { pathsOf, pidsWhenRunning, recordOf, runCli, WEB_AND_IDLE } from "./harness.ts";

const ctl = (deck: RunningConsole, args: string[]) => runCli(["ctl", ...args], { cwd: deck.dir, env: deck.env });

test("devdeck -d returns after the ready line; ctl shutdown then stops every service and the console", async (t) => {
  const dir = makeProject(WEB_AND_IDLE);
  const env = { ...process.env, XDG_STATE_HOME: join(dir, ".state"), DEVDECK_LOG_LEVEL: "warn" };
  const started = await runCli(["-d", "-p", "0", "web", "idle"], { cwd: dir, env });
  assert.equal(started.code, 0, started.stderr);
  assert.match(started.stdout, /^devdeck ready at http:\/\/127\.0\.0\.1:\d+\/\n$/);
  const record = recordOf(dir, env);
  assert.ok(record && isAlive(record.pid));
  t.after(() => {
    if (isAlive(record.pid)) process.kill(record.pid, "SIGTERM");
  });
  const pids = await pidsWhenRunning({ url: record.url }, ["web", "idle"]);

  const stop = await runCli(["ctl", "shutdown"], { cwd: dir, env });
  assert.equal(stop.code, 0, stop.stderr);
  assert.equal(isAlive(record.pid), false, "ctl shutdown returns once the console is gone");
  await waitAllDead(pids);
  assert.equal(existsSync(pathsOf(dir, env).record), false);
  assert.ok(existsSync(pathsOf(dir, env).log));
});

test("ctl shutdown of a foreground console: 202, every service stopped, the console exits 0", async (t) => {
  const deck = await startConsole(WEB_AND_IDLE, { args: ["web", "idle"] });
  t.after(() => deck.close());
  const pids = await pidsWhenRunning(deck, ["web", "idle"]);
  const exited = once(deck.child, "exit");
  const res = await ctl(deck, ["shutdown"]);
  assert.equal(res.code, 0, res.stderr);
  const [code] = (await exited) as [number | null];
  assert.equal(code, 0);
  await waitAllDead(pids);
});
