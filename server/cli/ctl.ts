// `devdeck ctl`: an HTTP (and /ws/logs) client of a running console, found through its ID.json.
import { realpathSync } from "node:fs";
import { resolve } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import type { WebSocket as WsClient } from "ws";
import type { CtlOptions } from "./args.ts";
import { DevdeckError, errors } from "../errors.ts";
import { isProcessAlive, isRecordLive, readJsonFile, statePaths, type ConsoleRecord } from "../state.ts";
import { ALL_SERVICES, type ErrorBody, type LogsBody, type LogsChannelMsg } from "../../shared/protocol.ts";
import type { LogLine, ServiceStatus } from "../../shared/service.ts";

/** Where the console is and how to prove who we are. */
export interface CtlTarget {
  /** Base URL ending in `/`. */
  url: string;
  token: string | null;
  /** The console's pid when known from ID.json (to wait for its exit after `shutdown`). */
  pid: number | null;
}

const EXIT_FAILURE = 1;
const SHUTDOWN_WAIT_MS = 60_000;
const SHUTDOWN_POLL_MS = 50;

/** Runs one ctl action; resolves with the exit code. */
export async function runCtl(options: CtlOptions, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  // The config parser is only needed to find the config; a short-lived CLI should not load it otherwise.
  const needsConfig = options.url === null && !env["DEVDECK_URL"] && options.config === null;
  const findUpwards = needsConfig ? (await import("../config/load.ts")).findConfigUpwards : () => null;
  const target = findTarget(options, env, findUpwards);
  switch (options.action) {
    case "status":
      return status(target, options.service);
    case "start":
    case "stop":
    case "restart":
      return control(target, options.action, options.service);
    case "logs":
      return options.follow ? follow(target, options.service, (await import("ws")).WebSocket) : printLogs(target, options.service);
    case "shutdown":
      return shutdown(target);
  }
}

/** The console to talk to: DEVDECK_URL / --url, else the ID.json of the config devdeck would pick. */
export function findTarget(options: CtlOptions, env: NodeJS.ProcessEnv, findUpwards: (dir: string) => string | null): CtlTarget {
  const given = options.url ?? (env["DEVDECK_URL"] || null);
  if (given !== null) {
    // The record only lends its token (and pid) when it describes the console at that URL.
    const record = options.config !== null ? attempt(() => readRecord(options.config, env, findUpwards)) : null;
    const url = new URL(given);
    // A token inside DEVDECK_URL (the ready line pasted as is) is fine: the environment is private.
    const fromUrl = url.searchParams.get("token");
    url.search = "";
    const isSameConsole = record !== null && new URL(record.url).origin === url.origin;
    const token = env["DEVDECK_TOKEN"] || fromUrl || (isSameConsole ? record.token : null);
    return { url: url.href.endsWith("/") ? url.href : `${url.href}/`, token, pid: isSameConsole ? record.pid : null };
  }
  const record = readRecord(options.config, env, findUpwards);
  return { url: record.url, token: env["DEVDECK_TOKEN"] || record.token, pid: record.pid };
}

function attempt<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch {
    return null;
  }
}

function readRecord(config: string | null, env: NodeJS.ProcessEnv, findUpwards: (dir: string) => string | null): ConsoleRecord {
  const file = config !== null ? resolve(config) : findUpwards(process.cwd());
  if (file === null) throw errors.DD_ERR_CONFIG_NOT_FOUND(`${process.cwd()} or its parents`);
  let real: string;
  try {
    real = realpathSync(file);
  } catch {
    throw errors.DD_ERR_CONFIG_NOT_FOUND(file);
  }
  const record = readJsonFile<ConsoleRecord>(statePaths(real, env).record);
  if (record === null || !isRecordLive(record)) throw errors.DD_ERR_NO_CONSOLE(real);
  return record;
}

// ---- HTTP ----

async function request<T>(target: CtlTarget, method: "GET" | "POST", path: string): Promise<T> {
  const headers: Record<string, string> = target.token === null ? {} : { authorization: `Bearer ${target.token}` };
  let res: Response;
  try {
    res = await fetch(new URL(path, target.url), { method, headers, redirect: "manual" });
  } catch {
    throw errors.DD_ERR_NO_CONSOLE(`${target.url} (it does not answer)`);
  }
  const body = (await res.json().catch(() => null)) as unknown;
  if (!res.ok) {
    const { error, code } = (body as ErrorBody | null) ?? {};
    throw new DevdeckError(code ?? errors.DD_ERR_BAD_REQUEST.code, error ?? `HTTP ${res.status}`, EXIT_FAILURE);
  }
  return body as T;
}

const servicePath = (name: string, rest = "") => `api/services/${encodeURIComponent(name)}${rest}`;

