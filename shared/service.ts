// Service status and log lines, as SPEC.md fixes them. Shared by server and client: no node:*, no DOM.

/** The states of SPEC.md, "Service status". */
export type ServiceState =
  | "stopped"
  | "starting"
  | "running"
  | "stopping"
  | "exited"
  | "crashed"
  | "backoff";

/** One service's status: SPEC.md fields first, then devdeck's extensions (see README). */
export interface ServiceStatus {
  name: string;
  state: ServiceState;
  pid: number | null;
  exitCode: number | null;
  signal: string | null;
  restarts: number;
  /** ms since the epoch, or null */
  startedAt: number | null;
  ready: boolean;
  url: string | null;
  /** ms since the epoch, or null */
  nextRestartAt: number | null;
  // --- extensions (README, "Status fields beyond SPEC.md") ---
  /** Why the service is in its state, in words: "exited with code 1", "command not found: foo", "waiting for db". */
  reason: string | null;
  /** Configured port, or null. */
  port: number | null;
  /** true when the service runs in a pseudo-terminal: stdout and stderr are one stream. */
  pty: boolean;
  /** Names this service waits for before it starts. */
  dependsOn: string[];
  /** Whether the service starts with the console. */
  autostart: boolean;
  /** Who held the port when the last start failed because it was taken; null otherwise (cleared at the next start). */
  portHolder: PortHolder | null;
}

/** The process that held a service's port when it could not start (README, "Freeing a taken port"). */
export interface PortHolder {
  port: number;
  pid: number;
  /** Full command line; untrusted text, shown as text. */
  command: string;
  /** User name, or the uid as text. */
  user: string;
  /** ms since the epoch, whole seconds at best; null when unknown. */
  startedAt: number | null;
  /** Same user as devdeck and not devdeck's own process: POST /api/services/NAME/free-port may stop it. */
  canStop: boolean;
}

export type LogStream = "stdout" | "stderr" | "system";

/** One line of output, SPEC.md "Log lines". */
export interface LogLine {
  seq: number;
  /** ms since the epoch */
  time: number;
  stream: LogStream;
  text: string;
}

/** States in which a service has a live process (or is about to). */
export function isActive(state: ServiceState): boolean {
  return state === "starting" || state === "running" || state === "stopping";
}

/** States that mean "something is wrong" for the overall health shown in the UI. */
export function isFailed(state: ServiceState): boolean {
  return state === "crashed" || state === "backoff";
}

/** How the last run ended, or null before any ended: the status's own words first, else the exit. */
export function describeEnd(status: ServiceStatus): string | null {
  if (status.reason) return status.reason;
  if (status.signal) return `killed by ${status.signal}`;
  if (status.exitCode !== null) return `exited with code ${status.exitCode}`;
  return null;
}
