// The registry of services in config order: commands by name, depends_on ordering, status fan-out.
import { randomBytes } from "node:crypto";
import type { ServiceState, ServiceStatus } from "../../shared/service.ts";
import type { ResolvedConfig, ServiceSpec } from "../config/types.ts";
import { errors } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { LogStore } from "../logs/types.ts";
import type { StatePaths } from "../state.ts";
import { createServiceWatcher, type ServiceWatcher } from "../watch/watcher.ts";
import { BACKOFF_BASE_MS } from "./backoff.ts";
import { createGroupRecord, type GroupRecord } from "./reaper.ts";
import { createService, type Service } from "./service.ts";
import type { Supervisor } from "./types.ts";

/** What createSupervisor needs; the last two are options with SPEC.md defaults. */
export interface SupervisorDeps {
  logs: LogStore;
  logger: Logger;
  /** Where the record of live process groups goes; null keeps none (the watchdogs still stand). */
  statePaths: StatePaths | null;
  /** First backoff delay; SPEC.md's 1 s unless a test needs a faster crash loop. */
  backoffBaseMs?: number;
  /** A /bin/sh watchdog per run that kills the group if devdeck dies by SIGKILL (default true). */
  hasWatchdog?: boolean;
}

/** Creates the supervisor of `config`'s services; nothing starts until startAll/start. */
export function createSupervisor(config: ResolvedConfig, deps: SupervisorDeps): Supervisor {
  return new ServiceRegistry(config, deps);
}

/** Dependencies not `running` (ready) yet; SPEC.md: "start once these are running (ready)". */
function missingDeps(spec: ServiceSpec, services: ReadonlyMap<string, Service>): string[] {
  return spec.dependsOn.filter((dep) => services.get(dep)?.status().state !== "running");
}

/** What a waiting service shows: the dependencies it waits for, and how a failed one ended. */
function waitingReason(missing: readonly string[], services: ReadonlyMap<string, Service>): string {
  const named = missing.map((dep) => {
    const state = services.get(dep)?.status().state;
    return state === "crashed" || state === "backoff" ? `${dep} (${state})` : dep;
  });
  return `waiting for ${named.join(", ")}`;
}

/** "Restart all" means what is up or failing: a service the user stopped stays stopped. */
const RESTARTABLE_STATES: ReadonlySet<ServiceState> = new Set(["starting", "running", "backoff", "crashed"]);

/** States in which a dependency will not come up unless someone starts it. */
function isIdle(service: Service | undefined): service is Service {
  const state = service?.status().state;
  return state === "stopped" || state === "exited" || state === "crashed";
}

class ServiceRegistry implements Supervisor {
  readonly instance = randomBytes(8).toString("hex");
  readonly logs: LogStore;
  private readonly config: ResolvedConfig;
  private readonly logger: Logger;
  private readonly groups: GroupRecord;
  private readonly services = new Map<string, Service>();
  private readonly listeners = new Set<(status: ServiceStatus) => void>();
  /** Services waiting for their depends_on, with the reason they show. */
  private readonly waiting = new Map<string, string>();
  /** One watcher per service with `watch`, kept across crashes (a fix to the file brings it back). */
  private readonly watchers = new Map<string, ServiceWatcher>();
  private isClosed = false;
  /** stopAll calls under way. */
  private stoppingAll = 0;
  private closing: Promise<void> | null = null;

  constructor(config: ResolvedConfig, deps: SupervisorDeps) {
    this.config = config;
    this.logs = deps.logs;
    this.logger = deps.logger.child({ mod: "supervisor" });
    this.groups = createGroupRecord(deps.statePaths);
    for (const spec of config.services) {
      const service = createService(spec, {
        log: deps.logs.create(spec.name),
        logger: deps.logger,
        groups: this.groups,
        backoffBaseMs: deps.backoffBaseMs ?? BACKOFF_BASE_MS,
        hasWatchdog: deps.hasWatchdog ?? true,
        onStatus: (status) => this.emit(status),
        siblings: () => this.list(),
        isStoppingAll: () => this.stoppingAll > 0 || this.isClosed,
      });
      this.services.set(spec.name, service);
    }
  }

  has(name: string): boolean {
    return this.services.has(name);
  }

  list(): ServiceStatus[] {
    return [...this.services.values()].map((s) => s.status());
  }

  get(name: string): ServiceStatus | undefined {
    return this.services.get(name)?.status();
  }

  async start(name: string): Promise<void> {
    return this.startGated(this.lookup(name), true);
  }

  async stop(name: string): Promise<void> {
    const service = this.lookup(name);
    this.waiting.delete(name);
    // Queued before anything awaits, so commands keep the order they were given in.
    const stopped = service.stop();
    await this.unwatch(name);
    return stopped;
  }

