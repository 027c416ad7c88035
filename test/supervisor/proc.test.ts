// isSameProcess: the one "is this still the live process we saw" check (pids are reused, zombies are gone).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { isProcessAlive } from "../../server/state.ts";
import { isSameProcess, readProcStat } from "../../server/supervisor/proc.ts";
import { FIXTURES } from "../helpers/console.ts";
import { waitAllDead } from "../helpers/procs.ts";

test("a live process is the same one with its start time or none, and not with another start time", async (t) => {
  const child = spawn(process.execPath, [join(FIXTURES, "sleeper.mjs")], { stdio: ["ignore", "pipe", "ignore"] });
  child.on("error", () => {});
  const pid = child.pid ?? 0;
  t.after(async () => {
    child.kill("SIGKILL");
    await waitAllDead([pid]);
  });
  await once(child.stdout, "data");
  const startTime = readProcStat(pid)?.startTime;
  assert.equal(typeof startTime, "number");
  assert.equal(isSameProcess(pid), true);
  assert.equal(isSameProcess(pid, startTime), true);
  assert.equal(isSameProcess(pid, (startTime ?? 0) + 1), false, "same pid, other start time: a reused pid");
  assert.equal(isProcessAlive(pid), true);

  child.kill("SIGKILL");
  await once(child, "exit");
  assert.equal(isSameProcess(pid), false);
  assert.equal(isSameProcess(pid, startTime), false);
  assert.equal(isProcessAlive(pid), false);
});

test("pid 0 and negative pids (process groups for kill(2)) are never a live process", () => {
  for (const pid of [0, -1, -process.pid, 1.5, Number.NaN]) assert.equal(isSameProcess(pid), false, String(pid));
  assert.equal(isSameProcess(process.pid), true);
});
