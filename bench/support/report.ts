import { formatNumber } from './stats.js';

export type Unit = 'ms' | 'MB';

/** A goal from the issue, checked against one figure. */
export interface Goal {
  /** As printed: `≤ 2 ms`, `ratio ≤ 1.00`. */
  text: string;
  pass: boolean;
}

/** One row of the table: our figure, the baseline measured in the same run, their ratio. */
export interface Figure {
  name: string;
  unit: Unit;
  ours: number;
  baseline: number | null;
  /** What the baseline is (printed under the table). */
  baselineLabel: string | null;
  /** ours / baseline (for times and memory: lower is better). */
  ratio: number | null;
  goal: Goal | null;
}

export interface BenchOutcome {
  figures: Figure[];
  /** Context lines printed after the table: breakdowns, causes, data sizes. */
  notes: string[];
  /** Why the benchmark did not run (e.g. Dovecot not installed). */
  skipped?: string;
}

export interface BenchOptions {
  /** Extra diagnostics (EXPLAIN ANALYZE and the like). */
  explain: boolean;
  log(line: string): void;
  /**
   * The runner's copy of the outcome: push each figure and note here as soon as it is measured
   * (and return this object), so that a benchmark stopped at its time limit still reports what
   * it had measured.
   */
  outcome: BenchOutcome;
  /** Aborted when the benchmark's time limit is reached (a long loop may stop early). */
  signal: AbortSignal;
}

export interface Benchmark {
  name: string;
  title: string;
  /** Hard upper bound; the runner abandons the benchmark after this. */
  timeoutMs: number;
  /**
   * How long it usually takes on an idle 2-core machine: the suite shares its budget in
   * proportion to these (support/budget.ts). Update it when the benchmark's work changes.
   */
  typicalMs: number;
  run(options: BenchOptions): Promise<BenchOutcome>;
}

export type GoalCheck = (figure: Omit<Figure, 'goal'>) => Goal;

/** Goal on our absolute figure: ours ≤ limit. */
export const atMost =
  (limit: number): GoalCheck =>
  (f) => ({ text: `≤ ${formatNumber(limit)} ${f.unit}`, pass: f.ours <= limit });

/** Goal on our absolute figure, strictly below: ours < limit. */
export const below =
  (limit: number): GoalCheck =>
  (f) => ({ text: `< ${formatNumber(limit)} ${f.unit}`, pass: f.ours < limit });

/** Goal on the ratio ours/baseline: ratio ≤ limit. */
export const ratioAtMost =
  (limit: number): GoalCheck =>
  (f) => ({ text: `ratio ≤ ${limit.toFixed(2)}`, pass: f.ratio !== null && f.ratio <= limit });

export function figure(input: {
  name: string;
  unit?: Unit;
  ours: number;
  baseline?: number | null;
  baselineLabel?: string | null;
  goal?: GoalCheck | null;
}): Figure {
  const baseline = input.baseline ?? null;
  const base: Omit<Figure, 'goal'> = {
    name: input.name,
    unit: input.unit ?? 'ms',
    ours: input.ours,
    baseline,
    baselineLabel: input.baselineLabel ?? null,
    ratio: baseline !== null && baseline > 0 ? input.ours / baseline : null,
  };
  return { ...base, goal: input.goal ? input.goal(base) : null };
}

export interface BenchRecord {
  name: string;
  title: string;
  durationMs: number;
  outcome: BenchOutcome | null;
  error: string | null;
  /** It hit its time limit: `outcome` holds the figures measured before that. */
  partial?: boolean;
}

const HEADERS = ['figure', 'ours', 'baseline', 'ratio', 'goal', 'result'] as const;

/** The table of every figure, then per benchmark its baselines and notes. */
export function renderTable(records: readonly BenchRecord[]): string {
  const rows: string[][] = [];
  for (const r of records) {
    if (r.error) {
      const what = r.partial ? 'STOPPED (partial figures below)' : 'ERROR';
      rows.push([`${r.name}: ${what} ${r.error.split('\n')[0]}`, '', '', '', '', 'ERROR']);
      if (!r.partial) continue;
    }
    if (r.outcome?.skipped) {
      rows.push([`${r.name}: skipped (${r.outcome.skipped})`, '', '', '', '', 'SKIP']);
      continue;
    }
    for (const f of r.outcome?.figures ?? []) {
      rows.push([
        `${r.name}: ${f.name}`,
        `${formatNumber(f.ours)} ${f.unit}`,
        f.baseline === null ? '-' : `${formatNumber(f.baseline)} ${f.unit}`,
        f.ratio === null ? '-' : `${f.ratio.toFixed(2)}×`,
        f.goal?.text ?? '-',
        f.goal ? (f.goal.pass ? 'pass' : 'FAIL') : 'info',
      ]);
    }
  }
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === 0 || i === 4 || i === 5 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ');
  const out = [line(HEADERS), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  for (const r of records) {
    const figures = r.outcome?.figures ?? [];
    const baselines = [
      ...new Set(figures.map((f) => f.baselineLabel).filter((b): b is string => b !== null)),
    ];
    const notes = r.outcome?.notes ?? [];
    if (baselines.length === 0 && notes.length === 0 && !r.error) continue;
    out.push('', `${r.name} — ${r.title} (${(r.durationMs / 1000).toFixed(1)} s)`);
    for (const b of baselines) out.push(`  baseline: ${b}`);
    for (const n of notes) out.push(`  ${n}`);
    if (r.error) out.push(`  error: ${r.error}`);
  }
  return out.join('\n');
}

/**
 * JSON laid out as the repo's formatter (Biome, line width 110) would: objects expanded,
 * arrays on one line when they fit. Keeps `npm run lint` clean after a bench run.
 */
export function formatJson(value: unknown, indent = 0, prefix = 0): string {
  const pad = ' '.repeat(indent + 2);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((v) => formatJson(v, indent + 2, 0));
    const flat = `[${items.join(', ')}]`;
    if (!flat.includes('\n') && indent + prefix + flat.length + 1 <= 110) return flat;
    return `[\n${items.map((i) => pad + i).join(',\n')}\n${' '.repeat(indent)}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    const lines = entries.map(([k, v]) => {
      const key = `${JSON.stringify(k)}: `;
      return pad + key + formatJson(v, indent + 2, key.length);
    });
    return `{\n${lines.join(',\n')}\n${' '.repeat(indent)}}`;
  }
  if (typeof value === 'number' && !Number.isInteger(value))
    return JSON.stringify(Math.round(value * 1e4) / 1e4);
  return JSON.stringify(value ?? null);
}
