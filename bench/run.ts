// `npm run bench`: the benchmark suite of issue 6. `-- --only flood,latency` runs some; `--runs N` changes
// the number of runs; `--no-build` measures dist/client as it is; results go to bench/results/latest.{json,md}.
import { loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { BENCH, ROOT } from "./lib/deck.ts";
import { killAll, waitForQuiet } from "./lib/proc.ts";
import { describeMachine, writeResults, type SuiteResult } from "./lib/report.ts";
import { runExitFlush } from "./suites/exit-flush.ts";
import { runFanout } from "./suites/fanout.ts";
import { runFlood } from "./suites/flood.ts";
import { runLatency } from "./suites/latency.ts";
import { runReplay } from "./suites/replay.ts";
import { runRestart } from "./suites/restart.ts";
import { runSoak } from "./suites/soak.ts";
import { runUi } from "./suites/ui.ts";

const { values } = parseArgs({ options: { only: { type: "string" }, runs: { type: "string" }, out: { type: "string" }, "no-build": { type: "boolean" } } });
const runs = values.runs === undefined ? undefined : Number(values.runs);
// On a shared machine, each benchmark first waits for the others' work to pause, within a budget that keeps
// the whole suite under 5 minutes; how busy the machine still was is written into the results.
const QUIET_WAIT_PER_SUITE_MS = 20_000;
const QUIET_WAIT_TOTAL_MS = 60_000;
let quietBudgetMs = QUIET_WAIT_TOTAL_MS;

// Sizes of the issue (#6); run counts chosen so that the whole suite stays well under 5 minutes on 2 cores.
const SUITES: Record<string, () => Promise<SuiteResult>> = {
  flood: () => runFlood({ lines: 500_000, bytes: 100, runs: runs ?? 5, pacedRate: 500_000 }),
  "exit-flush": () => runExitFlush({ lines: 50_000, runs: runs ?? 3 }),
  latency: () => runLatency({ ticks: 1_000, intervalMs: 5, runs: runs ?? 2, loadRate: 100_000 }),
  replay: () => runReplay({ ring: 10_000, rounds: (runs ?? 5) * 4 }),
  "fan-out": () => runFanout({ clients: 50, rate: 20_000, seconds: 4, runs: runs ?? 2 }),
  soak: () => runSoak({ lines: 10_000_000, bytes: 100, runs: runs ?? 1 }),
  restart: () => runRestart({ runs: (runs ?? 5) * 2 }),
  ui: () => runUi({ rate: 10_000, seconds: 10, runs: runs ?? 2, shouldBuild: values["no-build"] !== true }),
};

function failed(name: string, err: unknown): SuiteResult {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`${name} failed: ${err instanceof Error ? err.stack : message}\n`);
  return { name, rows: [{ benchmark: name, metric: "failed", devdeck: message, reference: "", target: "runs", holds: false }], data: {} };
}

const wanted = values.only ? values.only.split(",") : Object.keys(SUITES);
const started = performance.now();
const results: SuiteResult[] = [];
try {
  for (const name of wanted) {
    const suite = SUITES[name];
    if (!suite) throw new Error(`unknown benchmark ${name}; known: ${Object.keys(SUITES).join(", ")}`);
    const waitStart = performance.now();
    const busy = await waitForQuiet(Math.min(QUIET_WAIT_PER_SUITE_MS, quietBudgetMs));
    quietBudgetMs -= performance.now() - waitStart;
    const t0 = performance.now();
    const loadBefore = loadavg()[0] ?? 0;
    process.stdout.write(`${name} … (machine ${Math.round(busy * 100)}% busy before)\n`);
    // One failing benchmark is reported as such; the others still run and the results file is still written.
    const result = await suite().catch((err: unknown) => failed(name, err));
    result.seconds = Math.round((performance.now() - t0) / 100) / 10;
    result.load = [loadBefore, loadavg()[0] ?? 0];
    result.busyBefore = busy;
    for (const r of result.rows) process.stdout.write(`  ${r.metric}: ${r.devdeck}${r.reference ? ` | ref ${r.reference}` : ""}${r.target ? ` | target ${r.target} ${r.holds ? "holds" : "MISSED"}` : ""}\n`);
    results.push(result);
  }
} finally {
  await killAll();
}
const seconds = (performance.now() - started) / 1000;
const files = writeResults(values.out ?? join(BENCH, "results"), describeMachine(ROOT), results, seconds);
process.stdout.write(`done in ${Math.round(seconds)} s: ${files.join(", ")}\n`);
