// CLI entry: args → config → state → supervisor → buildApp → listen → ready line; signals stop it all.
import { spawn } from "node:child_process";
import { openSync, readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { networkInterfaces } from "node:os";
import { dirname, join } from "node:path";
import type { FastifyInstance } from "fastify";
import { CTL_USAGE, USAGE, parseCommand, type RunOptions } from "./cli/args.ts";
import type { ResolvedConfig } from "./config/types.ts";
import { errors, isDevdeckError } from "./errors.ts";
import type { Logger } from "./log.ts";
import type { FrontDoor } from "./proxy/proxy.ts";
import { isRecordLive, loadOrCreateToken, ownStartTime, readJsonFile, removeFile, statePaths, writePrivateFile, type ConsoleRecord, type StatePaths } from "./state.ts";
import type { Supervisor } from "./supervisor/types.ts";

const DETACHED_ENV = "DEVDECK_DETACHED";
const EXIT_SIGINT = 130;

/** Runs devdeck with `argv`; resolves with an exit code, or null while a console keeps running. */
export async function main(argv: readonly string[]): Promise<number | null> {
  const command = parseCommand(argv);
  switch (command.kind) {
    case "help":
      process.stdout.write(command.topic === "ctl" ? CTL_USAGE : USAGE);
      return 0;
    case "version":
      process.stdout.write(`devdeck ${packageInfo().version}\n`);
      return 0;
    case "ctl":
      // Loaded on demand, as the console's modules are: `devdeck ctl` should start fast.
      return (await import("./cli/ctl.ts")).runCtl(command.options);
    case "run":
      return runConsole(command.options, await loadConsoleModules());
  }
}

// ---- the console ----

async function loadConsoleModules() {
  const [load, app, log, logStore, proxy, reaper, supervisor] = await Promise.all([
    import("./config/load.ts"),
    import("./http/app.ts"),
    import("./log.ts"),
    import("./logs/log-store.ts"),
    import("./proxy/proxy.ts"),
    import("./supervisor/reaper.ts"),
    import("./supervisor/supervisor.ts"),
  ]);
  return { ...load, ...app, ...log, ...logStore, ...proxy, ...reaper, ...supervisor };
}

type ConsoleModules = Awaited<ReturnType<typeof loadConsoleModules>>;

interface Prepared {
  config: ResolvedConfig;
  paths: StatePaths;
}

// Everything that can fail before anything starts; shared by the foreground and -d paths.
function prepare(options: RunOptions, { loadConfig, findConfig }: ConsoleModules): Prepared {
  const config = loadConfig(options.config ?? findConfig(process.cwd()));
  for (const name of options.services) {
    if (!config.services.some((s) => s.name === name)) throw errors.DD_ERR_BAD_ARGS(`unknown service '${name}' (not in ${config.file})`);
  }
  const paths = statePaths(config.file);
  const record = readJsonFile<ConsoleRecord>(paths.record);
  if (record && record.pid !== process.pid && record.config === config.file && isRecordLive(record)) {
    throw errors.DD_ERR_ALREADY_RUNNING(config.file, record.url);
  }
  return { config, paths };
}

async function runConsole(options: RunOptions, m: ConsoleModules): Promise<number | null> {
  const { config, paths } = prepare(options, m);
  if (options.detach) return detach(options, config, paths);
  await m.reapLeftovers(paths);
  const isLoopback = m.isLoopback(options.host);
  const token = process.env["DEVDECK_TOKEN"] || (!isLoopback || config.console.auth === "token" ? loadOrCreateToken(paths) : null);
  if (token === null && !isLoopback) throw errors.DD_ERR_TOKEN_REQUIRED(options.host);
  // Services inherit devdeck's environment; the console's token is not theirs to see.
  delete process.env["DEVDECK_TOKEN"];

  const { createLogStore, createSupervisor, buildApp, createProxy } = m;
  // The ready line is what a person needs; devdeck's own info entries matter where nobody watches (-d).
  const logger = m.createLogger(process.env[DETACHED_ENV] === "1" ? "info" : "warn");
  const logs = createLogStore({ capacity: config.console.buffer, maxLineBytes: config.console.maxLineBytes });
  const supervisor = createSupervisor(config, { logs, logger, statePaths: paths });
  const deck: Deck = { supervisor, logger, paths, app: null, proxy: null, isStopping: false };
  const { root, version } = packageInfo();
  const uiDir = process.env["DEVDECK_UI_DIR"] || join(root, "dist", "client");
  const app = buildApp({ supervisor, config, logger, auth: { token }, readOnly: options.readOnly, uiDir, version, listenHost: options.host, onShutdown: () => void stop(deck, 0) });
  deck.app = app;
  handleSignals(deck);

  const port = await listen(app, options, deck);
  const url = `http://${urlHost(options.host)}:${port}/`;
  let frontDoor: string | null = null;
  if (config.console.proxy) {
    deck.proxy = createProxy({ supervisor, config, token, consoleUrl: url, logger });
    const proxyPort = await deck.proxy.listen(options.host, config.console.proxy.port).catch(async (err: unknown) => fail(deck, err));
    frontDoor = `http://NAME.localhost:${proxyPort}/`;
  }
  const record: ConsoleRecord = {
    url,
    pid: process.pid,
    processStartTime: ownStartTime(),
    token,
    instance: supervisor.instance,
    config: config.file,
    startedAt: Date.now(),
  };
  writePrivateFile(paths.record, `${JSON.stringify(record, null, 2)}\n`, paths.dir);
  const readyUrl = token === null ? url : `${url}?token=${encodeURIComponent(token)}`;
  const lines = [
    `devdeck ready at ${readyUrl}`,
    ...otherAddresses(options.host, port).map((u) => `  also at ${u}`),
    ...(frontDoor ? [`  services at ${frontDoor} (the front door)`] : []),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  announceDetached(lines);
  if (options.open) openBrowser(readyUrl, logger);
  supervisor.startAll(options.services.length > 0 ? options.services : undefined).catch((err: unknown) => logger.error({ err }, "start failed"));
  return null;
}

async function listen(app: FastifyInstance, options: RunOptions, deck: Deck): Promise<number> {
  try {
    await app.listen({ host: options.host, port: options.port });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EADDRINUSE") await fail(deck, errors.DD_ERR_PORT_IN_USE(options.port, options.host));
    if ((err as NodeJS.ErrnoException).code === "EADDRNOTAVAIL") await fail(deck, errors.DD_ERR_BAD_ARGS(`cannot listen on ${options.host}: no such address here`));
    await fail(deck, err);
  }
  return (app.server.address() as AddressInfo).port;
}

// A URL a browser on this machine can open: a wildcard bind is reached through loopback.
function urlHost(host: string): string {
  if (host === "0.0.0.0") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}

function otherAddresses(host: string, port: number): string[] {
  if (host !== "0.0.0.0" && host !== "::") return [];
  const urls: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.internal || (host === "0.0.0.0" && a.family !== "IPv4") || (a.family === "IPv6" && a.scopeid !== 0)) continue;
      urls.push(`http://${a.family === "IPv6" ? `[${a.address}]` : a.address}:${port}/`);
    }
  }
  return urls;
}

