// fan-out: 50 clients on one flooding service, one of them stalled (never reads until the flood is over).
// The other 49 must keep pace (lag behind the child, no gap), the stalled one gets a gap when it reads again,
// devdeck's RSS stays flat. Reference: the same 49 readers with no stalled client, in the same run.
import { join } from "node:path";
import { CLIENTS, nodeService, startDeck, type BenchDeck } from "../lib/deck.ts";
import { cpuMs, sampleRss, startHelper } from "../lib/proc.ts";
import type { SuiteResult } from "../lib/report.ts";
import { fixed, int, mib, pct, spreadText, summarize } from "../lib/stats.ts";

export interface FanoutOptions {
  clients: number;
  rate: number;
  seconds: number;
  runs: number;
}

interface ClientState {
  lines: number;
  gaps: number;
  gapLines: number;
  orderErrors: number;
  lag: number | null;
}

interface FanoutRun {
  isStalled: boolean;
  readers: ClientState[];
  stalled: ClientState[];
  cpuMs: number;
  rss: Array<[number, number]>;
}

/** Max RSS in the first and in the last second of `samples` ([ms, bytes]); their ratio is the growth. */
export function rssEnds(samples: ReadonlyArray<[number, number]>): { first: number; last: number; peak: number } {
  const end = samples[samples.length - 1]?.[0] ?? 0;
  const within = (a: number, b: number) => samples.filter(([t]) => t >= a && t <= b).map(([, rss]) => rss);
  return { first: Math.max(...within(0, 1000)), last: Math.max(...within(end - 1000, end)), peak: Math.max(...samples.map(([, rss]) => rss)) };
}

async function oneRun(deck: BenchDeck, service: string, readers: number, stalled: number): Promise<FanoutRun> {
  const client = startHelper(join(CLIENTS, "fanout.mjs"), [deck.logsUrl(service), String(readers), String(stalled)]);
  const first = await client.nextLine();
  if (first !== "live") throw new Error(`fanout client: expected live, got ${first}`);
  const cpu0 = cpuMs(deck.pid);
  const rss = sampleRss(deck.pid);
  await deck.command(service, "start");
  const got = await client.nextJson<{ readers: ClientState[] }>();
  rss.stop();
  const cpu = cpuMs(deck.pid) - cpu0;
  const late = await client.nextJson<{ stalled: ClientState[] }>();
  await client.stop();
  return { isStalled: stalled > 0, readers: got.readers, stalled: late.stalled, cpuMs: cpu, rss: rss.samples };
}

/** Benchmark fan-out. */
export async function runFanout(opts: FanoutOptions): Promise<SuiteResult> {
  const names = Array.from({ length: opts.runs * 2 }, (_, i) => `fan${i + 1}`);
  const deck = await startDeck({ services: Object.fromEntries(names.map((n) => [n, nodeService("steady.mjs", [opts.rate, 100, opts.seconds])])) });
  const runs: FanoutRun[] = [];
  try {
    // Alternating: reference (no stalled client), then with one stalled client.
    for (const [i, name] of names.entries()) {
      const isStalled = i % 2 === 1;
      runs.push(await oneRun(deck, name, opts.clients - 1, isStalled ? 1 : 0));
    }
  } finally {
    await deck.close();
  }
  return summarizeFanout(opts, runs);
}

function summarizeFanout(opts: FanoutOptions, runs: readonly FanoutRun[]): SuiteResult {
  const withStall = runs.filter((r) => r.isStalled);
  const without = runs.filter((r) => !r.isStalled);
  const maxLag = (r: FanoutRun) => Math.max(...r.readers.map((c) => c.lag ?? Number.POSITIVE_INFINITY));
  const lag = summarize(withStall.map(maxLag));
  const refLag = summarize(without.map(maxLag));
  const readerGaps = Math.max(...runs.flatMap((r) => r.readers.map((c) => c.gapLines + c.orderErrors)));
  const stalled = withStall.flatMap((r) => r.stalled);
  const stalledOk = stalled.every((c) => c.gaps >= 1 && c.orderErrors === 0 && c.lag !== null);
  const ends = withStall.map((r) => rssEnds(r.rss));
  const growth = summarize(ends.map((e) => e.last / e.first - 1));
  const refEnds = without.map((r) => rssEnds(r.rss));
  const bench = `fan-out (${opts.clients} clients, ${int(opts.rate)} lines/s for ${opts.seconds} s, 1 stalled)`;
  const ms = (n: number) => fixed(n, 1);
  return {
    name: "fan-out",
    rows: [
      { benchmark: bench, metric: "slowest reader's lag behind the child at the end", devdeck: `${spreadText(lag, ms)} ms`, reference: `${spreadText(refLag, ms)} ms without the stalled client`, target: "keeps pace", holds: lag.median <= refLag.median * 1.5 + 5 },
      { benchmark: bench, metric: "lines lost by the 49 readers", devdeck: int(readerGaps), reference: "", target: "0", holds: readerGaps === 0 },
      {
        benchmark: bench,
        metric: "stalled client, once it reads: gap, then the rest in order",
        devdeck: stalled.map((c) => `${int(c.lines)} lines + gap of ${int(c.gapLines)}`).join("; "),
        reference: "",
        target: "gap, no disorder",
        holds: stalledOk,
      },
      {
        benchmark: bench,
        metric: "devdeck RSS first → last second",
        devdeck: ends.map((e) => `${mib(e.first)} → ${mib(e.last)}`).join("; "),
        reference: refEnds.map((e) => `${mib(e.first)} → ${mib(e.last)}`).join("; "),
        target: "within 10%",
        holds: growth.max <= 0.1,
      },
      { benchmark: bench, metric: "RSS growth / devdeck CPU", devdeck: `${pct(growth.median)} / ${int(summarize(withStall.map((r) => r.cpuMs)).median)} ms`, reference: `CPU ${int(summarize(without.map((r) => r.cpuMs)).median)} ms`, target: "", holds: null },
    ],
    data: { opts, runs },
  };
}
