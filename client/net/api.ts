// start/stop/restart (and free-port) through the HTTP API of SPEC.md. Same origin: the cookie authenticates.
import type { ErrorBody } from "../../shared/protocol.ts";
import type { ServiceStatus } from "../../shared/service.ts";

export type ServiceAction = "start" | "stop" | "restart";

/** POSTs an action for one service, or for all with `*` (README, extensions); throws the console's error. */
export async function postAction(name: string, action: ServiceAction): Promise<void> {
  await postJson(`/api/services/${encodeURIComponent(name)}/${action}`, {}, name === "*" ? `${action} all` : `${action} ${name}`);
}

/**
 * Stops the process `pid` that holds the service's port, then starts the service (README, "Freeing a taken
 * port"). The console checks again that `pid` still holds the port: a stale page gets its error, not a kill.
 */
export function postFreePort(name: string, pid: number): Promise<ServiceStatus> {
  return postJson(`/api/services/${encodeURIComponent(name)}/free-port`, { pid }, `free the port of ${name}`);
}

async function postJson(path: string, payload: object, what: string): Promise<ServiceStatus> {
  const res = await fetch(path, {
    method: "POST",
    // The console refuses non-JSON bodies (SPEC.md, HTTP API).
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(payload),
    credentials: "same-origin",
  });
  const body = (await res.json().catch(() => null)) as ServiceStatus | ErrorBody | null;
  if (!res.ok) {
    const message = body && "error" in body ? body.error : `${what}: HTTP ${res.status}`;
    throw new Error(message);
  }
  return body as ServiceStatus;
}

/** GET /api/console, an extension of SPEC.md (README, "HTTP API beyond SPEC.md"). */
export interface ConsoleInfo {
  instance: string;
  readOnly: boolean;
  version: string;
}

/** The console's own facts, or null when it does not say (an older console, a network error). */
export async function fetchConsoleInfo(): Promise<ConsoleInfo | null> {
  try {
    const res = await fetch("/api/console", { credentials: "same-origin" });
    if (!res.ok) return null;
    const body = (await res.json()) as Partial<ConsoleInfo>;
    return typeof body.readOnly === "boolean" ? (body as ConsoleInfo) : null;
  } catch {
    return null;
  }
}
