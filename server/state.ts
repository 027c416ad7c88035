// The state folder of SPEC.md: ${XDG_STATE_HOME:-~/.local/state}/devdeck/ID.{json,token,log}, plus
// ID.groups.json (live process groups, README "State files"). Nothing is written into the project.
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync, renameSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { isSameProcess, readProcStat } from "./supervisor/proc.ts";

export interface StatePaths {
  dir: string;
  id: string;
  /** ID.json: the running console's record. */
  record: string;
  /** ID.token: a generated token, kept so bookmarks survive restarts. */
  token: string;
  /** ID.log: a detached console's own log. */
  log: string;
  /** ID.groups.json: live process groups, reaped by the next start after a hard crash. */
  groups: string;
}

/** What a running console records about itself (ID.json). */
export interface ConsoleRecord {
  url: string;
  pid: number;
  token: string | null;
  instance: string;
  config: string;
  startedAt: number;
  /** The console process's start time (/proc), so a reused pid is not taken for a live console. */
  processStartTime?: number | null;
}

/** The state folder, from XDG_STATE_HOME or ~/.local/state. */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env["XDG_STATE_HOME"] || join(env["HOME"] || homedir(), ".local", "state");
  return join(base, "devdeck");
}

/** First 16 hex digits of the SHA-256 of the config file's real path (SPEC.md). */
export function configId(realConfigPath: string): string {
  return createHash("sha256").update(realConfigPath).digest("hex").slice(0, 16);
}

/** Paths of one config's state files. */
export function statePaths(realConfigPath: string, env: NodeJS.ProcessEnv = process.env): StatePaths {
  const dir = stateDir(env);
  const id = configId(realConfigPath);
  return {
    dir,
    id,
    record: join(dir, `${id}.json`),
    token: join(dir, `${id}.token`),
    log: join(dir, `${id}.log`),
    groups: join(dir, `${id}.groups.json`),
  };
}

/** Writes a file readable by the user only, atomically (write + rename). */
export function writePrivateFile(path: string, data: string, dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data, { mode: 0o600 });
  renameSync(tmp, path);
}

/** Reads a JSON file, or null when it is missing or unreadable. */
export function readJsonFile<T>(path: string): T | null {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as T;
  } catch {
    return null;
  }
}

export function removeFile(path: string): void {
  rmSync(path, { force: true });
}

/** The token kept in ID.token, created (32 random bytes, base64url) when missing. */
export function loadOrCreateToken(paths: StatePaths): string {
  try {
    const kept = readFileSync(paths.token, "utf8").trim();
    if (kept.length >= 16) return kept;
  } catch {
    // none yet
  }
  const token = randomBytes(32).toString("base64url");
  writePrivateFile(paths.token, `${token}\n`, paths.dir);
  return token;
}

/** True when a process with this pid exists (and is not a zombie). */
export function isProcessAlive(pid: number): boolean {
  return isSameProcess(pid);
}

/** Whether the console a record describes still runs: the same process, not a later one with its pid. */
export function isRecordLive(record: ConsoleRecord): boolean {
  return isSameProcess(record.pid, record.processStartTime ?? undefined);
}

/** This process's start time for a record (null off Linux). */
export function ownStartTime(): number | null {
  return readProcStat(process.pid)?.startTime ?? null;
}
