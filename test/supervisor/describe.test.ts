// describeExit writes every exit message: one table of facts → words.
import assert from "node:assert/strict";
import { test } from "node:test";
import { describeExit, describeRestart, type ExitFacts } from "../../server/supervisor/describe.ts";

const BASE: ExitFacts = {
  code: 1,
  signal: null,
  isShell: false,
  lastStderr: "",
  wasRequested: false,
  wasKilled: false,
  stopSignal: "SIGTERM",
  stopTimeoutMs: 5_000,
};

test("describeExit names the code, the signal, a forced kill and what the shell did not find", () => {
  const cases: Array<[Partial<ExitFacts>, string]> = [
    [{}, "exited with code 1"],
    [{ code: 0 }, "exited with code 0"],
    [{ code: null, signal: "SIGSEGV" }, "killed by SIGSEGV"],
    [{ code: null, signal: "SIGTERM", wasRequested: true }, "stopped (killed by SIGTERM)"],
    [{ code: null, signal: "SIGKILL", wasRequested: true, wasKilled: true }, "stopped: killed by SIGKILL after 5 s (SIGTERM did not end it)"],
    [{ code: null, signal: "SIGKILL", wasKilled: true, stopTimeoutMs: 1_500, stopSignal: "SIGINT" }, "killed by SIGKILL after 1.5 s (SIGINT did not end it)"],
    [{ code: 127, isShell: true, lastStderr: "bash: line 1: vite: command not found" }, "command not found: vite (the shell exited with code 127)"],
    [{ code: 127, isShell: true, lastStderr: "sh: 1: vite: not found" }, "command not found: vite (the shell exited with code 127)"],
    [{ code: 127, isShell: true }, "command not found (the shell exited with code 127)"],
    [{ code: 126, isShell: true, lastStderr: "bash: line 1: ./run.sh: Permission denied" }, "command not executable: ./run.sh (the shell exited with code 126)"],
    [{ code: 127, isShell: false }, "exited with code 127"],
  ];
  for (const [facts, text] of cases) assert.equal(describeExit({ ...BASE, ...facts }), text);
});

test("describeRestart gives the delay in seconds and the attempt number", () => {
  assert.equal(describeRestart(2_000, 3), "restarting in 2 s (attempt 3)");
  assert.equal(describeRestart(400, 1), "restarting in 0.4 s (attempt 1)");
});
