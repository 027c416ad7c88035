// Process facts from /proc (Linux): state, parent, group and start time, zombies counted as gone.
import { readFileSync, readdirSync } from "node:fs";

/** The fields of /proc/PID/stat devdeck uses. */
export interface ProcStat {
  pid: number;
  /** One letter: R, S, D, Z … */
  state: string;
  ppid: number;
  pgid: number;
  /** Field 22 of /proc/PID/stat: clock ticks since boot. Same pid + other start time = another process. */
  startTime: number;
}

const IS_LINUX = process.platform === "linux";

/** Parses /proc/PID/stat, or null when the process is gone or /proc is missing. */
export function readProcStat(pid: number): ProcStat | null {
  if (!IS_LINUX) return null;
  let raw: string;
  try {
    raw = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  // The command name (field 2) may hold spaces and parentheses: fields resume after the last ')'.
  const fields = raw.slice(raw.lastIndexOf(")") + 2).split(" ");
  const state = fields[0];
  if (state === undefined || fields.length < 20) return null;
  return { pid, state, ppid: Number(fields[1]), pgid: Number(fields[2]), startTime: Number(fields[19]) };
}

/**
 * Whether `pid` is a live process (a zombie counts as gone: PID 1 here may never reap it) and, given the
 * `startTime` it had, still that same one: pids are reused. Without /proc (off Linux) liveness is all we know.
 */
export function isSameProcess(pid: number, startTime?: number): boolean {
  // kill(0 or -N, 0) would ask about a whole group.
  if (!Number.isInteger(pid) || pid <= 0) return false;
  const now = readProcStat(pid);
  // No /proc entry: gone, or off Linux, or hidden (hidepid), where an EPERM from signal 0 still means alive.
  if (now === null) return startTime === undefined && signalZero(pid);
  return now.state !== "Z" && (startTime === undefined || now.startTime === startTime);
}

/** Every process visible in /proc (empty off Linux). */
export function listProcStats(): ProcStat[] {
  if (!IS_LINUX) return [];
  const stats: ProcStat[] = [];
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return stats;
  }
  for (const entry of entries) {
    if (entry.charCodeAt(0) < 48 || entry.charCodeAt(0) > 57) continue;
    const stat = readProcStat(Number(entry));
    if (stat) stats.push(stat);
  }
  return stats;
}

/** Live (non-zombie) members of process group `pgid`. Off Linux: [pgid] while the group answers signal 0. */
export function groupMembers(pgid: number): number[] {
  if (!IS_LINUX) return signalZero(-pgid) ? [pgid] : [];
  return listProcStats()
    .filter((s) => s.pgid === pgid && s.state !== "Z")
    .map((s) => s.pid);
}

/** Whether a process group has no live member left. */
export function isGroupGone(pgid: number): boolean {
  return groupMembers(pgid).length === 0;
}

/** Pids of the live descendants of `pid` (children, grandchildren …), from one /proc scan. */
export function descendantsOf(pid: number): ProcStat[] {
  const byParent = new Map<number, ProcStat[]>();
  for (const s of listProcStats()) {
    if (s.state === "Z") continue;
    const siblings = byParent.get(s.ppid) ?? [];
    siblings.push(s);
    byParent.set(s.ppid, siblings);
  }
  const found: ProcStat[] = [];
  const queue = [pid];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const child of byParent.get(next) ?? []) {
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

/** kill(target, 0): true when it exists (or exists but belongs to someone else). */
export function signalZero(target: number): boolean {
  try {
    process.kill(target, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Sends a signal, ignoring "no such process" (it may have ended meanwhile). Returns whether it was sent. */
export function sendSignal(target: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(target, signal);
    return true;
  } catch {
    return false;
  }
}
