// Nothing devdeck started outlives it, even SIGKILL: the watchdog, the record of live groups and reapLeftovers.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
import { readProcStat } from "../../server/supervisor/proc.ts";
import { reapLeftovers, type GroupsFile } from "../../server/supervisor/reaper.ts";
import { statePaths, writePrivateFile } from "../../server/state.ts";
import { FIXTURES, ROOT } from "../helpers/console.ts";
import { isAlive, isPortOpen, waitAllDead } from "../helpers/procs.ts";
import { fixtureCmd, tempDir, tempStatePaths } from "./harness.ts";
import { releasedPort } from "../helpers/ports.ts";

interface DeckPids {
  deck: number;
  child: number;
  grandchild: number;
  groups: string;
}

/** Runs test/fixtures/bin/mini-deck.mjs (a supervisor with real state files) until it reports its pids. */
async function runMiniDeck(t: TestContext, dir: string, port: number, args: string[] = []): Promise<{ proc: ChildProcess; pids: DeckPids }> {
  const configFile = join(dir, "devdeck.yaml");
  writeFileSync(configFile, "services: {}\n");
  const proc = spawn(process.execPath, ["--import", "tsx", join(FIXTURES, "mini-deck.mjs"), configFile, ...args], {
    // From the project root, where `--import tsx` resolves.
    cwd: ROOT,
    env: { ...process.env, XDG_STATE_HOME: join(dir, "state"), PORT: String(port) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  proc.on("error", () => {});
  t.after(() => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
  });
  let out = "";
  proc.stdout?.setEncoding("utf8");
  const line = await new Promise<string>((resolve, reject) => {
    proc.stdout?.on("data", (chunk: string) => {
      out += chunk;
      if (out.includes("\n")) resolve(out.slice(0, out.indexOf("\n")));
    });
    proc.once("exit", (code) => reject(new Error(`mini-deck exited with ${code}`)));
  });
  const pids = JSON.parse(line) as DeckPids;
  t.after(() => {
    for (const pid of [pids.child, pids.grandchild]) if (isAlive(pid)) process.kill(pid, "SIGKILL");
  });
  return { proc, pids };
}

/** Pids of watchdog shells guarding group `pgid`. */
function watchdogsOf(pgid: number): number[] {
  return readdirSync("/proc")
    .filter((e) => /^\d+$/.test(e))
    .filter((e) => {
      try {
        const argv = readFileSync(`/proc/${e}/cmdline`, "utf8").split("\0");
        return argv.includes("devdeck-watchdog") && argv.includes(String(pgid)) && isAlive(Number(e));
      } catch {
        return false;
      }
    })
    .map(Number);
}

test("devdeck killed with SIGKILL leaves no survivor: the watchdog takes the group down, port freed", async (t) => {
  const dir = tempDir(t);
  const port = await releasedPort();
  const { proc, pids } = await runMiniDeck(t, dir, port);
  const watchdogs = watchdogsOf(pids.child);
  assert.equal(watchdogs.length, 1);
  assert.equal(await isPortOpen(port), true);
  const record = JSON.parse(readFileSync(pids.groups, "utf8")) as GroupsFile;
  assert.deepEqual(record.groups.map((g) => g.pgid), [pids.child]);
  proc.kill("SIGKILL");
  await once(proc, "exit");
  // The grandchild ignores SIGTERM: the watchdog's SIGKILL after its grace ends it.
  await waitAllDead([pids.child, pids.grandchild, ...watchdogs]);
  assert.equal(await isPortOpen(port), false);
});

test("without watchdogs, the next start reaps the groups a SIGKILLed devdeck recorded", async (t) => {
  const dir = tempDir(t);
  const port = await releasedPort();
  const { proc, pids } = await runMiniDeck(t, dir, port, ["--no-watchdog"]);
  proc.kill("SIGKILL");
  await once(proc, "exit");
  assert.equal(isAlive(pids.grandchild), true, "nothing else reaps it");
  const reaped = await reapLeftovers(statePaths(join(dir, "devdeck.yaml"), { XDG_STATE_HOME: join(dir, "state") }));
  assert.deepEqual(reaped, [pids.child]);
  await waitAllDead([pids.child, pids.grandchild]);
  assert.equal(existsSync(pids.groups), false);
});

/** A sleeper in its own process group, killed after the test. */
async function detachedSleeper(t: TestContext): Promise<number> {
  const child = spawn(fixtureCmd("sleeper")[0] ?? "", fixtureCmd("sleeper").slice(1), { detached: true, stdio: ["ignore", "pipe", "ignore"] });
  child.on("error", () => {});
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  await once(child.stdout ?? child, "data");
  return child.pid ?? 0;
}

/** A pid that is certainly not alive: a process that has exited and been reaped. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await once(child, "exit");
  return child.pid ?? 0;
}

function writeGroups(dir: string, file: GroupsFile) {
  const paths = tempStatePaths(dir);
  writePrivateFile(paths.groups, JSON.stringify(file), paths.dir);
  return paths;
}

test("reapLeftovers kills a recorded group whose leader has the recorded start time, never one whose start time differs", async (t) => {
  const dir = tempDir(t);
  const ours = await detachedSleeper(t);
  const reused = await detachedSleeper(t);
  const startOf = (pid: number) => readProcStat(pid)?.startTime ?? 0;
  const paths = writeGroups(dir, {
    consolePid: await deadPid(),
    consoleStartTime: null,
    groups: [
      { pgid: ours, startTime: startOf(ours) },
      // Same pid, other start time: the pid was reused by a process that is not ours.
      { pgid: reused, startTime: startOf(reused) - 1 },
    ],
  });
  assert.deepEqual(await reapLeftovers(paths), [ours]);
  assert.equal(isAlive(ours), false);
  assert.equal(isAlive(reused), true);
  assert.equal(existsSync(paths.groups), false);
});

test("reapLeftovers kills the remaining members of a recorded group whose leader is gone", async (t) => {
  const dir = tempDir(t);
  const leader = spawn("/bin/sh", ["-c", `${fixtureCmd("sleeper").map((a) => `'${a}'`).join(" ")} & echo $!`], { detached: true, stdio: ["ignore", "pipe", "ignore"] });
  leader.on("error", () => {});
  const [out] = (await once(leader.stdout ?? leader, "data")) as [Buffer];
  const member = Number(String(out).trim());
  t.after(() => (isAlive(member) ? process.kill(member, "SIGKILL") : undefined));
  const startTime = readProcStat(leader.pid ?? 0)?.startTime ?? 0;
  if (leader.exitCode === null) await once(leader, "exit");
  assert.equal(isAlive(member), true);
  const paths = writeGroups(dir, { consolePid: await deadPid(), consoleStartTime: null, groups: [{ pgid: leader.pid ?? 0, startTime }] });
  assert.deepEqual(await reapLeftovers(paths), [leader.pid]);
  assert.equal(isAlive(member), false);
});

test("reapLeftovers touches nothing while the recorded console is still alive", async (t) => {
  const dir = tempDir(t);
  const ours = await detachedSleeper(t);
  const liveConsole = await detachedSleeper(t);
  const paths = writeGroups(dir, {
    consolePid: liveConsole,
    consoleStartTime: readProcStat(liveConsole)?.startTime ?? null,
    groups: [{ pgid: ours, startTime: readProcStat(ours)?.startTime ?? 0 }],
  });
  assert.deepEqual(await reapLeftovers(paths), []);
  assert.equal(isAlive(ours), true);
  assert.equal(existsSync(paths.groups), true);
});
