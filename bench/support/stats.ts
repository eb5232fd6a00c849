/** Latency summary of one series of samples (milliseconds). */
export interface Summary {
  n: number;
  min: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile of an ascending array (q in 0..1). */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((s, x) => s + x, 0);
  return {
    n: sorted.length,
    min: sorted[0] ?? Number.NaN,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    mean: sorted.length ? sum / sorted.length : Number.NaN,
  };
}

export const median = (samples: readonly number[]): number => summarize(samples).p50;

/** Times one async call in milliseconds (monotonic clock). */
export async function timeMs(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

/** `p50 0.41 / p95 0.62 / p99 0.90 ms`: one line for notes. */
export function describeSummary(s: Summary, unit = 'ms'): string {
  const f = (x: number) => formatNumber(x);
  return `p50 ${f(s.p50)} / p95 ${f(s.p95)} / p99 ${f(s.p99)} / max ${f(s.max)} ${unit} (n=${s.n})`;
}

/** Three significant-ish digits: 0.123, 1.23, 12.3, 123, 1234. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return '-';
  const a = Math.abs(x);
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  return x.toFixed(3);
}

/** A small deterministic PRNG (mulberry32), so every run seeds and samples the same data. */
export function createRandom(seed: number): {
  next(): number;
  int(maxExclusive: number): number;
  pick<T>(items: readonly T[]): T;
} {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (maxExclusive: number): number => Math.floor(next() * maxExclusive);
  return { next, int, pick: <T>(items: readonly T[]): T => items[int(items.length)]! };
}

/**
 * Runs `fn(i)` for i = 0, 1, … until `count` iterations or `budgetMs` of wall time, whichever
 * comes first (so a slow build cannot stretch a run past its limit). Returns iterations run.
 */
export async function repeatWithin(
  count: number,
  budgetMs: number,
  fn: (i: number) => Promise<void>,
): Promise<number> {
  const until = performance.now() + budgetMs;
  let i = 0;
  while (i < count && performance.now() < until) await fn(i++);
  return i;
}
