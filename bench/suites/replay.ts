// replay: a full ring (10,000 lines, wrapped) to a new client, from `new WebSocket` to the `live` marker,
// every message parsed. Reference: the same client on a service with nothing to replay (handshake + live).
import { join } from "node:path";
import { CLIENTS, nodeService, startDeck, type BenchDeck } from "../lib/deck.ts";
import { startHelper } from "../lib/proc.ts";
import type { SuiteResult } from "../lib/report.ts";
import { fixed, int, spreadText, summarize } from "../lib/stats.ts";

export interface ReplayOptions {
  ring: number;
  rounds: number;
}

/** Waits until `service` has `state` (polls the HTTP API). */
export async function waitForState(deck: BenchDeck, service: string, state: string, timeoutMs = 60_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${deck.origin}/api/services/${service}`);
    const status = (await res.json()) as { state: string };
    if (status.state === state) return;
    if (performance.now() > deadline) throw new Error(`${service} did not reach ${state} (is ${status.state})`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function replayTimes(url: string, rounds: number): Promise<{ ms: number[]; lines: number[] }> {
  const client = startHelper(join(CLIENTS, "replay.mjs"), [url, String(rounds)]);
  const result = await client.nextJson<{ ms: number[]; lines: number[] }>();
  await client.stop();
  return result;
}

/** Benchmark replay. */
export async function runReplay(opts: ReplayOptions): Promise<SuiteResult> {
  const deck = await startDeck({ buffer: opts.ring, services: { full: nodeService("printer.mjs", [opts.ring * 2, 100]), empty: nodeService("printer.mjs", [0, 100]) } });
  let full: { ms: number[]; lines: number[] };
  let empty: { ms: number[]; lines: number[] };
  try {
    await deck.command("full", "start");
    await waitForState(deck, "full", "exited");
    // One warm-up round each, not counted: the first connection of a process pays for loading code.
    empty = await replayTimes(deck.logsUrl("empty"), opts.rounds + 1);
    full = await replayTimes(deck.logsUrl("full"), opts.rounds + 1);
  } finally {
    await deck.close();
  }
  const ms = summarize(full.ms.slice(1));
  const ref = summarize(empty.ms.slice(1));
  const lines = Math.min(...full.lines);
  const bench = `replay (${int(opts.ring)}-line ring)`;
  return {
    name: "replay",
    rows: [
      {
        benchmark: bench,
        metric: "connect → live, every line parsed",
        devdeck: `${spreadText(ms, (n) => fixed(n, 1))} ms`,
        reference: `${spreadText(ref, (n) => fixed(n, 1))} ms with nothing to replay`,
        target: "≤ 50 ms",
        holds: ms.median <= 50,
      },
      { benchmark: bench, metric: "lines replayed", devdeck: int(lines), reference: "", target: int(opts.ring), holds: lines === opts.ring },
    ],
    data: { opts, full, empty },
  };
}
