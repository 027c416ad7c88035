// Builds ServiceSpecs and a real supervisor (real log store, real children) for the supervisor tests.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import type { LogLine, ServiceState, ServiceStatus } from "../../shared/service.ts";
import type { ResolvedConfig, ServiceSpec } from "../../server/config/types.ts";
import { silentLogger } from "../../server/log.ts";
import { createLogStore } from "../../server/logs/log-store.ts";
import type { StatePaths } from "../../server/state.ts";
import { createSupervisor, type SupervisorDeps } from "../../server/supervisor/supervisor.ts";
import type { Supervisor } from "../../server/supervisor/types.ts";
import { FIXTURES } from "../helpers/console.ts";
import { consoleDefaults, serviceDefaults } from "../helpers/specs.ts";
import { waitUntil } from "../helpers/wait.ts";

/** argv running a fixture script with this node: [node, test/fixtures/bin/NAME.mjs, ...args]. */
export function fixtureCmd(name: string, ...args: string[]): string[] {
  return [process.execPath, join(FIXTURES, `${name}.mjs`), ...args];
}

/** The same as a shell command line (string cmd). */
export function fixtureShell(name: string, ...args: string[]): string {
  return fixtureCmd(name, ...args).map((a) => `'${a}'`).join(" ");
}

/** A ServiceSpec with the defaults of SPEC.md (restart: no, so tests opt into restarts). */
export function makeSpec(name: string, cmd: string | string[], overrides: Partial<ServiceSpec> = {}): ServiceSpec {
  return { name, cmd, cwd: process.cwd(), ...serviceDefaults(), restart: "no", ...overrides };
}

/** A ResolvedConfig holding `services`, with console defaults. */
export function makeConfig(services: ServiceSpec[]): ResolvedConfig {
  return {
    file: join(process.cwd(), "devdeck.yaml"),
    dir: process.cwd(),
    services,
    console: { ...consoleDefaults(), buffer: 1000 },
  };
}

/** A running supervisor with its history and log readers. */
export interface Deck {
  sup: Supervisor;
  /** Every status change, in order. */
  history: ServiceStatus[];
  lines(name: string): LogLine[];
  texts(name: string, stream?: LogLine["stream"]): string[];
  waitState(name: string, state: ServiceState, timeoutMs?: number): Promise<ServiceStatus>;
  waitLine(name: string, pred: (text: string) => boolean, timeoutMs?: number): Promise<LogLine>;
}

/** A supervisor over `services`, closed after the test. */
export function startDeck(t: TestContext, services: ServiceSpec[], extra: Partial<SupervisorDeps> = {}): Deck {
  const logs = createLogStore({ capacity: 1000, maxLineBytes: 16384 });
  const sup = createSupervisor(makeConfig(services), { logs, logger: silentLogger(), statePaths: null, ...extra });
  t.after(() => sup.close());
  const history: ServiceStatus[] = [];
  sup.onStatus((s) => history.push(s));
  const lines = (name: string) => logs.get(name)?.read(0, 100_000).lines ?? [];
  const texts = (name: string, stream?: LogLine["stream"]) => lines(name).filter((l) => !stream || l.stream === stream).map((l) => l.text);
  return {
    sup,
    history,
    lines,
    texts,
    waitState: (name, state, timeoutMs = 10_000) =>
      waitUntil(() => (sup.get(name)?.state === state ? sup.get(name) : undefined), { timeoutMs, message: `${name} to be ${state} (is ${sup.get(name)?.state}: ${sup.get(name)?.reason})` }),
    waitLine: (name, pred, timeoutMs = 10_000) =>
      waitUntil(() => lines(name).find((l) => pred(l.text)), { timeoutMs, message: `a line of ${name}; have: ${texts(name).join(" | ")}` }),
  };
}

/** A temp folder removed after the test. */
export function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), "devdeck-sup-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** StatePaths inside a temp folder. */
export function tempStatePaths(dir: string): StatePaths {
  const stateDir = join(dir, "state");
  return { dir: stateDir, id: "test", record: join(stateDir, "test.json"), token: join(stateDir, "test.token"), log: join(stateDir, "test.log"), groups: join(stateDir, "test.groups.json") };
}