// ---- shutdown ----

interface Deck {
  supervisor: Supervisor;
  logger: Logger;
  paths: StatePaths;
  app: FastifyInstance | null;
  proxy: FrontDoor | null;
  isStopping: boolean;
}

/** Stops accepting, closes sockets, stops every service (whole trees), removes ID.json, exits. */
async function stop(deck: Deck, code: number): Promise<never> {
  if (!deck.isStopping) {
    deck.isStopping = true;
    try {
      await Promise.all([deck.app?.close(), deck.proxy?.close()]);
      await deck.supervisor.close();
    } catch (err) {
      deck.logger.error({ err }, "shutdown failed");
    }
    const record = readJsonFile<ConsoleRecord>(deck.paths.record);
    if (record?.pid === process.pid) removeFile(deck.paths.record);
    deck.logger.flush();
    process.exit(code);
  }
  return new Promise<never>(() => {});
}

// Prints the one-line reason, then shuts down what has started so far.
async function fail(deck: Deck, err: unknown): Promise<never> {
  reportError(err);
  return stop(deck, exitCodeOf(err));
}

function handleSignals(deck: Deck): void {
  const onSignal = (signal: NodeJS.Signals) => {
    // A second Ctrl-C means "now": the reaper kills what is left at the next start.
    if (deck.isStopping && signal === "SIGINT") process.exit(EXIT_SIGINT);
    deck.logger.info({ signal }, "stopping");
    void stop(deck, 0);
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, onSignal);
  const onCrash = (err: unknown) => {
    deck.logger.fatal({ err }, "uncaught error: stopping");
    void stop(deck, 1);
  };
  process.on("uncaughtException", onCrash);
  process.on("unhandledRejection", onCrash);
}