  async restart(name: string): Promise<void> {
    const service = this.lookup(name);
    if (this.isClosed) return;
    this.watch(service.spec);
    const missing = missingDeps(service.spec, this.services);
    if (missing.length === 0) {
      this.waiting.delete(name);
      return service.restart();
    }
    this.startIdleDeps(missing);
    const reason = waitingReason(missing, this.services);
    this.waiting.set(name, reason);
    return service.restart(reason);
  }

  /** Resolves once each chosen service has spawned, failed, or shows that it waits for its dependencies. */
  async startAll(names?: readonly string[]): Promise<void> {
    const chosen = names ? names.map((name) => this.lookup(name)) : [...this.services.values()].filter((s) => s.spec.autostart);
    await Promise.all(chosen.map((s) => this.startGated(s, true)));
  }

  async stopAll(): Promise<void> {
    this.waiting.clear();
    const unwatched = Promise.all(this.config.services.map((s) => this.unwatch(s.name)));
    const done = new Map<string, Promise<void>>();
    // Dependents first: a service stops once everything that depends on it has stopped. `path` breaks cycles.
    const stopAfterDependents = (name: string, path: ReadonlySet<string>): Promise<void> => {
      const known = done.get(name);
      if (known) return known;
      const dependents = this.config.services.filter((s) => s.dependsOn.includes(name) && !path.has(s.name));
      const next = new Set(path).add(name);
      const promise = Promise.all(dependents.map((s) => stopAfterDependents(s.name, next))).then(() => this.lookup(name).stop());
      done.set(name, promise);
      return promise;
    };
    this.stoppingAll += 1;
    try {
      await Promise.all([unwatched, ...this.config.services.map((s) => stopAfterDependents(s.name, new Set()))]);
    } finally {
      this.stoppingAll -= 1;
    }
  }

  async restartAll(): Promise<void> {
    const chosen = [...this.services.values()].filter((s) => RESTARTABLE_STATES.has(s.status().state));
    await Promise.all(chosen.map((s) => this.restart(s.spec.name)));
  }

  onStatus(listener: (status: ServiceStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): Promise<void> {
    this.isClosed = true;
    this.closing ??= this.stopAll().then(() => this.groups.close());
    return this.closing;
  }

  private lookup(name: string): Service {
    const service = this.services.get(name);
    if (!service) throw errors.DD_ERR_UNKNOWN_SERVICE(name);
    return service;
  }

  /**
   * Starts `service` once its dependencies run. On a request (`shouldStartDeps`) idle dependencies are
   * started too, as in the UI's one click; never on a re-check, or a crashing dependency would loop.
   */
  private async startGated(service: Service, shouldStartDeps = false): Promise<void> {
    if (this.isClosed) return;
    this.watch(service.spec);
    const missing = missingDeps(service.spec, this.services);
    if (missing.length === 0) {
      this.waiting.delete(service.spec.name);
      return service.start();
    }
    if (shouldStartDeps) this.startIdleDeps(missing);
    const reason = waitingReason(missing, this.services);
    this.waiting.set(service.spec.name, reason);
    return service.wait(reason);
  }

  private startIdleDeps(names: readonly string[]): void {
    for (const name of names) {
      const dep = this.services.get(name);
      if (isIdle(dep)) void this.startGated(dep, true);
    }
  }

  private watch(spec: ServiceSpec): void {
    if (spec.watch.length === 0 || this.watchers.has(spec.name)) return;
    const log = this.logs.create(spec.name);
    try {
      const watcher = createServiceWatcher({
        cwd: spec.cwd,
        patterns: spec.watch,
        logger: this.logger.child({ mod: "watch", service: spec.name }),
        onTrigger: async (file, { paths }) => {
          log.system(`change detected in ${file}${paths > 1 ? ` (+${paths - 1} more)` : ""}: restarting`);
          // The watcher stays busy until this settles: no restart while one is in flight.
          await this.restart(spec.name);
        },
      });
      this.watchers.set(spec.name, watcher);
      void watcher.ready.then(() => {
        if (this.watchers.get(spec.name) === watcher) log.system(`watching ${spec.watch.join(" ")} for changes`);
      });
    } catch (err) {
      log.system(`watch disabled: ${(err as Error).message}`);
    }
  }

  private async unwatch(name: string): Promise<void> {
    const watcher = this.watchers.get(name);
    this.watchers.delete(name);
    await watcher?.close();
  }

  private emit(status: ServiceStatus): void {
    for (const listener of this.listeners) {
      try {
        listener(status);
      } catch (err) {
        this.logger.error({ err }, "status listener failed");
      }
    }
    this.recheckWaiting();
  }

  /** A status changed: start the waiting services whose dependencies are now running, update the others' reason. */
  private recheckWaiting(): void {
    for (const [name, shown] of this.waiting) {
      const service = this.services.get(name);
      if (!service) continue;
      const missing = missingDeps(service.spec, this.services);
      if (missing.length === 0 || waitingReason(missing, this.services) !== shown) void this.startGated(service);
    }
  }
}
