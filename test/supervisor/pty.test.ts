// Terminal mode (`pty: true`): a real pseudo-terminal, its own session and group, output read to the last byte.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
import type { ServiceSpec } from "../../server/config/types.ts";
import { createLogStore } from "../../server/logs/log-store.ts";
import type { ServiceLog } from "../../server/logs/types.ts";
import { killTree } from "../../server/supervisor/kill-tree.ts";
import { describePtyLoadError, importPty, spawnPty, type PtyLoader, type PtyRun } from "../../server/supervisor/pty.ts";
import { buildEnv, COLOR_ENV } from "../../server/supervisor/spawn.ts";
import { groupMembers, isAlive, waitAllDead } from "../helpers/procs.ts";
import { waitUntil } from "../helpers/wait.ts";
import { fixtureCmd, makeSpec, tempDir } from "./harness.ts";

// Node colours a terminal only when CI names a CI it knows (CI=true alone means no colour): the children
// here inherit this process's environment, and the colour check below is about the terminal, not CI.
delete process.env["CI"];

const FLOOD_LINES = 50_000;
const FLOOD_RUNS = 20;

/** process.env without anything that turns colour on or off: colour must come from the terminal alone. */
function plainEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of [...Object.keys(COLOR_ENV), "NO_COLOR", "NODE_DISABLE_COLORS", "TERM"]) delete env[name];
  return env;
}

interface Started {
  run: PtyRun;
  log: ServiceLog;
  texts: () => string[];
}

/** Spawns `cmd` in a pty as spawn.ts would (its env, color: false); every process of its group is gone after the test. */
async function startPty(t: TestContext, cmd: string | string[], overrides: Partial<ServiceSpec> = {}, load?: PtyLoader): Promise<Started> {
  const spec = makeSpec("tty", cmd, { pty: true, color: false, ...overrides });
  const log = createLogStore({ capacity: FLOOD_LINES + 100, maxLineBytes: 16384 }).create("tty");
  const built = buildEnv(spec, plainEnv());
  if ("reason" in built) throw new Error(built.reason);
  const [file = "", ...args] = typeof cmd === "string" ? ["/bin/sh", "-c", cmd] : cmd;
  const result = await spawnPty(spec, { file, args, isShell: typeof cmd === "string" }, built.env, log, load);
  if (!result.ok) throw new Error(result.reason);
  const { run } = result;
  t.after(async () => {
    // With the leader reaped and no member left, the pgid is free for reuse: nothing of ours to signal.
    if (!run.hasExited() || groupMembers(run.pid).length > 0) {
      await killTree(run.pid, { signal: "SIGKILL", timeoutMs: 0, isLeaderAlive: () => !run.hasExited() });
    }
    await run.exited;
  });
  const texts = () => log.read(0, FLOOD_LINES + 100).lines.map((l) => l.text);
  return { run, log, texts };
}

/** Session id and process group id of a live process, from /proc/PID/stat. */
function sessionAndGroup(pid: number): { sid: number; pgid: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { pgid: Number(fields[2]), sid: Number(fields[3]) };
}

test("a pty child leads its own session and process group (pgid = sid = pid)", async (t) => {
  const { run, texts } = await startPty(t, fixtureCmd("sleeper"));
  await waitUntil(() => texts().includes("ready"), { message: "ready" });
  assert.deepEqual(sessionAndGroup(run.pid), { sid: run.pid, pgid: run.pid });
  assert.deepEqual(texts(), [`pid ${run.pid}`, "ready"]);
  assert.equal(run.hasExited(), false);
});

test("in a pty, stdin/stdout/stderr are a 120×30 xterm-256color terminal: colours without FORCE_COLOR, stderr as stdout", async (t) => {
  const { run, log, texts } = await startPty(t, fixtureCmd("tty-info"));
  assert.deepEqual(await run.exited, { code: 0, signal: null });
  await run.outputDone;
  assert.deepEqual(texts(), [
    "tty stdin=true stdout=true stderr=true",
    "size 120x30",
    "TERM=xterm-256color FORCE_COLOR=",
    "from stderr",
    "{ answer: \x1b[33m42\x1b[39m }",
  ]);
  assert.deepEqual(new Set(log.read(0, 100).lines.map((l) => l.stream)), new Set(["stdout"]));
});

test("a TERM set in the config's env wins over xterm-256color", async (t) => {
  const { run, texts } = await startPty(t, fixtureCmd("tty-info"), { env: { TERM: "dumb" } });
  await run.exited;
  await run.outputDone;
  assert.equal(texts()[2], "TERM=dumb FORCE_COLOR=");
  // Node itself turns colour off for TERM=dumb: the terminal, not a variable, decides.
  assert.equal(texts()[4], "{ answer: 42 }");
});

test(`a child that prints ${FLOOD_LINES} lines and calls process.exit() loses none of them, ${FLOOD_RUNS} runs in a row`, async (t) => {
  const expected = Array.from({ length: FLOOD_LINES }, (_, i) => `line ${i + 1}`);
  for (let i = 0; i < FLOOD_RUNS; i++) {
    const { run, texts } = await startPty(t, fixtureCmd("flood-exit", String(FLOOD_LINES), "7"));
    assert.deepEqual(await run.exited, { code: 7, signal: null });
    await run.outputDone;
    const got = texts();
    // Compared as a count and the first mismatch: a 50,000-line diff would bury the failure.
    const firstWrong = expected.findIndex((line, k) => got[k] !== line);
    assert.deepEqual({ run: i, count: got.length, firstWrong }, { run: i, count: FLOOD_LINES, firstWrong: -1 });
  }
});

