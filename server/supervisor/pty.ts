// Runs one service in a 120×30 pseudo-terminal (SPEC.md `pty: true`): the shape of a pipe run, one `stdout` stream.
import { readSync, statSync, accessSync, constants as fsConstants } from "node:fs";
import { constants as osConstants } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import type { ReadStream } from "node:tty";
import type { ServiceSpec } from "../config/types.ts";
import type { ServiceLog, Splitter } from "../logs/types.ts";
import { isSameProcess, readProcStat, sendSignal } from "./proc.ts";
import { lastLineOf, type ExitStatus, type SpawnResult, type SpawnedRun } from "./spawn.ts";

/** Columns of the terminal (SPEC.md: "run in a 120×30 pseudo-terminal"). */
export const PTY_COLS = 120;
/** Rows of that terminal. */
export const PTY_ROWS = 30;
/** What the console renders: xterm escapes, 256 colours. A TERM in the config's own `env` wins. */
export const PTY_TERM = "xterm-256color";
/** Optional dependency, imported only when a service asks for a pty. */
export const PTY_MODULE = "@lydell/node-pty";
/** node-pty forks, then the child calls setsid(): the group kill needs that done before anyone signals -pid. */
export const SETSID_WAIT_MS = 2_000;
const SETSID_POLL_MS = 2;
const DRAIN_READ_BYTES = 64 * 1024;
/** After a hang-up the kernel holds some 15 KB at most; the bound only matters if a writer still holds the tty. */
const MAX_DRAIN_BYTES = 1024 * 1024;
/** glibc's confstr(_CS_PATH): where execvp looks when PATH is unset. */
const DEFAULT_EXEC_PATH = "/bin:/usr/bin";
/** Variables that describe devdeck's own terminal, wrong inside this one (node-pty drops them for process.env only). */
const OUTER_TERMINAL_VARS = ["TMUX", "TMUX_PANE", "STY", "WINDOW", "WINDOWID", "TERMCAP", "COLUMNS", "LINES"];

/** The part of node-pty devdeck uses (typed here: the package may be absent where devdeck is type-checked). */
export interface PtyModule {
  spawn(file: string, args: string[], options: PtyOptions): PtyProcess;
}

/** node-pty's IPtyForkOptions, as far as devdeck sets them. */
export interface PtyOptions {
  name: string;
  cols: number;
  rows: number;
  cwd: string;
  env: Record<string, string>;
  /** null: data comes as Buffers, so the splitter decodes UTF-8 once, across reads. */
  encoding: null;
}

/** node-pty's IPty, as far as devdeck uses it. */
export interface PtyProcess {
  readonly pid: number;
  onExit(listener: (e: { exitCode: number; signal?: number }) => void): { dispose(): void };
}

/** How node-pty is obtained; injectable so a test can stand for a machine where it does not load. */
export type PtyLoader = () => Promise<PtyModule>;

/** What to run: argv as spawn.ts resolved it (the shell for a string cmd). */
export interface PtyCommand {
  file: string;
  args: string[];
  isShell: boolean;
}

/** A run in a pty has the shape of a pipe run (spawn.ts); its `lastStderr` is the last line of the one stream. */
export type PtyRun = SpawnedRun;

/** The private parts of node-pty's UnixTerminal (1.1) the final drain needs: the master fd and its tty.ReadStream. */
interface UnixTerminalInternals {
  readonly fd?: unknown;
  readonly _socket?: unknown;
}

let loading: Promise<PtyModule> | null = null;

/** node-pty, imported once on first use. */
export function loadNodePty(): Promise<PtyModule> {
  loading ??= importPty(PTY_MODULE);
  return loading;
}

/** Imports a node-pty-like module by name and checks it has spawn(). */
export async function importPty(specifier: string): Promise<PtyModule> {
  const mod = (await import(specifier)) as { spawn?: unknown; default?: { spawn?: unknown } };
  const target = typeof mod.spawn === "function" ? mod : mod.default;
  if (typeof target?.spawn !== "function") throw new Error(`${specifier} has no spawn()`);
  return target as PtyModule;
}

/** The system line for a machine where node-pty cannot be loaded. */
export function describePtyLoadError(err: unknown): string {
  const reason = (err instanceof Error ? err.message : String(err)).split("\n")[0];
  return `pty: true needs ${PTY_MODULE}, which could not be loaded here: ${reason}; run without pty or reinstall`;
}

/** Spawns `command` in a pseudo-terminal, leader of its own session and group; failures come back as a reason. */
export async function spawnPty(
  spec: ServiceSpec,
  command: PtyCommand,
  env: NodeJS.ProcessEnv,
  log: ServiceLog,
  load: PtyLoader = loadNodePty,
): Promise<SpawnResult> {
  let pty: PtyModule;
  try {
    pty = await load();
  } catch (err) {
    return { ok: false, reason: describePtyLoadError(err) };
  }
  // node-pty reports a failed exec only as output and exit 1: find "not found" first, in spawn.ts's words.
  const notRunnable = checkExecutable(command.file, env["PATH"], spec.cwd);
  if (notRunnable) return { ok: false, reason: notRunnable };
  let term: PtyProcess;
  try {
    term = pty.spawn(command.file, command.args, { name: spec.env["TERM"] ?? PTY_TERM, cols: PTY_COLS, rows: PTY_ROWS, cwd: spec.cwd, env: ptyEnv(env, spec), encoding: null });
  } catch (err) {
    return { ok: false, reason: `cannot start ${command.file}: ${(err as Error).message}` };
  }
  const internals = term as unknown as UnixTerminalInternals;
  const socket = internals._socket as ReadStream | undefined;
  if (typeof internals.fd !== "number" || typeof socket?.on !== "function") {
    sendSignal(term.pid, "SIGKILL");
    return { ok: false, reason: `pty: this version of ${PTY_MODULE} is not supported (no master fd to read to the end)` };
  }
  // Wired before any await, and held: the first output must follow the caller's "started (pid N)" line,
  // which it writes in the promise callbacks that run before setImmediate.
  const run = wireTerminal(term, socket, internals.fd, command.isShell, log.splitter("stdout"));
  socket.pause();
  const isLeader = await becameGroupLeader(term.pid, run);
  setImmediate(() => socket.resume());
  if (!isLeader) {
    sendSignal(term.pid, "SIGKILL");
    return { ok: false, reason: `pty: process ${term.pid} did not become the leader of its own process group` };
  }
  return { ok: true, run };
}

