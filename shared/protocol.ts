// WebSocket messages and HTTP bodies of SPEC.md as types: unions on `type`, one switch per reader.
import type { LogLine, ServiceStatus } from "./service.ts";

// ---- /ws/status ----
export interface SnapshotMsg {
  type: "snapshot";
  instance: string;
  services: ServiceStatus[];
}
export interface StatusMsg {
  type: "status";
  service: ServiceStatus;
}
export type StatusChannelMsg = SnapshotMsg | StatusMsg;

// ---- /ws/logs ----
export interface LinesMsg {
  type: "lines";
  service: string;
  lines: LogLine[];
}
export interface LiveMsg {
  type: "live";
  service: string;
}
/** Lines the client will never get, inclusive seqs. */
export interface GapMsg {
  type: "gap";
  service: string;
  from: number;
  to: number;
}
/** The console restarted since the client's `instance`: seqs start again, a replay follows. */
export interface ResetMsg {
  type: "reset";
  instance: string;
}
export type LogsChannelMsg = LinesMsg | LiveMsg | GapMsg | ResetMsg;

// ---- HTTP ----
export interface ErrorBody {
  error: string;
  /** devdeck's error code (README, "Errors"). */
  code?: string;
}
export interface LogsBody {
  lines: LogLine[];
}

export const STATUS_PATH = "/ws/status";
export const LOGS_PATH = "/ws/logs";
export const ALL_SERVICES = "*";

/** Parses `since` of /ws/logs: a bare number for every service, or `web:120,api:7`. null when malformed. */
export function parseSince(raw: string | undefined): { all: number; byService: Map<string, number> } | null {
  const byService = new Map<string, number>();
  if (raw === undefined || raw === "") return { all: 0, byService };
  if (/^\d+$/.test(raw)) return { all: Number(raw), byService };
  let all = 0;
  for (const part of raw.split(",")) {
    const bare = /^\d+$/.exec(part);
    if (bare) {
      all = Number(part);
      continue;
    }
    const m = /^(.+):(\d+)$/.exec(part);
    if (!m || m[1] === undefined || m[2] === undefined) return null;
    byService.set(m[1], Number(m[2]));
  }
  return { all, byService };
}

/** Formats per-service resume points for /ws/logs `since`. */
export function formatSince(byService: ReadonlyMap<string, number>): string {
  return [...byService].map(([name, seq]) => `${encodeURIComponent(name)}:${seq}`).join(",");
}
