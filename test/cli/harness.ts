// Runs the devdeck command line to completion, as a user's shell would; the ctl tests' project and status reads.
import { spawn } from "node:child_process";
import { realpathSync } from "node:fs";
import { join } from "node:path";
import type { ServiceStatus } from "../../shared/service.ts";
import { devdeckArgv, FIXTURES, type RunningConsole } from "../helpers/console.ts";
import { waitUntil } from "../helpers/wait.ts";
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

/** The ctl tests' project: `web` (deck-talk, started) and `idle` (sleeper, autostart false), both ready on `ready`. */
export const WEB_AND_IDLE = `services:
  web:
    cmd: ${fixtureCmd("deck-talk.mjs", "2")}
    ready: { log: "^ready$" }
  idle:
    cmd: ${fixtureCmd("sleeper.mjs")}
    ready: { log: "^ready$" }
    autostart: false
`;

/** GET /api/services/NAME of a running console. */
export async function statusOf(deck: Pick<RunningConsole, "url">, name: string, headers: Record<string, string> = {}): Promise<ServiceStatus> {
  const res = await fetch(new URL(`api/services/${name}`, deck.url), { headers });
  return (await res.json()) as ServiceStatus;
}

/** Waits until every service of `names` is running; resolves with their pids. */
export function pidsWhenRunning(deck: Pick<RunningConsole, "url">, names: readonly string[]): Promise<number[]> {
  return waitUntil(async () => {
    const list = await Promise.all(names.map((n) => statusOf(deck, n)));
    return list.every((s) => s.state === "running") ? list.map((s) => s.pid ?? 0) : null;
  }, { message: `${names.join(" and ")} running` });
}

/** State paths of the console for `dir/devdeck.yaml` with XDG_STATE_HOME from env. */
export function pathsOf(dir: string, env: NodeJS.ProcessEnv, name = "devdeck.yaml"): StatePaths {
  return statePaths(realpathSync(join(dir, name)), env);
}

/** The record (ID.json) of the console for `dir/devdeck.yaml`, or null. */
export function recordOf(dir: string, env: NodeJS.ProcessEnv): ConsoleRecord | null {
  return readJsonFile<ConsoleRecord>(pathsOf(dir, env).record);
}
