// latency: one line every 5 ms for 5 s; delay from the child's write to the client's receipt (both stamp
// performance.timeOrigin + now()). At idle, against plain Node reading the same child's pipe; and under
// load: the same ticker while another service floods the same client (service=*).
import { join } from "node:path";
import { CLIENTS, nodeService, startDeck, type BenchDeck } from "../lib/deck.ts";
import { startHelper } from "../lib/proc.ts";
import { tickDelays } from "../lib/raw.ts";
import type { SuiteResult } from "../lib/report.ts";
import { fixed, int, percentiles, spreadText, summarize, type Percentiles } from "../lib/stats.ts";

export interface LatencyOptions {
  ticks: number;
  intervalMs: number;
  runs: number;
  /** Lines/s of the other service in the "under load" case. */
  loadRate: number;
}

interface LatencyReport {
  delays: number[];
  lines: number;
  gaps: number;
}

async function measure(deck: BenchDeck, url: string, service: string): Promise<LatencyReport> {
  const client = startHelper(join(CLIENTS, "latency.mjs"), [url, service]);
  const first = await client.nextLine();
  if (first !== "live") throw new Error(`latency client: expected live, got ${first}`);
  await deck.command(service, "start");
  const report = await client.nextJson<LatencyReport>();
  await client.stop();
  return report;
}

const ms = (n: number) => fixed(n, 2);

/** Benchmark latency. */
export async function runLatency(opts: LatencyOptions): Promise<SuiteResult> {
  const runs = Array.from({ length: opts.runs }, (_, i) => i + 1);
  const ticker = nodeService("ticker.mjs", [opts.ticks, opts.intervalMs]);
  const loadSeconds = (opts.ticks * opts.intervalMs) / 1000 + 1;
  const services = Object.fromEntries([
    ...runs.map((i) => [`tick${i}`, ticker]),
    ...runs.map((i) => [`busytick${i}`, ticker]),
    ...runs.map((i) => [`load${i}`, nodeService("steady.mjs", [opts.loadRate, 100, loadSeconds])]),
  ]);
  const deck = await startDeck({ services });
  const idle: Percentiles[] = [];
  const loaded: Percentiles[] = [];
  const reference: Percentiles[] = [];
  const all = { idle: [] as number[], loaded: [] as number[], reference: [] as number[] };
  let gaps = 0;
  try {
    for (const i of runs) {
      const ref = await tickDelays(opts.ticks, opts.intervalMs);
      reference.push(percentiles(ref));
      all.reference.push(...ref);
      const quiet = await measure(deck, deck.logsUrl(`tick${i}`), `tick${i}`);
      idle.push(percentiles(quiet.delays));
      all.idle.push(...quiet.delays);
      await deck.command(`load${i}`, "start");
      const busy = await measure(deck, deck.logsUrl("*"), `busytick${i}`);
      loaded.push(percentiles(busy.delays));
      all.loaded.push(...busy.delays);
      gaps += quiet.gaps + busy.gaps;
      await deck.command(`load${i}`, "stop");
    }
  } finally {
    await deck.close();
  }
  const p = (list: Percentiles[], key: keyof Percentiles) => summarize(list.map((x) => x[key]));
  const idleP99 = p(idle, "p99");
  const bench = `latency (1 line / ${opts.intervalMs} ms, ${int(opts.ticks)} lines)`;
  const loadBench = `latency under load (+ ${int(opts.loadRate)} lines/s on another service, same client)`;
  return {
    name: "latency",
    rows: [
      { benchmark: bench, metric: "p50 child write → client", devdeck: `${spreadText(p(idle, "p50"), ms)} ms`, reference: `${spreadText(p(reference, "p50"), ms)} ms plain reader`, target: "", holds: null },
      { benchmark: bench, metric: "p99", devdeck: `${spreadText(idleP99, ms)} ms`, reference: `${spreadText(p(reference, "p99"), ms)} ms plain reader`, target: "≤ 3 ms", holds: idleP99.median <= 3 },
      { benchmark: bench, metric: "max", devdeck: `${spreadText(p(idle, "max"), ms)} ms`, reference: `${spreadText(p(reference, "max"), ms)} ms plain reader`, target: "", holds: null },
      { benchmark: loadBench, metric: "p50 / p99 / max", devdeck: `${ms(p(loaded, "p50").median)} / ${ms(p(loaded, "p99").median)} / ${ms(p(loaded, "max").median)} ms`, reference: "", target: "", holds: null },
      { benchmark: bench, metric: "lines lost (gaps)", devdeck: int(gaps), reference: "", target: "0", holds: gaps === 0 },
    ],
    data: { opts, idle, loaded, reference, pooled: { idle: percentiles(all.idle), loaded: percentiles(all.loaded), reference: percentiles(all.reference) } },
  };
}
