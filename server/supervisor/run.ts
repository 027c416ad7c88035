// One run of a service: spawned process + its watchdog + its entry in the group record, and how it ends.
import { setTimeout as delay } from "node:timers/promises";
import type { ServiceSpec } from "../config/types.ts";
import type { ServiceLog } from "../logs/types.ts";
import type { ExitFacts } from "./describe.ts";
import { killTree } from "./kill-tree.ts";
import { isGroupGone } from "./proc.ts";
import { startWatchdog, type GroupRecord, type Watchdog } from "./reaper.ts";
import { spawnService, type SpawnedRun } from "./spawn.ts";

/** Once the group is gone, a pipe still open can only be held by a daemon outside it: stop waiting then. */
export const OUTPUT_DRAIN_MS = 1_000;

/** One live run of a service, from spawn until its group is gone. */
export interface Run {
  readonly spawned: SpawnedRun;
  readonly pid: number;
  readonly startedAt: number;
  /** Aborts the readiness probe of this run. */
  readonly probe: AbortController;
  readonly watchdog: Watchdog | null;
}

/** What a run needs from its service. */
export interface RunDeps {
  log: ServiceLog;
  groups: GroupRecord;
  /** false in tests that count processes: no /bin/sh watchdog per run. */
  hasWatchdog: boolean;
}

/** Spawns a run and registers its group (record + watchdog); a reason when it could not start. */
export async function launchRun(spec: ServiceSpec, deps: RunDeps, probe: AbortController): Promise<{ run: Run } | { reason: string }> {
  const result = await spawnService(spec, deps.log);
  if (!result.ok) return { reason: result.reason };
  const { pid } = result.run;
  deps.groups.add(pid);
  const watchdog = deps.hasWatchdog ? startWatchdog(pid) : null;
  return { run: { spawned: result.run, pid, startedAt: Date.now(), probe, watchdog } };
}

/** Whether the run's process group still has members (descendants left after the leader exited). */
export function hasLeftovers(run: Run): boolean {
  return !isGroupGone(run.pid);
}

/**
 * Ends a run: kills the tree when asked to (or when the exited leader left members behind), waits for the
 * exit and for the pipes (so the last output precedes the exit line), then releases watchdog and record.
 */
export async function finishRun(run: Run, spec: ServiceSpec, deps: RunDeps, wasRequested: boolean): Promise<ExitFacts> {
  run.probe.abort();
  let wasKilled = false;
  const isLeaderReaped = run.spawned.hasExited();
  // A reaped leader with an empty group frees the pgid for reuse: then there is nothing of ours to signal.
  if ((wasRequested && !isLeaderReaped) || hasLeftovers(run)) {
    const result = await killTree(run.pid, {
      signal: spec.stopSignal,
      timeoutMs: spec.stopTimeoutMs,
      isLeaderAlive: () => !run.spawned.hasExited(),
    });
    wasKilled = result.isForcefullyTerminated;
    if (!result.isGroupEmpty) deps.log.system(`some processes of group ${run.pid} survived SIGKILL`);
  }
  const exit = await run.spawned.exited;
  const drained = new AbortController();
  await Promise.race([run.spawned.outputDone, delay(OUTPUT_DRAIN_MS, undefined, { signal: drained.signal }).catch(() => {})]);
  drained.abort();
  run.spawned.closeOutput();
  run.watchdog?.release();
  deps.groups.remove(run.pid);
  return {
    code: exit.code,
    signal: exit.signal,
    isShell: run.spawned.isShell,
    lastStderr: run.spawned.lastStderr(),
    wasRequested,
    wasKilled,
    stopSignal: spec.stopSignal,
    stopTimeoutMs: spec.stopTimeoutMs,
  };
}
