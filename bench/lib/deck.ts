// A real devdeck for a benchmark: the CLI (server/main.ts) in its own process, on port 0, with a config
// written to a temp folder; services are started through the HTTP API as a user's click would.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

export const ROOT = resolve(import.meta.dirname, "../..");
export const BENCH = join(ROOT, "bench");
export const CHILDREN = join(BENCH, "children");
export const CLIENTS = join(BENCH, "clients");

// tsx by absolute URL: the console runs from a temp folder.
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
/** Set to a folder to write a CPU profile of every devdeck the suite starts (`node --cpu-prof`). */
const PROFILE_DIR_ENV = "BENCH_CPU_PROF_DIR";
/** Extra node arguments for devdeck, e.g. "--trace-gc"; its stdout then goes to the suite's stderr. */
const NODE_ARGS_ENV = "BENCH_DECK_NODE_ARGS";

/** A service of the bench config, in config-file form (SPEC.md "Config file"). */
export interface BenchService {
  cmd: string[];
  autostart?: boolean;
  restart?: "no" | "on-failure" | "always";
  port?: number;
  ready?: { log: string } | { port: number };
  stop_timeout?: number;
}

export interface DeckOptions {
  services: Record<string, BenchService>;
  /** console.buffer: lines kept per service. */
  buffer?: number;
}

/** A running devdeck console. */
export interface BenchDeck {
  pid: number;
  port: number;
  /** http://127.0.0.1:PORT */
  origin: string;
  /** ws://127.0.0.1:PORT/ws/logs?service=NAME… */
  logsUrl(service: string, query?: string): string;
  /** POST /api/services/NAME/ACTION; resolves with the status code. */
  command(service: string, action: "start" | "stop" | "restart"): Promise<number>;
  close(): Promise<void>;
}

/** Starts `devdeck -c FILE -p 0` and waits for its ready line. */
export async function startDeck(opts: DeckOptions): Promise<BenchDeck> {
  const dir = mkdtempSync(join(tmpdir(), "devdeck-bench-"));
  const services = Object.fromEntries(Object.entries(opts.services).map(([name, s]) => [name, { autostart: false, restart: "no", ...s, cwd: CHILDREN }]));
  const file = join(dir, "devdeck.yaml");
  // JSON is YAML (SPEC.md): no YAML writer needed.
  writeFileSync(file, JSON.stringify({ services, console: { buffer: opts.buffer ?? 10_000 } }, null, 2));
  const profileDir = process.env[PROFILE_DIR_ENV];
  const extraArgs = process.env[NODE_ARGS_ENV]?.split(" ").filter(Boolean) ?? [];
  const nodeArgs = [...(profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []), ...extraArgs];
  const child = spawn(process.execPath, [...nodeArgs, "--import", TSX_LOADER, join(ROOT, "server/main.ts"), "-c", file, "-p", "0"], {
    cwd: dir,
    env: { ...process.env, XDG_STATE_HOME: join(dir, "state"), DEVDECK_LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  child.on("error", (err) => process.stderr.write(`devdeck: ${err.message}\n`));
  const origin = await new Promise<string>((resolveUrl, reject) => {
    let out = "";
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /http:\/\/[\d.]+:\d+/.exec(out);
      if (!m) return;
      child.stdout.off("data", onData);
      if (extraArgs.length > 0) child.stdout.pipe(process.stderr);
      else child.stdout.resume();
      resolveUrl(m[0]);
    };
    child.stdout.on("data", onData);
    child.once("exit", (code) => reject(new Error(`devdeck exited (${code}) before its ready line`)));
  });
  const port = Number(new URL(origin).port);
  return {
    pid: child.pid ?? -1,
    port,
    origin,
    logsUrl: (service, query = "") => `ws://127.0.0.1:${port}/ws/logs?service=${encodeURIComponent(service)}${query ? `&${query}` : ""}`,
    async command(service, action) {
      const res = await fetch(`${origin}/api/services/${encodeURIComponent(service)}/${action}`, { method: "POST" });
      await res.arrayBuffer();
      return res.status;
    },
    async close() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, "exit");
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A service running `node bench/children/SCRIPT args…`. */
export function nodeService(script: string, args: ReadonlyArray<string | number>, over: Partial<BenchService> = {}): BenchService {
  return { cmd: [process.execPath, join(CHILDREN, script), ...args.map(String)], ...over };
}
