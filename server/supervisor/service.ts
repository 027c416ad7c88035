// One service's lifecycle: an explicit state machine (SPEC.md states), its commands serialised in a queue.
import { setTimeout as delay } from "node:timers/promises";
import type { PortHolder, ServiceState, ServiceStatus } from "../../shared/service.ts";
import type { ServiceSpec } from "../config/types.ts";
import type { Logger } from "../log.ts";
import type { ServiceLog } from "../logs/types.ts";
import { nextAttempt, nextDelay } from "./backoff.ts";
import { describeExit, describeRestart, isStartFailure } from "./describe.ts";
import { toPortHolder } from "./port-holder.ts";
import { describePortOwner, findPortOwner, isPortFree } from "./port-owner.ts";
import { waitReady } from "./ready.ts";
import type { GroupRecord } from "./reaper.ts";
import { finishRun, hasLeftovers, launchRun, type Run, type RunDeps } from "./run.ts";
import { commandText } from "./spawn.ts";

/** Allowed moves of the state machine; anything else is a bug, logged (never thrown at a caller). */
const TRANSITIONS: Readonly<Record<ServiceState, readonly ServiceState[]>> = {
  stopped: ["starting", "running", "crashed"],
  starting: ["starting", "running", "stopping", "stopped", "exited", "crashed", "backoff"],
  running: ["stopping", "exited", "crashed", "backoff"],
  stopping: ["stopped", "starting", "running", "exited", "crashed", "backoff"],
  exited: ["starting", "running", "crashed", "stopped"],
  crashed: ["starting", "running", "crashed", "stopped"],
  backoff: ["starting", "running", "crashed", "stopped"],
};

/** What a service needs from the supervisor. */
export interface ServiceDeps {
  log: ServiceLog;
  logger: Logger;
  groups: GroupRecord;
  /** First backoff delay (SPEC.md: 1 s); shorter in tests. */
  backoffBaseMs: number;
  hasWatchdog: boolean;
  onStatus: (status: ServiceStatus) => void;
  /** True while everything is being stopped: a backoff restart due meanwhile must not spawn again. */
  isStoppingAll: () => boolean;
  /** Every service's status: a port held by a sibling service is not offered to be stopped. */
  siblings: () => readonly ServiceStatus[];
}

/** One service: its status and its serialised commands. */
export interface Service {
  readonly spec: ServiceSpec;
  status(): ServiceStatus;
  /** Spawns unless a run exists (harmless to repeat); cancels a pending backoff restart. */
  start(): Promise<void>;
  /** Ends the run (whole group gone) or a pending restart; the state becomes `stopped`. */
  stop(): Promise<void>;
  /** Ends the run, then spawns; with `waitReason`, waits for dependencies instead of spawning. */
  restart(waitReason?: string | null): Promise<void>;
  /** Shows the service as `starting` with no pid while it waits for its dependencies. */
  wait(reason: string): Promise<void>;
}

/** Creates the state machine of one service; nothing runs until a command arrives. */
export function createService(spec: ServiceSpec, deps: ServiceDeps): Service {
  return new ServiceMachine(spec, deps);
}

class ServiceMachine implements Service {
  readonly spec: ServiceSpec;
  private readonly deps: ServiceDeps;
  private readonly logger: Logger;
  private readonly runDeps: RunDeps;
  private readonly st: ServiceStatus;
  /** The one run that may exist; replaced only after the previous run's whole group is gone. */
  private current: Run | null = null;
  private pendingRestart: AbortController | null = null;
  private hasStarted = false;
  /** Crashes in a row, for the backoff delay. */
  private attempt = 0;
  private tail: Promise<void> = Promise.resolve();

  constructor(spec: ServiceSpec, deps: ServiceDeps) {
    this.spec = spec;
    this.deps = deps;
    this.logger = deps.logger.child({ service: spec.name });
    this.runDeps = { log: deps.log, groups: deps.groups, hasWatchdog: deps.hasWatchdog };
    this.st = {
      name: spec.name,
      state: "stopped",
      pid: null,
      exitCode: null,
      signal: null,
      restarts: 0,
      startedAt: null,
      ready: false,
      url: spec.url,
      nextRestartAt: null,
      reason: null,
      port: spec.port,
      pty: spec.pty,
      dependsOn: [...spec.dependsOn],
      autostart: spec.autostart,
      portHolder: null,
    };
  }

  status(): ServiceStatus {
    return { ...this.st, dependsOn: [...this.st.dependsOn], portHolder: this.st.portHolder && { ...this.st.portHolder } };
  }

  start(): Promise<void> {
    return this.enqueue(async () => {
      this.cancelPendingRestart();
      if (this.current) return;
      this.attempt = 0;
      await this.launch();
    });
  }

  stop(): Promise<void> {
    return this.enqueue(async () => {
      this.cancelPendingRestart();
      if (!this.current) return this.stopIdle();
      const facts = await this.halt(this.current);
      this.transition("stopped", { pid: null, exitCode: facts.code, signal: facts.signal, reason: null });
      this.deps.log.system(describeExit(facts));
    });
  }

  restart(waitReason: string | null = null): Promise<void> {
    return this.enqueue(async () => {
      this.cancelPendingRestart();
      if (this.current) this.deps.log.system(describeExit(await this.halt(this.current)));
      this.attempt = 0;
      // One queued job from stop to wait: a command given after this restart cannot run in between.
      if (waitReason !== null) return this.transition("starting", { pid: null, ready: false, reason: waitReason, portHolder: null });
      await this.launch();
    });
  }

