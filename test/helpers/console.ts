// Starts a real devdeck (the CLI, as a user would) on port 0 and hands back its URL.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { once } from "node:events";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

export const ROOT = resolve(import.meta.dirname, "../..");
export const FIXTURES = join(ROOT, "test/fixtures/bin");

export interface RunningConsole {
  url: string;
  /** URL with `?token=` when the console printed one. */
  readyUrl: string;
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Folder holding the config; also XDG_STATE_HOME for this console. */
  dir: string;
  env: NodeJS.ProcessEnv;
  close: () => Promise<void>;
}

export interface StartOptions {
  /** Extra CLI arguments (after -c FILE -p 0). */
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /** Existing folder to reuse (restart a console on the same config and state). */
  dir?: string;
  /** Config file name inside dir. */
  configName?: string;
}

/** A fresh temp folder with `config` written as devdeck.yaml. */
export function makeProject(config: string, name = "devdeck.yaml"): string {
  const dir = mkdtempSync(join(tmpdir(), "devdeck-test-"));
  writeFileSync(join(dir, name), config);
  return dir;
}

// tsx by absolute URL: a bare `--import tsx` resolves from the child's cwd (a temp project folder).
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

/** The command line that runs devdeck from source. */
export function devdeckArgv(args: readonly string[]): string[] {
  return ["--import", TSX_LOADER, join(ROOT, "server/main.ts"), ...args];
}

/** Spawns devdeck with `-c dir/devdeck.yaml -p 0` and waits for its ready line. */
export async function startConsole(config: string | null, opts: StartOptions = {}): Promise<RunningConsole> {
  const dir = opts.dir ?? makeProject(config ?? "services: {}\n", opts.configName);
  if (opts.dir && config !== null) writeFileSync(join(dir, opts.configName ?? "devdeck.yaml"), config);
  const env = { ...process.env, XDG_STATE_HOME: join(dir, ".state"), DEVDECK_LOG_LEVEL: "warn", ...opts.env };
  const child = spawn(process.execPath, devdeckArgv(["-c", join(dir, opts.configName ?? "devdeck.yaml"), "-p", "0", ...(opts.args ?? [])]), {
    cwd: dir,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.on("error", () => {});
  let out = "";
  let err = "";
  child.stdout?.setEncoding("utf8").on("data", (d: string) => (out += d));
  child.stderr?.setEncoding("utf8").on("data", (d: string) => (err += d));
  const readyUrl = await new Promise<string>((resolveUrl, reject) => {
    const onData = () => {
      const m = /http:\/\/\S+/.exec(out);
      if (m) {
        child.stdout?.off("data", onData);
        resolveUrl(m[0]);
      }
    };
    child.stdout?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`devdeck exited (${code}) before ready:\n${err}`)));
  });
  const url = readyUrl.replace(/\?.*$/, "");
  const close = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    await once(child, "exit");
  };
  return { url, readyUrl, child, stdout: () => out, stderr: () => err, dir, env, close };
}