async function names(target: CtlTarget, service: string | null): Promise<string[]> {
  if (service !== null) return [service];
  return (await request<ServiceStatus[]>(target, "GET", "api/services")).map((s) => s.name);
}

// ---- actions ----

async function status(target: CtlTarget, service: string | null): Promise<number> {
  const list = service === null ? await request<ServiceStatus[]>(target, "GET", "api/services") : [await request<ServiceStatus>(target, "GET", servicePath(service))];
  process.stdout.write(formatTable(list, Date.now()));
  return 0;
}

// Without a service, one request for all (`*`): the console orders it (dependents stop first).
async function control(target: CtlTarget, action: "start" | "stop" | "restart", service: string | null): Promise<number> {
  await request<unknown>(target, "POST", servicePath(service ?? ALL_SERVICES, `/${action}`));
  process.stdout.write(`${service ?? "all services"}: ${action} requested (\`devdeck ctl status\` shows the outcome)\n`);
  return 0;
}

async function printLogs(target: CtlTarget, service: string | null): Promise<number> {
  const all = await names(target, service);
  const tagged: Array<{ name: string; line: LogLine }> = [];
  for (const name of all) {
    const { lines } = await request<LogsBody>(target, "GET", servicePath(name, "/logs"));
    for (const line of lines) tagged.push({ name, line });
  }
  // Several services: one timeline (sort is stable, so each service keeps its own order).
  tagged.sort((a, b) => a.line.time - b.line.time);
  process.stdout.write(tagged.map(({ name, line }) => formatLine(all.length > 1 ? name : null, line)).join(""));
  return 0;
}

function follow(target: CtlTarget, service: string | null, WebSocket: typeof WsClient): Promise<number> {
  const url = new URL(`ws/logs?service=${encodeURIComponent(service ?? "*")}`, target.url.replace(/^http/, "ws"));
  const ws = new WebSocket(url, { headers: target.token === null ? {} : { authorization: `Bearer ${target.token}` } });
  const isMany = service === null;
  return new Promise((done) => {
    ws.on("message", (data) => {
      const msg = JSON.parse(String(data)) as LogsChannelMsg;
      if (msg.type === "lines") process.stdout.write(msg.lines.map((l) => formatLine(isMany ? msg.service : null, l)).join(""));
      if (msg.type === "gap") process.stdout.write(`${isMany ? `${msg.service} | ` : ""}[devdeck] … ${msg.to - msg.from + 1} lines missed\n`);
    });
    ws.on("unexpected-response", (_req, res) => {
      process.stderr.write(`devdeck: the console refused the log stream (HTTP ${res.statusCode})\n`);
      done(1);
    });
    ws.on("error", (err) => {
      process.stderr.write(`devdeck: ${err.message}\n`);
      done(1);
    });
    ws.on("close", () => done(0));
  });
}

async function shutdown(target: CtlTarget): Promise<number> {
  await request<unknown>(target, "POST", "api/shutdown");
  process.stdout.write("devdeck is stopping every service, then itself\n");
  if (target.pid === null) return 0;
  // Return once the console is gone, so a script can start another right after.
  for (const deadline = Date.now() + SHUTDOWN_WAIT_MS; isProcessAlive(target.pid); ) {
    if (Date.now() > deadline) {
      process.stderr.write(`devdeck: the console (pid ${target.pid}) is still stopping\n`);
      return 1;
    }
    await delay(SHUTDOWN_POLL_MS);
  }
  return 0;
}

// ---- formatting ----

function formatLine(service: string | null, line: LogLine): string {
  const prefix = service === null ? "" : `${service} | `;
  return `${prefix}${line.stream === "system" ? "[devdeck] " : ""}${line.text}\n`;
}

/** The `ctl status` table: name, state, pid, uptime, restarts, reason. */
export function formatTable(list: readonly ServiceStatus[], now: number): string {
  const rows = [["NAME", "STATE", "PID", "UPTIME", "RESTARTS", "REASON"]];
  for (const s of list) {
    const isUp = s.startedAt !== null && (s.state === "starting" || s.state === "running" || s.state === "stopping");
    rows.push([s.name, s.state, s.pid === null ? "-" : String(s.pid), isUp ? formatUptime(now - (s.startedAt ?? now)) : "-", String(s.restarts), s.reason ?? ""]);
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("  ").trimEnd() + "\n").join("");
}

/** 5s, 3m04s, 2h05m, 3d04h. */
export function formatUptime(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, "0");
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${pad(s % 60)}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h${pad(Math.floor(s / 60) % 60)}m`;
  return `${Math.floor(s / 86_400)}d${pad(Math.floor(s / 3600) % 24)}h`;
}
