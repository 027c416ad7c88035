// Spawns one run of a service in its own process group, with its environment, its output wired to its log.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { parse as parseDotenv } from "dotenv";
import type { ServiceSpec } from "../config/types.ts";
import type { ServiceLog, Splitter } from "../logs/types.ts";
import { spawnPty } from "./pty.ts";

// `source venv/bin/activate && …` (SPEC.md's example) is bash: /bin/sh is dash on Debian and has no
// `source`. bash when it exists, else the POSIX shell.
const SHELL = existsSync("/bin/bash") ? "/bin/bash" : "/bin/sh";

/** Variables that make tools print colour into a pipe (chalk/supports-color, CLICOLOR, Python, Rust, npm). */
export const COLOR_ENV: Readonly<Record<string, string>> = {
  FORCE_COLOR: "1",
  CLICOLOR_FORCE: "1",
  CLICOLOR: "1",
  PY_COLORS: "1",
  CARGO_TERM_COLOR: "always",
  NPM_CONFIG_COLOR: "always",
};

/** How the spawned process itself exited. */
export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** One spawned process: leader of its own group (pgid = pid). */
export interface SpawnedRun {
  /** Whether the spawned process itself has exited and been reaped. */
  hasExited(): boolean;
  pid: number;
  /** True when the command runs through the shell (exit 127/126 then mean "not found"/"not executable"). */
  isShell: boolean;
  /** Settles when the process has exited (its pipes may still be open in descendants). */
  exited: Promise<ExitStatus>;
  /** Settles when both pipes have ended and their partial last lines were flushed. */
  outputDone: Promise<void>;
  /** Stops reading: for pipes held open by a process outside the group after the group is gone. */
  closeOutput(): void;
  /** Last stderr line seen, for naming what was not found. */
  lastStderr(): string;
}

/** A spawned run, or why the command could not start. */
export type SpawnResult = { ok: true; run: SpawnedRun } | { ok: false; reason: string };

/** The command as shown in "started (pid N): …". */
export function commandText(cmd: string | string[]): string {
  return typeof cmd === "string" ? cmd : cmd.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(" ");
}

/** process.env + env_file (read now) + PORT + colour variables + env; a reason when env_file cannot be read. */
export function buildEnv(spec: ServiceSpec, base: NodeJS.ProcessEnv = process.env): { env: NodeJS.ProcessEnv } | { reason: string } {
  const env: NodeJS.ProcessEnv = { ...base };
  if (spec.envFile !== null) {
    const fromFile = readEnvFile(spec.envFile, spec.envFileOptional);
    if ("reason" in fromFile) return fromFile;
    Object.assign(env, fromFile.vars);
  }
  if (spec.port !== null) env["PORT"] = String(spec.port);
  if (spec.color) Object.assign(env, COLOR_ENV);
  else for (const name of Object.keys(COLOR_ENV)) delete env[name];
  // The config's own `env` wins over everything else (SPEC.md: "env wins over env_file").
  Object.assign(env, spec.env);
  return { env };
}

function readEnvFile(path: string, isOptional: boolean): { vars: Record<string, string> } | { reason: string } {
  try {
    // Read at every start, never cached: an edited .env takes effect on restart.
    return { vars: parseDotenv(readFileSync(path)) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" && isOptional) return { vars: {} };
    return { reason: code === "ENOENT" ? `env_file not found: ${path}` : `env_file cannot be read: ${path} (${code ?? String(err)})` };
  }
}

/** Why `cwd` cannot be used, or null when it is a folder. */
function checkCwd(cwd: string): string | null {
  try {
    return statSync(cwd).isDirectory() ? null : `cwd is not a folder: ${cwd}`;
  } catch {
    return `cwd does not exist: ${cwd}`;
  }
}

/** Spawns `spec` detached (own process group); failures to start come back as a reason, never thrown. */
export async function spawnService(spec: ServiceSpec, log: ServiceLog): Promise<SpawnResult> {
  const badCwd = checkCwd(spec.cwd);
  if (badCwd) return { ok: false, reason: badCwd };
  const built = buildEnv(spec);
  if ("reason" in built) return { ok: false, reason: built.reason };
  const isShell = typeof spec.cmd === "string";
  const [file, ...args] = typeof spec.cmd === "string" ? [SHELL, "-c", spec.cmd] : spec.cmd;
  if (file === undefined || file === "") return { ok: false, reason: "empty command" };
  if (spec.pty) return spawnPty(spec, { file, args, isShell }, built.env, log);
  let child: ChildProcess;
  try {
    child = spawn(file, args, { cwd: spec.cwd, env: built.env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  } catch (err) {
    // Invalid arguments (a NUL byte in an argument or a variable) throw at once instead of emitting 'error'.
    return { ok: false, reason: describeSpawnError(err as Error, file) };
  }
  const failed = new Promise<Error>((resolve) => child.once("error", resolve));
  if (child.pid === undefined) return { ok: false, reason: describeSpawnError(await failed, file) };
  return { ok: true, run: wireRun(child, child.pid, isShell, log) };
}

/** "command not found: foo" and friends, for a spawn that failed before the process existed. */
export function describeSpawnError(err: Error, file: string): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return `command not found: ${file}`;
  if (code === "EACCES") return `command not executable: ${file}`;
  return `cannot start ${file}: ${err.message}`;
}

function wireRun(child: ChildProcess, pid: number, isShell: boolean, log: ServiceLog): SpawnedRun {
  // The last stderr chunk, decoded only if asked (at exit): nothing is spent per chunk on the hot path.
  let lastStderrChunk: Buffer | null = null;
  const exited = new Promise<ExitStatus>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  // After a successful spawn, 'error' only reports a failed kill(): the kill-tree path checks the group itself.
  child.on("error", () => {});
  const stdout = pipeToLog(child.stdout, log.splitter("stdout"), null);
  const stderr = pipeToLog(child.stderr, log.splitter("stderr"), (chunk) => (lastStderrChunk = chunk));
  return {
    hasExited: () => child.exitCode !== null || child.signalCode !== null,
    pid,
    isShell,
    exited,
    outputDone: Promise.all([stdout.done, stderr.done]).then(() => undefined),
    closeOutput: () => {
      stdout.close();
      stderr.close();
    },
    lastStderr: () => (lastStderrChunk ? lastLineOf(lastStderrChunk) : ""),
  };
}

function pipeToLog(stream: NodeJS.ReadableStream | null, splitter: Splitter, onChunk: ((chunk: Buffer) => void) | null) {
  let isEnded = false;
  let resolveDone = () => {};
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  const finish = () => {
    if (isEnded) return;
    isEnded = true;
    splitter.end();
    resolveDone();
  };
  if (!stream) {
    finish();
    return { done, close: () => {} };
  }
  stream.on("error", finish);
  stream.on("data", (chunk: Buffer) => {
    splitter.write(chunk);
    onChunk?.(chunk);
  });
  stream.on("end", finish);
  stream.on("close", finish);
  const close = () => {
    (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
    finish();
  };
  return { done, close };
}

/** The last non-empty line of a chunk, enough to find "foo: command not found" from a shell. */
export function lastLineOf(chunk: Buffer): string {
  const text = chunk.toString("utf8", Math.max(0, chunk.length - 512));
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  return lines[lines.length - 1] ?? "";
}
