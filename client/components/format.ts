// Words and numbers for statuses: one place writes how durations and exits read.
import type { ServiceStatus } from "../../shared/service.ts";

/** 45s, 3m 12s, 2h 5m, 3d 4h. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** The short exit fact shown in a row: "exit 1", "SIGKILL". */
export function exitFact(status: ServiceStatus): string | null {
  if (status.signal) return status.signal;
  if (status.exitCode !== null) return `exit ${status.exitCode}`;
  return null;
}
