// Contract of the supervisor: what the HTTP layer and main.ts may ask of it.
import type { ServiceStatus } from "../../shared/service.ts";
import type { LogStore } from "../logs/types.ts";

export interface Supervisor {
  /** Changes each time the console starts: seqs belong to one instance (SPEC.md, /ws/status). */
  readonly instance: string;
  readonly logs: LogStore;
  has(name: string): boolean;
  /** Statuses in config order. */
  list(): ServiceStatus[];
  get(name: string): ServiceStatus | undefined;
  /**
   * Commands are queued per service and never run concurrently for one service; repeating one is
   * harmless. Each promise settles when that command has taken effect (start: spawned or failed;
   * stop: whole process group gone). Callers that answer 202 do not await them.
   */
  start(name: string): Promise<void>;
  stop(name: string): Promise<void>;
  restart(name: string): Promise<void>;
  /** Starts the named services (all with autostart when omitted), honouring depends_on. */
  startAll(names?: readonly string[]): Promise<void>;
  /** Stops every service, dependents first. */
  stopAll(): Promise<void>;
  /** Restarts the services that are up or failing (not those stopped, exited or never started). */
  restartAll(): Promise<void>;
  /** Listener gets every status change; returns unsubscribe. */
  onStatus(listener: (status: ServiceStatus) => void): () => void;
  /** stopAll, then releases watchdogs and the record of live groups. Idempotent. */
  close(): Promise<void>;
}
