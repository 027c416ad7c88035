// Medians, spreads and percentiles of repeated runs: results are ratios to a reference measured in the same run.

/** Median and spread of several runs of one measurement. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number;
  /** (max - min) / median: how noisy the runs were. */
  spread: number;
}

/** The value below which `p` (0..100) of `sorted` lies; nearest rank. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] ?? Number.NaN;
}

/** Median, min, max and relative spread of `values`. */
export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const mid = Math.floor(n / 2);
  const median = n === 0 ? Number.NaN : n % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  const min = sorted[0] ?? Number.NaN;
  const max = sorted[n - 1] ?? Number.NaN;
  return { median, min, max, runs: n, spread: median === 0 ? 0 : (max - min) / median };
}

/** Percentiles of a latency sample, in the sample's unit. */
export interface Percentiles {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** p50/p90/p99/max of `values`. */
export function percentiles(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? Number.NaN };
}

/** 1234567 → "1,234,567". */
export function int(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

/** A number with `digits` decimals. */
export function fixed(n: number, digits = 1): string {
  return Number.isFinite(n) ? n.toFixed(digits) : "–";
}

/** Bytes → "12.3 MiB". */
export function mib(bytes: number): string {
  return `${fixed(bytes / 2 ** 20)} MiB`;
}

/** "median (min–max)" of a summary, each value formatted by `f`. */
export function spreadText(s: Summary, f: (n: number) => string = int): string {
  return s.runs > 1 ? `${f(s.median)} (${f(s.min)}–${f(s.max)})` : f(s.median);
}

/** Ratio as a percentage: 0.523 → "52%". */
export function pct(ratio: number): string {
  return `${fixed(ratio * 100, 0)}%`;
}
