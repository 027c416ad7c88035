// Stops a whole process tree: signal the group and the descendants outside it, SIGKILL all after a timeout,
// resolve only when the group is empty (SPEC.md: "stopped" once the whole process group is gone).
import { setTimeout as delay } from "node:timers/promises";
import treeKill from "tree-kill";
import { descendantsOf, groupMembers, isSameProcess, sendSignal, type ProcStat } from "./proc.ts";

/** How often the group is checked for remaining members. */
export const GROUP_POLL_MS = 25;
/** After SIGKILL a process can only linger in uninterruptible sleep; don't block the service forever. */
export const AFTER_SIGKILL_WAIT_MS = 5_000;

/** How to stop a tree: the first signal, the grace before SIGKILL, and a guard against reused pids. */
export interface KillTreeOptions {
  signal: NodeJS.Signals;
  /** Time the tree gets to exit after `signal` before SIGKILL. */
  timeoutMs: number;
  /** Whether `pid` is still our (unreaped) child: its tree is walked only then, so a reused pid is never touched. */
  isLeaderAlive: () => boolean;
}

/** How the tree ended. */
export interface KillTreeResult {
  /** SIGKILL was needed. */
  isForcefullyTerminated: boolean;
  /** false only when members survived even SIGKILL for AFTER_SIGKILL_WAIT_MS. */
  isGroupEmpty: boolean;
}

/** Signals group `pid` and pid's tree, escalates to SIGKILL (plus tree-kill) after timeoutMs; resolves once the group is gone. */
export async function killTree(pid: number, opts: KillTreeOptions): Promise<KillTreeResult> {
  // Descendants that left the group (setsid daemons) are remembered now: once their parent dies they are
  // reparented and no tree walk finds them again.
  const outsiders = opts.isLeaderAlive() ? descendantsOf(pid).filter((s) => s.pgid !== pid) : [];
  await signalTree(pid, opts.signal, opts.isLeaderAlive, outsiders);
  if (await waitGone(pid, outsiders, opts.timeoutMs)) return { isForcefullyTerminated: false, isGroupEmpty: true };
  await signalTree(pid, "SIGKILL", opts.isLeaderAlive, outsiders);
  const isGroupEmpty = await waitGone(pid, outsiders, AFTER_SIGKILL_WAIT_MS);
  return { isForcefullyTerminated: true, isGroupEmpty };
}

/** Waits until group `pgid` (and the remembered outsiders) are gone; false on timeout. */
export async function waitGone(pgid: number, outsiders: readonly ProcStat[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (groupMembers(pgid).length === 0 && outsiders.every((s) => !isSameProcess(s.pid, s.startTime))) return true;
    if (Date.now() >= deadline) return false;
    await delay(Math.min(GROUP_POLL_MS, Math.max(1, deadline - Date.now())));
  }
}

async function signalTree(pid: number, signal: NodeJS.Signals, isLeaderAlive: () => boolean, outsiders: readonly ProcStat[]): Promise<void> {
  // Each process gets the stop signal once: a second SIGINT/SIGTERM makes many dev servers skip their
  // graceful shutdown. The group signal reaches the members, the /proc snapshot those that left it.
  sendSignal(-pid, signal);
  for (const s of outsiders) if (isSameProcess(s.pid, s.startTime)) sendSignal(s.pid, signal);
  if (signal !== "SIGKILL" || !isLeaderAlive()) return;
  // tree-kill walks the tree again with `ps` (off Linux the only walk): it finds what left the group
  // after the snapshot. Its errors (ps missing, races with exiting children) change nothing here.
  await new Promise<void>((resolve) => treeKill(pid, signal, () => resolve()));
}
