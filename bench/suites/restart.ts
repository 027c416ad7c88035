// restart: a small Node HTTP server; from the restart request until its port answers from the new process,
// against kill + spawn done directly by plain Node (SIGTERM, wait for the exit, spawn, poll the port).
import { spawn } from "node:child_process";
import { once } from "node:events";
import { connect, createServer } from "node:net";
import { join } from "node:path";
import { CHILDREN, nodeService, startDeck } from "../lib/deck.ts";
import type { SuiteResult } from "../lib/report.ts";
import { fixed, spreadText, summarize } from "../lib/stats.ts";

export interface RestartOptions {
  runs: number;
}

/** Poll period of the port: well below the times measured. */
const POLL_MS = 1;

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The pid answering on the port, or null while nothing answers. Raw HTTP/1.0: a poll costs well under 1 ms. */
function answeringPid(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    let reply = "";
    const socket = connect({ host: "127.0.0.1", port }, () => socket.end("GET / HTTP/1.0\r\n\r\n"));
    socket.setEncoding("utf8");
    socket.on("data", (d: string) => (reply += d));
    socket.on("end", () => resolve(Number(reply.slice(reply.indexOf("\r\n\r\n") + 4)) || null));
    socket.on("error", () => resolve(null));
  });
}

/** Resolves once the port answers from a pid other than `oldPid`. */
async function waitForNewPid(port: number, oldPid: number | null): Promise<number> {
  for (;;) {
    const pid = await answeringPid(port);
    if (pid !== null && pid !== oldPid) return pid;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function spawnServer(port: number) {
  const child = spawn(process.execPath, [join(CHILDREN, "http-server.mjs")], { stdio: "ignore", env: { ...process.env, PORT: String(port) } });
  child.on("error", (err) => process.stderr.write(`http-server: ${err.message}\n`));
  return child;
}

/** A server restarted by hand: SIGTERM, wait for the exit, spawn, wait until the port answers. */
async function startDirect(port: number) {
  let child = spawnServer(port);
  let pid = await waitForNewPid(port, null);
  const stop = async () => {
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    await exited;
  };
  return {
    async restart(): Promise<number> {
      const t0 = performance.now();
      await stop();
      child = spawnServer(port);
      pid = await waitForNewPid(port, pid);
      return performance.now() - t0;
    },
    stop,
  };
}

/** Benchmark restart. */
export async function runRestart(opts: RestartOptions): Promise<SuiteResult> {
  const port = await freePort();
  const deck = await startDeck({ services: { web: nodeService("http-server.mjs", [], { port, restart: "no" }) } });
  const viaDeck: number[] = [];
  const ref: number[] = [];
  const directServer = await startDirect(await freePort());
  try {
    await deck.command("web", "start");
    let pid = await waitForNewPid(port, null);
    // Interleaved, so that a slower moment of the machine hits both sides alike.
    for (let i = 0; i < opts.runs; i++) {
      const t0 = performance.now();
      const status = await deck.command("web", "restart");
      if (status !== 202) throw new Error(`restart answered ${status}`);
      pid = await waitForNewPid(port, pid);
      viaDeck.push(performance.now() - t0);
      ref.push(await directServer.restart());
    }
  } finally {
    await directServer.stop();
    await deck.close();
  }
  const d = summarize(viaDeck);
  const r = summarize(ref);
  const ms = (n: number) => fixed(n, 0);
  return {
    name: "restart",
    rows: [
      {
        benchmark: "restart (small Node HTTP server)",
        metric: "request → port answers from the new process",
        devdeck: `${spreadText(d, ms)} ms`,
        reference: `${spreadText(r, ms)} ms kill + spawn directly`,
        target: "≤ direct + 50 ms",
        holds: d.median <= r.median + 50,
      },
    ],
    data: { opts, viaDeck, direct: ref },
  };
}
