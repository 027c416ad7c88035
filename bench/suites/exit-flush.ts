// exit flush: a child writes N lines and exits at once, most of them still in the pipe. Every line must
// reach a live client, in order, before the exit line. Reference: plain Node reading the same child.
import { nodeService, startDeck } from "../lib/deck.ts";
import { epochMs } from "../lib/proc.ts";
import { countNewlines } from "../lib/raw.ts";
import type { SuiteResult } from "../lib/report.ts";
import { fixed, int, spreadText, summarize } from "../lib/stats.ts";
import { liveCounter, type CounterReport } from "./flood.ts";

export interface ExitFlushOptions {
  lines: number;
  runs: number;
}

/** Benchmark exit flush. */
export async function runExitFlush(opts: ExitFlushOptions): Promise<SuiteResult> {
  const names = Array.from({ length: opts.runs }, (_, i) => `burst${i + 1}`);
  const deck = await startDeck({ services: Object.fromEntries(names.map((n) => [n, nodeService("burst-exit.mjs", [opts.lines, 100])])) });
  const reports: Array<CounterReport & { ms: number }> = [];
  const raw: Array<{ lines: number; ms: number }> = [];
  try {
    for (const name of names) {
      raw.push(await countNewlines("burst-exit.mjs", [opts.lines, 100]));
      const client = await liveCounter(deck.logsUrl(name), opts.lines, "exit");
      const t0 = epochMs();
      await deck.command(name, "start");
      const report = await client.nextJson<CounterReport>();
      reports.push({ ...report, ms: report.tExit - t0 });
      await client.stop();
    }
  } finally {
    await deck.close();
  }
  const delivered = Math.min(...reports.map((r) => r.lines));
  const rawDelivered = Math.min(...raw.map((r) => r.lines));
  const misordered = Math.max(...reports.map((r) => r.orderErrors + r.afterExit + r.gapLines));
  const ms = summarize(reports.map((r) => r.ms));
  const rawMs = summarize(raw.map((r) => r.ms));
  const bench = `exit flush (${int(opts.lines)} lines, then exit)`;
  return {
    name: "exit-flush",
    rows: [
      {
        benchmark: bench,
        metric: "lines delivered (worst run)",
        devdeck: `${int(delivered)} of ${int(opts.lines)}`,
        reference: `${int(rawDelivered)} plain reader`,
        target: "all",
        holds: delivered === opts.lines,
      },
      { benchmark: bench, metric: "out of order, gaps or after the exit line", devdeck: int(misordered), reference: "", target: "0", holds: misordered === 0 },
      { benchmark: bench, metric: "start → exit line at the client", devdeck: `${spreadText(ms, (n) => fixed(n, 0))} ms`, reference: `${spreadText(rawMs, (n) => fixed(n, 0))} ms plain reader`, target: "", holds: null },
    ],
    data: { opts, reports, raw },
  };
}
