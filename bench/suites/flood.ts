// flood: N lines of ~B bytes as fast as the child can write them, through devdeck to a live client in its
// own process, against plain Node reading the same child's pipe. Also devdeck's CPU time and peak RSS.
import { join } from "node:path";
import { CLIENTS, nodeService, startDeck, type BenchDeck } from "../lib/deck.ts";
import { countNewlines } from "../lib/raw.ts";
import { cpuMs, epochMs, peakRssBytes, resetPeakRss, startHelper } from "../lib/proc.ts";
import type { SuiteResult } from "../lib/report.ts";
import { fixed, int, mib, pct, spreadText, summarize } from "../lib/stats.ts";

/** What counter.mjs reports. */
export interface CounterReport {
  lines: number;
  gapLines: number;
  gaps: number;
  orderErrors: number;
  messages: number;
  maxBatch: number;
  afterExit: number;
  tLast: number;
  tExit: number;
  /** The client's own CPU time, ms. */
  cpuMs: number;
}

export interface FloodOptions {
  lines: number;
  bytes: number;
  runs: number;
  /** Lines/s of the paced flood (1 s each run): a child that writes fast, but not faster than a client parses. */
  pacedRate: number;
}

interface DeckRun {
  linesPerSec: number;
  cpuMs: number;
  peakRss: number;
  lost: number;
  report: CounterReport;
}

/** A counter client on `url`, once it is live. */
export async function liveCounter(url: string, last: number, mode: "" | "exit" = "") {
  const client = startHelper(join(CLIENTS, "counter.mjs"), [url, String(last), mode]);
  const first = await client.nextLine();
  if (first !== "live") throw new Error(`counter: expected live, got ${first}`);
  return client;
}

/** Starts `name` with a live counter attached; how fast its `lines` lines reached the client, and at what cost. */
async function oneRun(deck: BenchDeck, name: string, lines: number): Promise<DeckRun> {
  const client = await liveCounter(deck.logsUrl(name), lines);
  resetPeakRss(deck.pid);
  const cpu0 = cpuMs(deck.pid);
  const t0 = epochMs();
  await deck.command(name, "start");
  const report = await client.nextJson<CounterReport>();
  await client.stop();
  return { linesPerSec: (lines / (report.tLast - t0)) * 1000, cpuMs: cpuMs(deck.pid) - cpu0, peakRss: peakRssBytes(deck.pid), lost: lines - report.lines, report };
}

/** Benchmark flood. */
export async function runFlood(opts: FloodOptions): Promise<SuiteResult> {
  const names = Array.from({ length: opts.runs }, (_, i) => `flood${i + 1}`);
  const services = Object.fromEntries([
    ...names.map((n) => [n, nodeService("printer.mjs", [opts.lines, opts.bytes])]),
    ...names.map((n) => [`paced-${n}`, nodeService("steady.mjs", [opts.pacedRate, opts.bytes, 1])]),
  ]);
  const deck = await startDeck({ services });
  const raw: Array<{ linesPerSec: number; cpuMs: number }> = [];
  const runs: DeckRun[] = [];
  const paced: DeckRun[] = [];
  try {
    for (const name of names) {
      // Interleaved, so that a slower moment of the machine hits both sides alike.
      const ref = await countNewlines("printer.mjs", [opts.lines, opts.bytes]);
      if (ref.lines !== opts.lines) throw new Error(`raw reader counted ${ref.lines} lines`);
      raw.push({ linesPerSec: (ref.lines / ref.ms) * 1000, cpuMs: ref.cpuMs });
      runs.push(await oneRun(deck, name, opts.lines));
      paced.push(await oneRun(deck, `paced-${name}`, opts.pacedRate));
    }
  } finally {
    await deck.close();
  }
  const result = summarizeFlood(opts, raw, runs);
  const pacedLost = Math.max(...paced.map((r) => r.lost));
  result.rows.splice(4, 0, {
    benchmark: `flood paced at ${int(opts.pacedRate)} lines/s for 1 s`,
    metric: "lines lost (worst run) / delivered lines/s",
    devdeck: `${int(pacedLost)} / ${spreadText(summarize(paced.map((r) => r.linesPerSec)))}`,
    reference: "",
    target: "0",
    holds: pacedLost === 0,
  });
  result.data["paced"] = paced;
  return result;
}

function summarizeFlood(opts: FloodOptions, raw: ReadonlyArray<{ linesPerSec: number; cpuMs: number }>, runs: readonly DeckRun[]): SuiteResult {
  const deckRate = summarize(runs.map((r) => r.linesPerSec));
  const rawRate = summarize(raw.map((r) => r.linesPerSec));
  const ratio = summarize(runs.map((r, i) => r.linesPerSec / (raw[i]?.linesPerSec ?? Number.NaN)));
  const cpu = summarize(runs.map((r) => r.cpuMs));
  const rawCpu = summarize(raw.map((r) => r.cpuMs));
  const rss = summarize(runs.map((r) => r.peakRss));
  const lost = Math.max(...runs.map((r) => r.lost));
  const lossyRuns = runs.filter((r) => r.lost > 0).length;
  // SPEC.md: lines a client will never get are announced as a gap, never skipped silently.
  const silent = Math.max(...runs.map((r) => r.lost - r.report.gapLines));
  const orderErrors = Math.max(...runs.map((r) => r.report.orderErrors));
  const bench = `flood (${int(opts.lines)} × ${opts.bytes} B)`;
  return {
    name: "flood",
    rows: [
      { benchmark: bench, metric: "lines/s to a live client", devdeck: spreadText(deckRate), reference: `${spreadText(rawRate)} plain reader`, target: "", holds: null },
      { benchmark: bench, metric: "share of the plain reader", devdeck: spreadText(ratio, pct), reference: "100%", target: "≥ 50%", holds: ratio.median >= 0.5 },
      {
        benchmark: bench,
        metric: "lines lost (worst run; runs with a loss)",
        devdeck: `${int(lost)} (${lossyRuns} of ${runs.length})`,
        reference: "0",
        target: "0",
        holds: lost === 0,
      },
      { benchmark: bench, metric: "lost without a gap message / out of order", devdeck: `${int(silent)} / ${int(orderErrors)}`, reference: "", target: "0 / 0", holds: silent === 0 && orderErrors === 0 },
      { benchmark: bench, metric: "CPU time (devdeck process)", devdeck: `${spreadText(cpu)} ms`, reference: `${spreadText(rawCpu)} ms plain reader`, target: "", holds: null },
      { benchmark: bench, metric: "CPU time (client process)", devdeck: `${spreadText(summarize(runs.map((r) => r.report.cpuMs)))} ms`, reference: "", target: "", holds: null },
      { benchmark: bench, metric: "peak RSS (devdeck process)", devdeck: spreadText(rss, mib), reference: "", target: "", holds: null },
      {
        benchmark: bench,
        metric: "messages / largest batch",
        devdeck: `${int(summarize(runs.map((r) => r.report.messages)).median)} / ${int(Math.max(...runs.map((r) => r.report.maxBatch)))} lines`,
        reference: "",
        target: "",
        holds: null,
      },
    ],
    data: { opts, raw, runs, summary: { deckRate, rawRate, ratio, cpu, rawCpu, rss, cpuUsPerLine: fixed((cpu.median * 1000) / opts.lines, 2) } },
  };
}
