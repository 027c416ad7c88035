// Nothing devdeck started outlives it, not even a SIGKILL of devdeck: a watchdog per service that takes the
// group down when devdeck's end of its stdin closes, and a record of live groups reaped by the next start.
import { spawn } from "node:child_process";
import { readJsonFile, removeFile, writePrivateFile, type StatePaths } from "../state.ts";
import { AFTER_SIGKILL_WAIT_MS, waitGone } from "./kill-tree.ts";
import { groupMembers, isSameProcess, readProcStat, sendSignal } from "./proc.ts";

/** Grace the watchdog and the reaper give a group between SIGTERM and SIGKILL. */
export const REAP_GRACE_MS = 2_000;

// `read` returns only at EOF, i.e. when every holder of the pipe's write end is gone: devdeck's pipes are
// close-on-exec, so that is devdeck's death. The pgid comes in as $1, never spliced into the script.
const WATCHDOG_SCRIPT = `read _; kill -TERM -"$1" 2>/dev/null; sleep ${REAP_GRACE_MS / 1000}; kill -KILL -"$1" 2>/dev/null`;

/** A watchdog process guarding one service group. */
export interface Watchdog {
  readonly pid: number | null;
  /** Ends the watchdog without touching the service (normal stop: the group is already gone). */
  release(): void;
}

/** Starts a `/bin/sh` in its own group that kills group `pgid` once devdeck's end of its stdin closes. */
export function startWatchdog(pgid: number): Watchdog {
  const child = spawn("/bin/sh", ["-c", WATCHDOG_SCRIPT, "devdeck-watchdog", String(pgid)], {
    detached: true,
    stdio: ["pipe", "ignore", "ignore"],
  });
  child.on("error", () => {});
  child.stdin?.on("error", () => {});
  // Neither the process nor its pipe may keep devdeck's event loop alive.
  child.unref();
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  const pid = child.pid ?? null;
  let isReleased = false;
  return {
    pid,
    release() {
      if (isReleased || pid === null) return;
      isReleased = true;
      // SIGKILL, not closing stdin: EOF is the watchdog's cue to kill the group, which may be reused by now.
      if (child.exitCode === null && child.signalCode === null) sendSignal(-pid, "SIGKILL");
    },
  };
}

/** Contents of ID.groups.json. */
export interface GroupsFile {
  consolePid: number;
  /** Start time of the console process, so a reused console pid is not taken for a live console. */
  consoleStartTime: number | null;
  groups: Array<{ pgid: number; startTime: number | null }>;
}

/** The record of live process groups, rewritten whenever one starts or ends. */
export interface GroupRecord {
  add(pgid: number): void;
  remove(pgid: number): void;
  /** Removes the file: every group is gone. */
  close(): void;
}

/** A record in `paths.groups`, or one that keeps nothing when paths is null (tests, library use). */
export function createGroupRecord(paths: StatePaths | null): GroupRecord {
  const groups = new Map<number, number | null>();
  const write = () => {
    if (!paths) return;
    const file: GroupsFile = {
      consolePid: process.pid,
      consoleStartTime: readProcStat(process.pid)?.startTime ?? null,
      groups: [...groups].map(([pgid, startTime]) => ({ pgid, startTime })),
    };
    try {
      writePrivateFile(paths.groups, `${JSON.stringify(file)}\n`, paths.dir);
    } catch {
      // An unwritable state folder costs only the SIGKILL safety net; the watchdogs still stand.
    }
  };
  return {
    add(pgid) {
      groups.set(pgid, readProcStat(pgid)?.startTime ?? null);
      write();
    },
    remove(pgid) {
      if (groups.delete(pgid)) write();
    },
    close() {
      groups.clear();
      if (paths) removeFile(paths.groups);
    },
  };
}

/** Kills the groups a dead console left in its record (never a reused pid); returns the pgids reaped. */
export async function reapLeftovers(paths: StatePaths): Promise<number[]> {
  const file = readJsonFile<GroupsFile>(paths.groups);
  if (!file || !Array.isArray(file.groups)) return [];
  if (isConsoleAlive(file)) return [];
  const targets = file.groups.filter((g) => isOurGroup(g.pgid, g.startTime));
  await Promise.all(targets.map((g) => killGroup(g.pgid)));
  removeFile(paths.groups);
  return targets.map((g) => g.pgid);
}

function isConsoleAlive(file: GroupsFile): boolean {
  if (file.consolePid === process.pid) return false;
  return isSameProcess(file.consolePid, file.consoleStartTime ?? undefined);
}

/** The group is still the one recorded: its leader has the recorded start time, or is gone with members left. */
function isOurGroup(pgid: number, startTime: number | null): boolean {
  if (!Number.isInteger(pgid) || pgid <= 1 || startTime === null) return false;
  const leader = readProcStat(pgid);
  if (leader && (leader.startTime !== startTime || leader.pgid !== pgid)) return false;
  // A pid is not handed out again while a group of that id has members, so with the leader gone (or a
  // zombie nobody reaps) members still mean our group.
  return groupMembers(pgid).length > 0;
}

async function killGroup(pgid: number): Promise<void> {
  sendSignal(-pgid, "SIGTERM");
  if (await waitGone(pgid, [], REAP_GRACE_MS)) return;
  sendSignal(-pgid, "SIGKILL");
  await waitGone(pgid, [], AFTER_SIGKILL_WAIT_MS);
}
