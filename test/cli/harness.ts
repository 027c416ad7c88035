// Runs the devdeck command line to completion, as a user's shell would.
import { spawn } from "node:child_process";
import { realpathSync } from "node:fs";
import { join } from "node:path";
import { devdeckArgv, FIXTURES } from "../helpers/console.ts";
import { readJsonFile, statePaths, type ConsoleRecord, type StatePaths } from "../../server/state.ts";

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `devdeck ARGS` in `cwd` with `env`, resolving when it exits. */
export function runCli(args: readonly string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, devdeckArgv(args), { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** A YAML service line running a fixture with node, no shell. */
export function fixtureCmd(fixture: string, ...args: string[]): string {
  return JSON.stringify([process.execPath, join(FIXTURES, fixture), ...args]);
}

/** State paths of the console for `dir/devdeck.yaml` with XDG_STATE_HOME from env. */
export function pathsOf(dir: string, env: NodeJS.ProcessEnv, name = "devdeck.yaml"): StatePaths {
  return statePaths(realpathSync(join(dir, name)), env);
}

export function recordOf(dir: string, env: NodeJS.ProcessEnv): ConsoleRecord | null {
  return readJsonFile<ConsoleRecord>(pathsOf(dir, env).record);
}
