// The results file: bench/results/latest.json (everything measured) and latest.md (the table for the README),
// both naming the machine they ran on.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";

/** One line of the table: a measurement, its reference from the same run, and the target. */
export interface Row {
  benchmark: string;
  metric: string;
  devdeck: string;
  reference: string;
  target: string;
  /** null: no target for this row. */
  holds: boolean | null;
}

/** What one benchmark hands back: table rows plus its raw numbers. */
export interface SuiteResult {
  name: string;
  rows: Row[];
  data: Record<string, unknown>;
  /** Seconds the benchmark took. */
  seconds?: number;
  /** 1-minute load average before and after: other work on the machine shows here. */
  load?: [number, number];
  /** Share of the CPUs busy (with other work) in the second before it started. */
  busyBefore?: number;
}

/** The machine a run happened on. */
export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
  date: string;
  commit: string;
}

/** CPU model, cores, memory, Node version, date and commit of this run. */
export function describeMachine(root: string): Machine {
  let commit = "unknown";
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
  } catch {
    // not a git checkout
  }
  return {
    cpu: cpus()[0]?.model.trim() ?? "unknown",
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    date: new Date().toISOString(),
    commit,
  };
}

const mark = (holds: boolean | null) => (holds === null ? "" : holds ? "✅" : "❌");

/** The markdown table of a run. */
export function toMarkdown(machine: Machine, suites: readonly SuiteResult[], totalSeconds: number): string {
  const head = [
    "# devdeck benchmarks: latest run",
    "",
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node} (${machine.platform}); ` +
      `${machine.date.slice(0, 16).replace("T", " ")} UTC, commit ${machine.commit}; suite took ${Math.round(totalSeconds)} s.`,
    "",
    "Medians of several runs, (min–max) where there were several; the reference ran in the same run.",
    "",
    "| benchmark | metric | devdeck | reference | target | holds |",
    "| --- | --- | --- | --- | --- | --- |",
  ];
  const rows = suites.flatMap((s) => s.rows).map((r) => `| ${r.benchmark} | ${r.metric} | ${r.devdeck} | ${r.reference} | ${r.target} | ${mark(r.holds)} |`);
  const loads = suites.map((s) => `${s.name} ${s.load ? s.load.map((l) => l.toFixed(1)).join("→") : "?"}, ${Math.round((s.busyBefore ?? 0) * 100)}% (${s.seconds ?? "?"} s)`);
  const tail = [
    "",
    `Other work on the machine, per benchmark: 1-minute load average before→after (${machine.cores} cores: above ~${machine.cores}, ` +
      `other work competed), CPU busy in the second before it started: ${loads.join("; ")}.`,
  ];
  return `${[...head, ...rows, ...tail].join("\n")}\n`;
}

/** Writes latest.json and latest.md under `dir`; returns their paths. */
export function writeResults(dir: string, machine: Machine, suites: readonly SuiteResult[], totalSeconds: number): string[] {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, "latest.json");
  const md = join(dir, "latest.md");
  writeFileSync(json, `${JSON.stringify({ machine, totalSeconds, suites }, null, 2)}\n`);
  writeFileSync(md, toMarkdown(machine, suites, totalSeconds));
  return [json, md];
}
