// A real console for HTTP tests: buildApp on port 0 with a real supervisor on real fixture processes.
import type { TestContext } from "node:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import { pino } from "pino";
import type { ResolvedConfig, ServiceSpec } from "../../server/config/types.ts";
import { buildApp, type AppDeps } from "../../server/http/app.ts";
import { createLogStore } from "../../server/logs/log-store.ts";
import { createSupervisor } from "../../server/supervisor/supervisor.ts";
import type { Supervisor } from "../../server/supervisor/types.ts";
import { FIXTURES } from "../helpers/console.ts";
import { consoleDefaults, serviceDefaults } from "../helpers/specs.ts";
import { waitUntil } from "../helpers/wait.ts";

export { FIXTURES };

/** A service running `node FIXTURE args…` with no shell, no probe unless given. */
export function service(name: string, fixture: string, args: readonly string[] = [], over: Partial<ServiceSpec> = {}): ServiceSpec {
  const ready = { log: /^ready$/, port: null, http: null };
  const cmd = [process.execPath, join(FIXTURES, fixture), ...args];
  return { name, cmd, cwd: FIXTURES, ...serviceDefaults(), envFileOptional: true, restart: "no", ready, color: false, ...over };
}

export interface DeckOptions {
  token?: string | null;
  readOnly?: boolean;
  uiDir?: string;
  buffer?: number;
  allowedHosts?: string[];
  batch?: AppDeps["batch"];
  maxConnections?: number;
  onShutdown?: () => void;
  /** Address to listen on, passed to buildApp as listenHost (default 127.0.0.1, not passed). */
  host?: string;
}

export interface Deck {
  app: FastifyInstance;
  supervisor: Supervisor;
  config: ResolvedConfig;
  /** http://HOST:PORT/ (HOST 127.0.0.1 unless DeckOptions.host) */
  url: string;
  /** The address it listens on. */
  host: string;
  port: number;
  /** Everything devdeck logged (pino JSON lines). */
  logText: () => string;
}

/** Starts a console on 127.0.0.1:0 for `services` (nothing started); closed after the test. */
export async function startDeck(t: TestContext, services: ServiceSpec[], opts: DeckOptions = {}): Promise<Deck> {
  const dir = mkdtempSync(join(tmpdir(), "devdeck-http-"));
  const file = join(dir, "devdeck.yaml");
  writeFileSync(file, "# built by test/http/harness.ts\n");
  const config: ResolvedConfig = {
    file,
    dir,
    services,
    console: { ...consoleDefaults(), buffer: opts.buffer ?? 1_000, allowedHosts: opts.allowedHosts ?? [] },
  };
  let logged = "";
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logged += chunk.toString();
      done();
    },
  });
  const logger = pino({ level: "debug" }, sink);
  const logs = createLogStore({ capacity: config.console.buffer, maxLineBytes: config.console.maxLineBytes });
  const supervisor = createSupervisor(config, { logs, logger, statePaths: null, hasWatchdog: false });
  const app = buildApp({
    supervisor,
    config,
    logger,
    auth: { token: opts.token ?? null },
    readOnly: opts.readOnly ?? false,
    uiDir: opts.uiDir ?? join(dir, "no-ui"),
    ...(opts.batch ? { batch: opts.batch } : {}),
    ...(opts.maxConnections ? { maxConnections: opts.maxConnections } : {}),
    ...(opts.onShutdown ? { onShutdown: opts.onShutdown } : {}),
    ...(opts.host ? { listenHost: opts.host } : {}),
  });
  t.after(async () => {
    await app.close();
    await supervisor.close();
  });
  const host = opts.host ?? "127.0.0.1";
  await app.listen({ host, port: 0 });
  const port = (app.server.address() as AddressInfo).port;
  return { app, supervisor, config, url: `http://${host}:${port}/`, host, port, logText: () => logged };
}

/** Starts `name` and waits until it is running (ready). */
export async function startAndWait(deck: Deck, name: string): Promise<void> {
  await deck.supervisor.start(name);
  await waitUntil(() => deck.supervisor.get(name)?.state === "running", { message: `${name} running` });
}

/** The pid of a running service (throws when it has none). */
export function pidOf(deck: Deck, name: string): number {
  const pid = deck.supervisor.get(name)?.pid;
  if (typeof pid !== "number") throw new Error(`${name} has no pid`);
  return pid;
}
