// Processes of a benchmark: CPU time and memory read from /proc, helper processes spoken to by stdout lines,
// and a registry so that nothing the suite started outlives it.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { readFileSync, writeFileSync } from "node:fs";
import { createInterface } from "node:readline";

/** Clock ticks per second of /proc/PID/stat (USER_HZ; 100 on every Linux Node supports). */
const CLOCK_TICKS_PER_SEC = 100;
const PAGE_KIB = 1024;

/** User + system CPU time of a process (all threads), in ms; 10 ms resolution. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields 14 and 15 of stat (utime, stime) are 11 and 12 after the command name.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SEC;
}

function statusKib(pid: number, field: "VmRSS" | "VmHWM"): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
  return Number(m?.[1] ?? Number.NaN);
}

/** Resident set size now, in bytes. */
export function rssBytes(pid: number): number {
  return statusKib(pid, "VmRSS") * PAGE_KIB;
}

/** Peak resident set size since start or since the last resetPeakRss, in bytes. */
export function peakRssBytes(pid: number): number {
  return statusKib(pid, "VmHWM") * PAGE_KIB;
}

/** Starts peak RSS afresh (Linux clear_refs 5), so a run's peak is its own and not the startup's. */
export function resetPeakRss(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, "5");
}

/** RSS samples of a process over time. */
export interface RssSampler {
  /** [ms since start, bytes] */
  readonly samples: Array<[number, number]>;
  stop(): void;
}

/** Samples a process's RSS every `intervalMs`. */
export function sampleRss(pid: number, intervalMs = 100): RssSampler {
  const started = performance.now();
  const samples: Array<[number, number]> = [[0, rssBytes(pid)]];
  const timer = setInterval(() => {
    try {
      samples.push([performance.now() - started, rssBytes(pid)]);
    } catch {
      clearInterval(timer);
    }
  }, intervalMs);
  return { samples, stop: () => clearInterval(timer) };
}

const running = new Set<ChildProcess>();
/** A helper that says nothing for this long has hung: fail the benchmark instead of the whole suite hanging. */
const HELPER_TIMEOUT_MS = 60_000;

/** Kills every helper process still running (the suite's last step, and on a failure). */
export async function killAll(): Promise<void> {
  await Promise.all(
    [...running].map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, "exit");
      child.kill("SIGKILL");
      await exited;
    }),
  );
}

/** A helper process that reports on stdout, one line at a time. */
export interface Helper {
  child: ChildProcess;
  pid: number;
  /** The next line it prints (rejects when it exits first, or after timeoutMs). */
  nextLine(timeoutMs?: number): Promise<string>;
  /** The next line it prints, parsed as JSON. */
  nextJson<T>(timeoutMs?: number): Promise<T>;
  /** SIGTERM, then wait for the exit. */
  stop(): Promise<void>;
}

/** Spawns `node script args…` with its stdout read line by line; stderr passes through. */
export function startHelper(script: string, args: readonly string[], opts: { env?: NodeJS.ProcessEnv; nodeArgs?: readonly string[] } = {}): Helper {
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), script, ...args], { stdio: ["ignore", "pipe", "inherit"], env: opts.env ?? process.env });
  child.on("error", (err) => process.stderr.write(`helper ${script}: ${err.message}\n`));
  running.add(child);
  child.once("exit", () => running.delete(child));
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })[Symbol.asyncIterator]();
  const nextLine = async (timeoutMs = HELPER_TIMEOUT_MS) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${script} did not answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const { value, done } = await Promise.race([lines.next(), timeout]);
      if (done === true) throw new Error(`${script} exited (${child.exitCode ?? child.signalCode}) before answering`);
      return String(value);
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    child,
    pid: child.pid ?? -1,
    nextLine,
    nextJson: async <T>(timeoutMs?: number) => JSON.parse(await nextLine(timeoutMs)) as T,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** ms since the epoch with sub-ms precision, comparable across processes (performance.timeOrigin + now()). */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

/** Share of all CPUs busy over `ms` (0..1), from /proc/stat: other work on a shared machine shows here. */
export async function machineBusy(ms = 1_000): Promise<number> {
  const sample = () => {
    const fields = (readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "").trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal: idle and iowait are the idle ones.
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
    return { total, idle: (fields[3] ?? 0) + (fields[4] ?? 0) };
  };
  const a = sample();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const b = sample();
  const total = b.total - a.total;
  return total > 0 ? 1 - (b.idle - a.idle) / total : 0;
}

/** Waits (at most maxWaitMs) until the machine is quiet; returns the busy share last seen. */
export async function waitForQuiet(maxWaitMs: number, quietBelow = 0.15): Promise<number> {
  const deadline = performance.now() + maxWaitMs;
  for (;;) {
    const busy = await machineBusy();
    if (busy < quietBelow || performance.now() >= deadline) return busy;
  }
}