// ---- -d/--detach: the same console in the background, its output in ID.log ----

async function detach(options: RunOptions, config: ResolvedConfig, paths: StatePaths): Promise<number> {
  writePrivateFile(paths.log, "", paths.dir);
  const logFd = openSync(paths.log, "a", 0o600);
  const args = ["-c", config.file, "-H", options.host, "-p", String(options.port), ...(options.readOnly ? ["--read-only"] : []), "--", ...options.services];
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1] ?? "", ...args], {
    detached: true,
    stdio: ["ignore", logFd, logFd, "ipc"],
    env: { ...process.env, [DETACHED_ENV]: "1" },
  });
  child.on("error", () => {});
  const ready = await new Promise<string[] | null>((resolve) => {
    child.once("message", (msg) => resolve((msg as { ready?: string[] }).ready ?? null));
    child.once("exit", () => resolve(null));
  });
  if (ready === null) {
    process.stderr.write(`devdeck: the console did not start; see ${paths.log}\n${readFileSync(paths.log, "utf8").slice(-2000)}`);
    return 1;
  }
  process.stdout.write(`${ready.join("\n")}\n`);
  child.disconnect();
  child.unref();
  if (options.open) openBrowser(/http:\/\/\S+/.exec(ready[0] ?? "")?.[0] ?? "", null);
  return 0;
}

function announceDetached(lines: string[]): void {
  if (process.env[DETACHED_ENV] !== "1" || !process.send) return;
  delete process.env[DETACHED_ENV];
  process.send({ ready: lines }, () => process.disconnect());
}

function openBrowser(url: string, logger: Logger | null): void {
  const [cmd, args] =
    process.platform === "darwin" ? ["open", [url]] : process.platform === "win32" ? ["cmd", ["/c", "start", "", url]] : ["xdg-open", [url]];
  const child = spawn(cmd as string, args as string[], { detached: true, stdio: "ignore" });
  child.on("error", (err) => logger?.warn({ err: err.message }, "could not open a browser"));
  child.unref();
}

// ---- errors and package info ----

function exitCodeOf(err: unknown): number {
  return isDevdeckError(err) && err.statusCode < 100 ? err.statusCode : 1;
}

function reportError(err: unknown): void {
  const text = isDevdeckError(err) ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(text.startsWith("devdeck ") ? `${text}\n` : `devdeck: ${text}\n`);
}

function packageInfo(): { root: string; version: string } {
  for (let dir = import.meta.dirname; ; dir = dirname(dir)) {
    const pkg = readJsonFile<{ name?: string; version?: string }>(join(dir, "package.json"));
    if (pkg?.name === "devdeck") return { root: dir, version: pkg.version ?? "0.0.0" };
    if (dirname(dir) === dir) return { root: dirname(import.meta.dirname), version: "0.0.0" };
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== null) process.exitCode = code;
  },
  (err: unknown) => {
    reportError(err);
    process.exitCode = exitCodeOf(err);
  },
);
