// A real supervisor with real fixture services behind a real proxy, and raw HTTP/WebSocket clients
// that can set any Host header (fetch may not).
import type { TestContext } from "node:test";
import { request } from "node:http";
import { join } from "node:path";
import WebSocket from "ws";
import type { ResolvedConfig, ServiceSpec } from "../../server/config/types.ts";
import { createLogStore } from "../../server/logs/log-store.ts";
import { silentLogger } from "../../server/log.ts";
import { createSupervisor } from "../../server/supervisor/supervisor.ts";
import type { Supervisor } from "../../server/supervisor/types.ts";
import { createProxy, type FrontDoor } from "../../server/proxy/proxy.ts";
import { FIXTURES } from "../helpers/console.ts";
import { releasedPort } from "../helpers/ports.ts";
import { consoleDefaults, serviceDefaults } from "../helpers/specs.ts";
import { waitUntil } from "../helpers/wait.ts";
import { upgradeStatus } from "../helpers/ws.ts";

export const ECHO = join(FIXTURES, "http-ws-echo.mjs");
export const CONSOLE_URL = "http://127.0.0.1:7007/";

/** A service running the echo fixture on its own free port, ready when it prints `ready`. */
export async function echoService(name: string, overrides: Partial<ServiceSpec> = {}, host = "127.0.0.1"): Promise<ServiceSpec> {
  const ready = { log: /^ready/, port: null, http: null };
  const spec = { name, cmd: [process.execPath, ECHO, host], cwd: FIXTURES, ...serviceDefaults(), env: { ECHO_NAME: name } };
  return { ...spec, port: await releasedPort(), restart: "no", ready, color: false, ...overrides };
}

export interface Deck {
  supervisor: Supervisor;
  config: ResolvedConfig;
  /** The proxy's port. */
  port: number;
  close: () => Promise<void>;
}

export interface DeckOptions {
  token?: string | null;
  allowedHosts?: string[];
  /** Start the autostart services and wait until each is running (default true). */
  isStarted?: boolean;
}

/** Supervisor + proxy on 127.0.0.1:0; closed by t.after. */
export async function startDeck(t: TestContext, services: ServiceSpec[], opts: DeckOptions = {}): Promise<Deck> {
  const config: ResolvedConfig = {
    file: join(FIXTURES, "devdeck.yaml"),
    dir: FIXTURES,
    services,
    console: { ...consoleDefaults(), buffer: 1000, allowedHosts: opts.allowedHosts ?? [], proxy: { port: 0 } },
  };
  const logs = createLogStore({ capacity: 1000, maxLineBytes: 16384 });
  const supervisor = createSupervisor(config, { logs, logger: silentLogger(), statePaths: null, hasWatchdog: false });
  const proxy = createProxy({ supervisor, config, token: opts.token ?? null, consoleUrl: CONSOLE_URL, logger: silentLogger() });
  const close = async () => {
    await proxy.close();
    await supervisor.close();
  };
  t.after(close);
  const port = await proxy.listen("127.0.0.1", 0);
  if (opts.isStarted ?? true) {
    await supervisor.startAll();
    for (const s of services.filter((s) => s.autostart)) await waitForState(supervisor, s.name, "running");
  }
  return { supervisor, config, port, close };
}

/** A second, unstarted proxy over `deck`'s supervisor (listen tests); closed by t.after. */
export function spareProxy(t: TestContext, deck: Deck, token: string | null = null): FrontDoor {
  const proxy = createProxy({ supervisor: deck.supervisor, config: deck.config, token, consoleUrl: CONSOLE_URL, logger: silentLogger() });
  t.after(() => proxy.close());
  return proxy;
}

/** Waits until `name` is in `state`; names the state it is in when it times out. */
export async function waitForState(supervisor: Supervisor, name: string, state: string): Promise<void> {
  await waitUntil(() => supervisor.get(name)?.state === state, {
    message: `${name} to be ${state} (is ${supervisor.get(name)?.state}: ${supervisor.get(name)?.reason})`,
  });
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request to 127.0.0.1:port with the given Host. */
export function get(port: number, host: string, path = "/", headers: Record<string, string> = {}, method = "GET"): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method, headers: { ...headers, host } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

/** What the echo fixture says about the request it got. */
export function echoed(answer: Answer): { service: string; url: string; headers: Record<string, string | undefined> } {
  assert200(answer);
  return JSON.parse(answer.body) as { service: string; url: string; headers: Record<string, string | undefined> };
}

function assert200(answer: Answer): void {
  if (answer.status !== 200) throw new Error(`expected 200, got ${answer.status}: ${answer.body.slice(0, 300)}`);
}

/** Opens a WebSocket through the proxy with the given Host; rejects with the refusing status. */
export async function openWs(t: TestContext, port: number, host: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/hmr`, { headers: { ...headers, host } });
  t.after(() => ws.terminate());
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("unexpected-response", (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    ws.once("error", reject);
  });
  ws.on("error", () => {});
  return ws;
}

/** The HTTP status that answers an upgrade through the proxy with this Host (101 when it succeeds). */
export function upgradeStatusWithHost(port: number, host: string, headers: Record<string, string> = {}): Promise<number> {
  return upgradeStatus(`http://127.0.0.1:${port}/hmr`, { ...headers, host });
}
