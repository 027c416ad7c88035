// stalled soak: a 1 GB flood with a client attached that never reads. devdeck's RSS must stay flat (first vs
// last second within 10%) and the child must not be slowed: same duration as the same flood with no client.
import { join } from "node:path";
import { CLIENTS, nodeService, startDeck, type BenchDeck } from "../lib/deck.ts";
import { sampleRss, startHelper } from "../lib/proc.ts";
import type { SuiteResult } from "../lib/report.ts";
import { fixed, int, mib, pct, spreadText, summarize } from "../lib/stats.ts";
import { rssEnds } from "./fanout.ts";
import { waitForState } from "./replay.ts";

export interface SoakOptions {
  lines: number;
  bytes: number;
  runs: number;
}

interface SoakRun {
  hasStalled: boolean;
  ms: number;
  rss: Array<[number, number]>;
}

async function oneRun(deck: BenchDeck, service: string, hasStalled: boolean): Promise<SoakRun> {
  const stalled = hasStalled ? startHelper(join(CLIENTS, "fanout.mjs"), [deck.logsUrl(service), "0", "1"]) : null;
  if (stalled && (await stalled.nextLine()) !== "live") throw new Error("stalled client did not go live");
  const rss = sampleRss(deck.pid);
  const t0 = performance.now();
  await deck.command(service, "start");
  await waitForState(deck, service, "exited", 120_000);
  const ms = performance.now() - t0;
  rss.stop();
  await stalled?.stop();
  return { hasStalled, ms, rss: rss.samples };
}

/** Benchmark stalled soak. */
export async function runSoak(opts: SoakOptions): Promise<SuiteResult> {
  const names = Array.from({ length: opts.runs * 2 }, (_, i) => `soak${i + 1}`);
  const deck = await startDeck({ services: Object.fromEntries(names.map((n) => [n, nodeService("printer.mjs", [opts.lines, opts.bytes])])) });
  const runs: SoakRun[] = [];
  try {
    for (const [i, name] of names.entries()) runs.push(await oneRun(deck, name, i % 2 === 1));
  } finally {
    await deck.close();
  }
  const stalled = runs.filter((r) => r.hasStalled);
  const free = runs.filter((r) => !r.hasStalled);
  const ends = stalled.map((r) => rssEnds(r.rss));
  const growth = summarize(ends.map((e) => e.last / e.first - 1));
  const ms = summarize(stalled.map((r) => r.ms));
  const refMs = summarize(free.map((r) => r.ms));
  const slowdown = ms.median / refMs.median - 1;
  const gb = (opts.lines * opts.bytes) / 1e9;
  const bench = `stalled client (${fixed(gb, 1)} GB flood: ${int(opts.lines)} × ${opts.bytes} B)`;
  return {
    name: "soak",
    rows: [
      {
        benchmark: bench,
        metric: "devdeck RSS first → last second (peak)",
        devdeck: ends.map((e) => `${mib(e.first)} → ${mib(e.last)} (${mib(e.peak)})`).join("; "),
        reference: free.map((r) => rssEnds(r.rss)).map((e) => `${mib(e.first)} → ${mib(e.last)} (${mib(e.peak)}) no client`).join("; "),
        target: "within 10%",
        holds: growth.max <= 0.1,
      },
      {
        benchmark: bench,
        metric: "child's run time (its output not slowed)",
        devdeck: `${spreadText(ms, (n) => fixed(n / 1000, 2))} s`,
        reference: `${spreadText(refMs, (n) => fixed(n / 1000, 2))} s no client`,
        target: "not slowed",
        // Within the noise of the machine: 10 %.
        holds: slowdown <= 0.1,
      },
      { benchmark: bench, metric: "read rate with the stalled client", devdeck: `${int((opts.lines / ms.median) * 1000)} lines/s`, reference: `${pct(1 + slowdown)} of the no-client time`, target: "", holds: null },
    ],
    data: { opts, runs: runs.map((r) => ({ ...r, ends: rssEnds(r.rss) })) },
  };
}