  wait(reason: string): Promise<void> {
    return this.enqueue(async () => {
      if (this.current) return;
      this.cancelPendingRestart();
      this.transition("starting", { pid: null, ready: false, reason, portHolder: null });
    });
  }

  private enqueue(job: () => Promise<void>): Promise<void> {
    const next = this.tail.then(job).catch((err: unknown) => this.logger.error({ err }, "service command failed"));
    this.tail = next;
    return next;
  }

  private transition(to: ServiceState, patch: Partial<ServiceStatus> = {}): void {
    if (!TRANSITIONS[this.st.state].includes(to)) this.logger.error({ from: this.st.state, to }, "unexpected state transition");
    Object.assign(this.st, { nextRestartAt: null }, patch, { state: to });
    this.logger.debug({ state: to, pid: this.st.pid, reason: this.st.reason }, "state");
    this.deps.onStatus(this.status());
  }

  private cancelPendingRestart(): void {
    this.pendingRestart?.abort();
    this.pendingRestart = null;
  }

  private async launch(): Promise<void> {
    if (this.hasStarted) this.st.restarts += 1;
    this.hasStarted = true;
    // Who held the port belongs to the start that failed: the next transition shows it gone.
    this.st.portHolder = null;
    const { spec } = this;
    // SPEC.md: a service whose port is taken does not start (and is not restarted by its policy).
    if (spec.port !== null && !(await isPortFree(spec.port))) {
      const owner = await findPortOwner(spec.port);
      return this.fail(describePortOwner(spec.port, owner), toPortHolder(spec.port, owner, this.deps.siblings()));
    }
    const probe = new AbortController();
    // Subscribed before the spawn so that a ready line printed at once is not missed.
    const ready = spec.ready ? waitReady(spec.ready, this.deps.log, probe.signal) : null;
    ready?.catch(() => {});
    const launched = await launchRun(spec, this.runDeps, probe);
    if ("reason" in launched) {
      probe.abort();
      return this.fail(launched.reason);
    }
    const run = launched.run;
    this.current = run;
    this.transition(ready ? "starting" : "running", { pid: run.pid, startedAt: run.startedAt, ready: !ready, reason: null });
    this.deps.log.system(`started (pid ${run.pid}): ${commandText(spec.cmd)}`);
    ready?.then(() => this.onReady(run), () => {});
    void run.spawned.exited.then(() => this.enqueue(() => this.onOwnExit(run)));
  }

  /** A start that failed before the service ran: crashed, with the reason in the log; never restarted. */
  private fail(reason: string, portHolder: PortHolder | null = null): void {
    this.transition("crashed", { pid: null, ready: false, startedAt: null, reason, portHolder });
    this.deps.log.system(`cannot start: ${reason}`);
  }

  private onReady(run: Run): void {
    if (this.current !== run || this.st.state !== "starting") return;
    this.transition("running", { ready: true });
    this.deps.log.system("ready");
  }

  private async halt(run: Run) {
    this.transition("stopping", { ready: false });
    const facts = await finishRun(run, this.spec, this.runDeps, true);
    this.current = null;
    return facts;
  }

  private async onOwnExit(run: Run): Promise<void> {
    if (this.current !== run) return; // a stop or restart already ended this run
    run.probe.abort();
    if (hasLeftovers(run)) this.transition("stopping", { ready: false, reason: "the command exited: stopping what it left running" });
    const facts = await finishRun(run, this.spec, this.runDeps, false);
    this.current = null;
    const text = describeExit(facts);
    const hasFailed = facts.code !== 0;
    const exitPatch = { pid: null, ready: false, exitCode: facts.code, signal: facts.signal, reason: text };
    const { restart } = this.spec;
    if ((restart === "always" || (restart === "on-failure" && hasFailed)) && !isStartFailure(facts.code, facts.isShell)) {
      return this.scheduleRestart(text, Date.now() - run.startedAt, exitPatch);
    }
    this.transition(hasFailed ? "crashed" : "exited", exitPatch);
    this.deps.log.system(text);
  }

  private scheduleRestart(exitText: string, uptimeMs: number, exitPatch: Partial<ServiceStatus>): void {
    this.attempt = nextAttempt(this.attempt, uptimeMs);
    const delayMs = nextDelay(this.attempt, this.deps.backoffBaseMs);
    this.attempt += 1;
    const timer = new AbortController();
    this.pendingRestart = timer;
    const due = Date.now() + delayMs;
    this.transition("backoff", { ...exitPatch, nextRestartAt: due });
    // One system line per crash, however fast the loop: the exit and the restart plan together.
    this.deps.log.system(`${exitText}; ${describeRestart(delayMs, this.attempt)}`);
    const fire = () =>
      this.enqueue(async () => {
        if (this.pendingRestart !== timer) return; // cancelled by a command meanwhile
        if (this.deps.isStoppingAll()) return; // its stop is on the way (after its dependents')
        this.pendingRestart = null;
        await this.launch();
      });
    waitUntilTime(due, timer.signal).then(fire, () => {});
  }

  /** stop without a run: a pending restart or a wait for dependencies ends; other states stay as they are. */
  private stopIdle(): void {
    if (this.st.state === "backoff" || this.st.state === "starting") this.transition("stopped", { pid: null, ready: false, reason: null });
  }
}

/** Resolves once Date.now() >= due: timers run on the loop's cached clock and may fire a few ms early. */
async function waitUntilTime(due: number, signal: AbortSignal): Promise<void> {
  for (let left = due - Date.now(); left > 0; left = due - Date.now()) await delay(left, undefined, { signal });
}