test("exit code and killing signal are reported as node reports a pipe child's", async (t) => {
  const crashed = await startPty(t, fixtureCmd("tty-info", "3"));
  assert.deepEqual(await crashed.run.exited, { code: 3, signal: null });
  assert.equal(crashed.run.hasExited(), true);

  const killed = await startPty(t, fixtureCmd("sleeper"));
  await waitUntil(() => killed.texts().includes("ready"), { message: "ready" });
  process.kill(killed.run.pid, "SIGTERM");
  assert.deepEqual(await killed.run.exited, { code: null, signal: "SIGTERM" });
});

test("stopping a pty service kills its whole tree, including a grandchild that ignores SIGTERM and SIGHUP", async (t) => {
  const { run, texts } = await startPty(t, fixtureCmd("pty-tree"));
  const pids = await waitUntil(() => texts().find((l) => /^\d+ \d+$/.test(l)), { message: "the pids line" });
  const [leader, grandchild] = pids.split(" ").map(Number) as [number, number];
  assert.equal(leader, run.pid);
  assert.deepEqual(new Set(groupMembers(run.pid)), new Set([leader, grandchild]));
  const result = await killTree(run.pid, { signal: "SIGTERM", timeoutMs: 300, isLeaderAlive: () => !run.hasExited() });
  assert.deepEqual(result, { isForcefullyTerminated: true, isGroupEmpty: true });
  await waitAllDead([leader, grandchild]);
  assert.deepEqual(await run.exited, { code: null, signal: "SIGTERM" });
  await run.outputDone;
  assert.equal(isAlive(grandchild), false);
});

test("UTF-8 split across two reads of the terminal arrives as one character", async (t) => {
  const { run, texts } = await startPty(t, fixtureCmd("split-utf8"));
  await run.exited;
  await run.outputDone;
  assert.deepEqual(texts(), ["café"]);
});

test("a shell command in a pty runs through the shell; 'not found' is its last output line", async (t) => {
  const { run, texts } = await startPty(t, "echo hello; definitely-not-a-command-7f3a");
  assert.deepEqual(await run.exited, { code: 127, signal: null });
  await run.outputDone;
  assert.equal(texts()[0], "hello");
  assert.equal(run.isShell, true);
  assert.match(run.lastStderr(), /definitely-not-a-command-7f3a: (command )?not found$/);
});

test("a command that does not exist or cannot run is a reason, not a run", async (t) => {
  const script = join(tempDir(t), "script.sh");
  writeFileSync(script, "#!/bin/sh\necho hi\n", { mode: 0o644 });
  const log = createLogStore({ capacity: 10, maxLineBytes: 1024 }).create("ghost");
  const spawnArgv = async (argv: string[]) => {
    const [file = "", ...args] = argv;
    const result = await spawnPty(makeSpec("ghost", argv, { pty: true }), { file, args, isShell: false }, process.env, log);
    if (!result.ok) return result.reason;
    process.kill(result.run.pid, "SIGKILL");
    await result.run.exited;
    return `started ${result.run.pid}`;
  };
  assert.equal(await spawnArgv(["/nonexistent/bin/ghost"]), "command not found: /nonexistent/bin/ghost");
  assert.equal(await spawnArgv(["definitely-not-a-command-7f3a"]), "command not found: definitely-not-a-command-7f3a");
  assert.equal(await spawnArgv([script]), `command not executable: ${script}`);
  assert.deepEqual(log.read(0, 10).lines, []);
});

test("where node-pty cannot be loaded, a pty service fails with a reason that says so and what to do", async () => {
  const log = createLogStore({ capacity: 10, maxLineBytes: 1024 }).create("tty");
  const missing: PtyLoader = () => importPty("devdeck-no-such-pty-module");
  const result = await spawnPty(makeSpec("tty", fixtureCmd("sleeper"), { pty: true }), { file: process.execPath, args: [], isShell: false }, process.env, log, missing);
  assert.equal(result.ok, false);
  assert.match(
    result.ok ? "" : result.reason,
    /^pty: true needs @lydell\/node-pty, which could not be loaded here: Cannot find package 'devdeck-no-such-pty-module'.*; run without pty or reinstall$/,
  );
  assert.equal(describePtyLoadError(new Error("bad ELF\nstack")), "pty: true needs @lydell/node-pty, which could not be loaded here: bad ELF; run without pty or reinstall");
});

test("output of a child that prints at once comes after what the caller logs when the spawn resolves", async (t) => {
  for (let i = 0; i < 20; i++) {
    const { run, log, texts } = await startPty(t, ["/bin/echo", `hello ${i}`]);
    log.system(`started (pid ${run.pid})`);
    await run.exited;
    await run.outputDone;
    assert.deepEqual(texts(), [`started (pid ${run.pid})`, `hello ${i}`]);
  }
});
