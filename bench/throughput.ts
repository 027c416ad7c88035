// Log throughput: a service printing as fast as it can, through devdeck to a live WebSocket client,
// beside the raw pipe rate of the same child read by plain Node, measured in the same run.
import { spawn } from "node:child_process";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { ResolvedConfig } from "../server/config/types.ts";
import { buildApp } from "../server/http/app.ts";
import { silentLogger } from "../server/log.ts";
import { createLogStore } from "../server/logs/log-store.ts";
import { createSupervisor } from "../server/supervisor/supervisor.ts";

const HERE = import.meta.dirname;
const PRINTER = join(HERE, "printer.mjs");
const COUNTER = join(HERE, "ws-counter.mjs");

export interface ThroughputResult {
  lines: number;
  lineBytes: number;
  rawLinesPerSec: number;
  devdeckLinesPerSec: number;
  /** Lines the client was told it missed (gap messages); 0 when it kept up. */
  gapLines: number;
  peakRssBytes: number;
}

/** Time for plain Node to read the printer's whole stdout, counting newlines. */
async function rawPipe(lines: number, lineBytes: number): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [PRINTER, String(lines), String(lineBytes)], { stdio: ["ignore", "pipe", "inherit"] });
  child.on("error", (err) => {
    throw err;
  });
  let newlines = 0;
  child.stdout.on("data", (chunk: Buffer) => {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) newlines++;
  });
  await once(child, "close");
  if (newlines !== lines) throw new Error(`raw reader counted ${newlines} lines, expected ${lines}`);
  return performance.now() - started;
}

function benchConfig(lines: number, lineBytes: number): ResolvedConfig {
  const dir = tmpdir();
  return {
    file: join(dir, "devdeck-bench.yaml"),
    dir,
    services: [
      {
        name: "printer",
        cmd: [process.execPath, PRINTER, String(lines), String(lineBytes)],
        cwd: HERE,
        env: {},
        envFile: null,
        envFileOptional: true,
        port: null,
        autostart: false,
        restart: "no",
        stopSignal: "SIGTERM",
        stopTimeoutMs: 5_000,
        ready: null,
        url: null,
        watch: [],
        dependsOn: [],
        pty: false,
        color: false,
      },
    ],
    console: { buffer: 10_000, maxLineBytes: 16_384, allowedHosts: [], auth: "auto", proxy: null },
  };
}

/** Time from starting the service until a live client (its own process) has the last line. */
async function throughDevdeck(lines: number, lineBytes: number): Promise<{ ms: number; gapLines: number; peakRss: number }> {
  const config = benchConfig(lines, lineBytes);
  const logger = silentLogger();
  const logs = createLogStore({ capacity: config.console.buffer, maxLineBytes: config.console.maxLineBytes });
  const supervisor = createSupervisor(config, { logs, logger, statePaths: null, hasWatchdog: false });
  const app = buildApp({ supervisor, config, logger, auth: { token: null }, readOnly: false, uiDir: join(HERE, "no-ui") });
  try {
    await app.listen({ host: "127.0.0.1", port: 0 });
    const { port } = app.server.address() as AddressInfo;
    const client = spawn(process.execPath, [COUNTER, `ws://127.0.0.1:${port}/ws/logs?service=printer`, `line ${lines} `], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    client.on("error", (err) => {
      throw err;
    });
    const replies = createInterface({ input: client.stdout })[Symbol.asyncIterator]();
    if ((await replies.next()).value !== "live") throw new Error("the client did not go live");
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
    const started = performance.now();
    await supervisor.start("printer");
    const done = String((await replies.next()).value ?? "");
    const ms = performance.now() - started;
    clearInterval(sampler);
    const [, , gaps] = done.split(" ");
    client.kill();
    return { ms, gapLines: Number(gaps ?? 0), peakRss };
  } finally {
    await app.close();
    await supervisor.close();
  }
}

/** Runs both measurements once and prints lines/s and their ratio. */
export async function runThroughput(lines = 500_000, lineBytes = 100): Promise<ThroughputResult> {
  const rawMs = await rawPipe(lines, lineBytes);
  const deck = await throughDevdeck(lines, lineBytes);
  const result: ThroughputResult = {
    lines,
    lineBytes,
    rawLinesPerSec: Math.round((lines / rawMs) * 1000),
    devdeckLinesPerSec: Math.round((lines / deck.ms) * 1000),
    gapLines: deck.gapLines,
    peakRssBytes: deck.peakRss,
  };
  const ratio = result.devdeckLinesPerSec / result.rawLinesPerSec;
  const fmt = (n: number) => n.toLocaleString("en-US");
  console.log(`throughput: ${fmt(lines)} lines of ${lineBytes} bytes`);
  console.log(`  raw pipe (plain Node reader): ${fmt(result.rawLinesPerSec)} lines/s`);
  console.log(`  devdeck → live ws client:     ${fmt(result.devdeckLinesPerSec)} lines/s (${(ratio * 100).toFixed(0)}% of raw)`);
  console.log(`  lines announced as gap: ${fmt(result.gapLines)}; devdeck peak RSS ${fmt(Math.round(result.peakRssBytes / 2 ** 20))} MiB`);
  return result;
}