/** The environment spawn.ts built, minus what describes devdeck's own terminal, as strings only. */
function ptyEnv(env: NodeJS.ProcessEnv, spec: ServiceSpec): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined) out[name] = value;
  for (const name of OUTER_TERMINAL_VARS) if (!(name in spec.env)) delete out[name];
  return out;
}

/** "command not found: X" / "command not executable: X" as spawn.ts says them, or null when `file` can be run. */
export function checkExecutable(file: string, path: string | undefined, cwd: string): string | null {
  if (file.includes("/")) {
    const full = resolve(cwd, file);
    if (!exists(full)) return `command not found: ${file}`;
    return isExecutableFile(full) ? null : `command not executable: ${file}`;
  }
  // execvp's search: no PATH means its default, an empty entry the current folder.
  for (const dir of (path ?? DEFAULT_EXEC_PATH).split(delimiter)) if (isExecutableFile(resolve(cwd, join(dir || ".", file)))) return null;
  return `command not found: ${file}`;
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Waits until /proc shows pgid = pid (node-pty's setsid done), or the process is already gone. */
async function becameGroupLeader(pid: number, run: PtyRun): Promise<boolean> {
  const deadline = Date.now() + SETSID_WAIT_MS;
  for (;;) {
    const stat = readProcStat(pid);
    // null: gone, or not Linux (no /proc to check; node-pty's forkpty does setsid there too).
    if (stat === null || stat.state === "Z" || stat.pgid === pid || run.hasExited()) return true;
    if (Date.now() >= deadline) return false;
    await delay(SETSID_POLL_MS);
  }
}

function wireTerminal(term: PtyProcess, socket: ReadStream, fd: number, isShell: boolean, splitter: Splitter): PtyRun {
  const pid = term.pid;
  const startTime = readProcStat(pid)?.startTime;
  let exit: ExitStatus | null = null;
  let lastLine = "";
  let isOutputEnded = false;
  let resolveOutput = () => {};
  const outputDone = new Promise<void>((resolveDone) => (resolveOutput = resolveDone));
  const endOutput = () => {
    if (isOutputEnded) return;
    isOutputEnded = true;
    splitter.end();
    resolveOutput();
  };
  readToTheEnd(socket, fd, (chunk) => {
    splitter.write(chunk);
    lastLine = lastLineOf(chunk) || lastLine;
  });
  socket.on("close", endOutput);
  // node-pty emits the exit only after the stream closed (or it destroyed it): the output is complete by then.
  const exited = new Promise<ExitStatus>((resolveExit) =>
    term.onExit((e) => {
      exit = toExitStatus(e.exitCode, e.signal ?? 0);
      resolveExit(exit);
    }),
  );
  return {
    pid,
    isShell,
    exited,
    outputDone,
    closeOutput: () => {
      socket.destroy();
      endOutput();
    },
    lastStderr: () => lastLine,
    // node-pty reaps in a thread and reports only after the stream closed: /proc knows sooner.
    hasExited: () => exit !== null || !isSameProcess(pid, startTime),
  };
}

/** Feeds every byte the terminal's master gives to `feed`, including those libuv would leave unread. */
function readToTheEnd(socket: ReadStream, fd: number, feed: (chunk: Buffer) => void): void {
  // Only while the handle is open: once closed, the fd number may already belong to another file.
  const drain = () => {
    if (!socket.destroyed) drainFd(fd, feed);
  };
  // EIO is how a pty says "every writer is gone": the end of output, not a failure. Any other error ends it too.
  socket.on("error", () => {});
  socket.on("data", feed);
  // libuv takes a hang-up seen after a short read for the end of the stream while up to ~15 KB are still
  // unread in the kernel (a crash's last words): read them to EIO before node closes the fd after 'end'.
  socket.on("end", drain);
  // node-pty destroys the stream itself 200 ms after the exit if no end came (the tty still held elsewhere):
  // what is readable then is read first. Every path to closing the fd goes through destroy().
  const destroy = socket.destroy.bind(socket);
  socket.destroy = (error?: Error) => {
    drain();
    return destroy(error);
  };
}

/** Reads what is left in the master's buffer: non-blocking (libuv set O_NONBLOCK), so EAGAIN/EIO end it. */
function drainFd(fd: number, feed: (chunk: Buffer) => void): void {
  for (let total = 0; total < MAX_DRAIN_BYTES; ) {
    const buf = Buffer.allocUnsafe(DRAIN_READ_BYTES);
    let count: number;
    try {
      count = readSync(fd, buf, 0, buf.length, null);
    } catch {
      return;
    }
    if (count <= 0) return;
    feed(buf.subarray(0, count));
    total += count;
  }
}

/** node-pty's { exitCode, signal } (signal a number, 0 for none) as node's (code, signal name). */
export function toExitStatus(exitCode: number, signal: number): ExitStatus {
  if (signal === 0) return { code: exitCode, signal: null };
  const name = Object.entries(osConstants.signals).find(([, n]) => n === signal)?.[0];
  return { code: null, signal: (name as NodeJS.Signals | undefined) ?? null };
}

