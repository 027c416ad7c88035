// Freeing a service's taken port: the holder as status data, whether devdeck may stop it, the stop itself.
import { setTimeout as delay } from "node:timers/promises";
import { shortenCommand } from "../../shared/format.ts";
import type { PortHolder, ServiceStatus } from "../../shared/service.ts";
import { errors, type DevdeckError } from "../errors.ts";
import { formatSeconds } from "./describe.ts";
import { AFTER_SIGKILL_WAIT_MS } from "./kill-tree.ts";
import { canStop, findPortOwner, isPortFree, type PortOwner } from "./port-owner.ts";
import { isSameProcess, readProcStat, sendSignal } from "./proc.ts";

/** How often the port is tried while its holder stops (each try is a few binds: cheap). */
export const FREE_PORT_POLL_MS = 50;

/** The status field for a port held by `owner`; null when devdeck could not see who holds it. */
export function toPortHolder(port: number, owner: PortOwner | null, services: readonly ServiceStatus[]): PortHolder | null {
  if (!owner) return null;
  return {
    port,
    pid: owner.pid,
    command: owner.command,
    user: owner.user,
    startedAt: Number.isFinite(owner.startedAt) ? owner.startedAt : null,
    canStop: canStop(owner) && ownProcessOf(owner.pid, services) === null,
  };
}

/**
 * Why `pid` is devdeck's own — itself, a member of its process group (the npm or shell that runs it), or a
 * member of a service's group — or null for a foreign process. Those are stopped with the normal stop.
 */
export function ownProcessOf(pid: number, statuses: readonly ServiceStatus[]): string | null {
  if (pid === process.pid) return "devdeck itself";
  const pgid = readProcStat(pid)?.pgid;
  if (pgid !== undefined && pgid === readProcStat(process.pid)?.pgid) return "in devdeck's own process group";
  // A service's pid leads its group (spawned detached): pgid = pid.
  const service = statuses.find((s) => s.pid !== null && (s.pid === pid || s.pid === pgid));
  return service ? `part of service '${service.name}'` : null;
}

/**
 * Checks, now, that `pid` holds `status`'s port and may be stopped by devdeck: the owner, or the error to
 * answer (409s). The page that asks may be minutes old: the holder may have changed or left meanwhile.
 */
export async function checkPortHolder(status: ServiceStatus, pid: number, all: readonly ServiceStatus[]): Promise<PortOwner | DevdeckError> {
  const { port } = status;
  if (port === null) return errors.DD_ERR_NO_PORT(status.name);
  if (await isPortFree(port)) return errors.DD_ERR_PORT_FREE(port, status.name);
  const owner = await findPortOwner(port);
  if (owner?.pid !== pid) return errors.DD_ERR_PORT_HOLDER_CHANGED(port, owner ? `pid ${owner.pid}` : "a process devdeck cannot inspect", pid);
  const own = ownProcessOf(pid, all);
  if (own !== null) return errors.DD_ERR_PORT_HOLDER_IS_DEVDECK(pid, own);
  if (!canStop(owner)) return errors.DD_ERR_PORT_HOLDER_NOT_YOURS(pid, owner.user);
  return owner;
}

/** How stopping a holder went. */
export interface HolderStop {
  /** SIGTERM did not free the port within the timeout: SIGKILL was sent. */
  wasKilled: boolean;
  isPortFree: boolean;
  /** The holder still runs (uninterruptible sleep after SIGKILL, or it could not be signalled). */
  hasSurvived: boolean;
}

/** SIGTERM to `pid`, waits up to timeoutMs for `port` to be free, then SIGKILL if that same process still runs. */
export async function stopPortHolder(pid: number, port: number, timeoutMs: number): Promise<HolderStop> {
  const isHolderAlive = sameProcess(pid);
  sendSignal(pid, "SIGTERM");
  if (await waitPortFree(port, timeoutMs)) return { wasKilled: false, isPortFree: true, hasSurvived: false };
  // The holder may have gone while a worker it forked keeps the socket: a SIGKILL then could hit a reused pid.
  if (!isHolderAlive()) return { wasKilled: false, isPortFree: await isPortFree(port), hasSurvived: false };
  sendSignal(pid, "SIGKILL");
  const isFree = await waitPortFree(port, AFTER_SIGKILL_WAIT_MS);
  return { wasKilled: true, isPortFree: isFree, hasSurvived: isHolderAlive() };
}

/** The `system` line written to the service's log once the holder was dealt with. */
export function describeHolderStop(owner: Pick<PortOwner, "pid" | "command">, port: number, stop: HolderStop, timeoutMs: number): string {
  const who = `pid ${owner.pid} (${shortenCommand(owner.command)})`;
  if (stop.hasSurvived) return `${who} still runs after SIGKILL: port ${port} is still held`;
  const how = stop.wasKilled ? ` (killed by SIGKILL: SIGTERM did not free the port within ${formatSeconds(timeoutMs)})` : "";
  if (!stop.isPortFree) return `stopped ${who}${how}, but port ${port} is still held`;
  return `stopped ${who}, which held port ${port}${how}`;
}

/** Polls until the port accepts a bind; false after timeoutMs. */
async function waitPortFree(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await isPortFree(port)) return true;
    if (Date.now() >= deadline) return false;
    await delay(Math.min(FREE_PORT_POLL_MS, Math.max(1, deadline - Date.now())));
  }
}

/** A check that `pid` is still the process it is now (same start time, not a zombie): pids are reused. */
function sameProcess(pid: number): () => boolean {
  const startTime = readProcStat(pid)?.startTime;
  return () => isSameProcess(pid, startTime);
}
