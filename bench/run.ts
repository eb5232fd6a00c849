/**
 * `npm run bench [-- <name>…] [--explain] [--strict] [--list]`: runs the benchmarks (every
 * `bench/<name>.bench.ts`, or those whose name starts with a given word, e.g. `sender`),
 * prints one table (figure, ours, baseline, ratio, goal, pass/fail) and writes
 * bench/results/<timestamp>.json (and latest.json). Each benchmark has a hard time limit and
 * the whole suite a budget (SUITE_BUDGET_MS); the process exits by itself when done. Exit
 * code 1 on a crashed benchmark, or with --strict on any missed goal.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { ChildMessage } from './support/bench-child.js';
import { capFor, shares } from './support/budget.js';
import { discoverBenchmarks, type RegistryEntry } from './support/registry.js';
import {
  type Benchmark,
  type BenchOutcome,
  type BenchRecord,
  formatJson,
  renderTable,
} from './support/report.js';
import { SERVE_NODE_FLAGS } from './support/serve-command.js';

const REGISTRY: RegistryEntry[] = discoverBenchmarks();
/**
 * The whole suite stays under 5 minutes, counted from this process's start (the build of dist/
 * included): a benchmark gets at most what is left of this, less the shares (support/budget.ts) of the
 * benchmarks after it.
 */
const SUITE_BUDGET_MS = Number(process.env.BENCH_BUDGET_MS ?? 285_000);
/** Below this much time left, a benchmark is not started (reported as skipped). */
const MIN_START_MS = 15_000;

const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const CHILD = fileURLToPath(new URL('./support/bench-child.ts', import.meta.url));

/** `npm run build` when the sources are newer than dist/ (the benchmarks measure dist/). */
function buildIfStale(): void {
  execFileSync(process.execPath, ['scripts/ensure-build.mjs'], { cwd: ROOT, stdio: ['ignore', 2, 2] });
}

function parseArgs(argv: readonly string[]) {
  const flags = new Set(argv.filter((a) => a.startsWith('--')));
  const words = argv.filter((a) => !a.startsWith('--'));
  const unknownFlags = [...flags].filter((f) => !['--explain', '--strict', '--list'].includes(f));
  if (unknownFlags.length > 0) throw new Error(`unknown option ${unknownFlags.join(', ')}`);
  const selected =
    words.length === 0
      ? REGISTRY
      : REGISTRY.filter((b) => words.some((w) => b.name === w || b.name.startsWith(w)));
  const unmatched = words.filter((w) => !REGISTRY.some((b) => b.name === w || b.name.startsWith(w)));
  if (unmatched.length > 0) {
    throw new Error(
      `no benchmark named ${unmatched.join(', ')} (have: ${REGISTRY.map((b) => b.name).join(', ')})`,
    );
  }
  return {
    selected,
    explain: flags.has('--explain'),
    strict: flags.has('--strict'),
    list: flags.has('--list'),
  };
}

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/**
 * `leftMs`: what is left of the suite's budget; `capMs`: the most this benchmark may take so
 * that every one after it keeps its fair share (see `main`). The benchmark runs in a process
 * group of its own (support/bench-child.ts), ended whole at the limit.
 */
async function runOne(
  entry: RegistryEntry,
  loaded: Benchmark | Error,
  explain: boolean,
  leftMs: number,
  capMs: number,
): Promise<BenchRecord> {
  const started = performance.now();
  if (loaded instanceof Error) return failed(entry.name, entry.name, started, loaded.message, null);
  const bench = loaded;
  if (leftMs < MIN_START_MS) {
    return {
      name: entry.name,
      title: bench.title,
      durationMs: 0,
      outcome: { figures: [], notes: [], skipped: 'the suite ran out of its 5-minute budget' },
      error: null,
    };
  }
  const limit = Math.round(Math.min(bench.timeoutMs, capMs));
  log(`▶ ${bench.name}: ${bench.title} (limit ${(limit / 1000).toFixed(0)} s)`);
  const child = spawn(
    process.execPath,
    // npm start's Node flags: the benchmarks that run our code in this child measure it as users run it.
    [...SERVE_NODE_FLAGS, '--import', 'tsx', CHILD, entry.name, ...(explain ? ['--explain'] : [])],
    {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      detached: true, // its own process group: the servers it starts go with it
    },
  );
  current = child;
  // What it measured so far: a stopped benchmark still reports it.
  let partial: BenchOutcome = { figures: [], notes: [] };
  let last: ChildMessage | null = null;
  child.on('message', (m: ChildMessage) => {
    if (m.type === 'partial') partial = m.outcome;
    else last = m;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let timer: NodeJS.Timeout | undefined;
  const timedOut = await Promise.race([
    exited.then(() => false),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), limit);
    }),
  ]);
  clearTimeout(timer);
  if (timedOut) {
    killGroup(child, 'SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3_000))]);
  }
  killGroup(child, 'SIGKILL'); // anything it left running
  current = null;
  const done = last as ChildMessage | null;
  if (!timedOut && done?.type === 'done') {
    return {
      name: entry.name,
      title: bench.title,
      durationMs: performance.now() - started,
      outcome: done.outcome,
      error: null,
    };
  }
  const error = timedOut
    ? `timed out after ${(limit / 1000).toFixed(0)} s`
    : done?.type === 'error'
      ? done.error
      : `its process exited (code ${child.exitCode}, signal ${child.signalCode}) without an outcome`;
  return failed(entry.name, bench.title, started, error, done?.type === 'error' ? done.outcome : partial);
}

function failed(
  name: string,
  title: string,
  started: number,
  error: string,
  partial: BenchOutcome | null,
): BenchRecord {
  log(`✖ ${name}: ${error}`);
  const measured = partial !== null && (partial.figures.length > 0 || partial.notes.length > 0);
  if (measured)
    log(
      `  reporting what it measured before it stopped: ${partial.figures.length} figure(s), ${partial.notes.length} note(s)`,
    );
  return {
    name,
    title,
    durationMs: performance.now() - started,
    outcome: measured ? partial : null,
    error,
    ...(measured ? { partial: true } : {}),
  };
}

/** The benchmark process running now (ended with the runner). */
let current: ChildProcess | null = null;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // the group is gone already
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (current) killGroup(current, 'SIGKILL');
    process.exit(130);
  });
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (args.list) {
    for (const b of REGISTRY) console.log(b.name);
    return 0;
  }
  const startedAt = new Date();
  const loadAtStart = loadavg();
  const records: BenchRecord[] = [];
  // The budget counts from this process's start, so building dist/ (when the sources changed)
  // is inside the 5 minutes too.
  buildIfStale();
  const deadline = SUITE_BUDGET_MS;
  // Each benchmark keeps its share of the budget (in proportion to its typical duration) for the
  // ones after it: one that runs long on a busy machine is stopped (its figures so far kept)
  // instead of leaving the rest no time.
  const loaded = await Promise.all(
    args.selected.map((entry) =>
      entry.load().catch((err: unknown) => (err instanceof Error ? err : new Error(String(err)))),
    ),
  );
  const shareList = shares(
    loaded.map((b) => ({ typicalMs: b instanceof Error ? 1 : b.typicalMs })),
    SUITE_BUDGET_MS,
  );
  for (const [i, entry] of args.selected.entries()) {
    const left = deadline - performance.now();
    records.push(await runOne(entry, loaded[i]!, args.explain, left, capFor(i, left, shareList)));
  }

  console.log('');
  console.log(renderTable(records));
  const figures = records.flatMap((r) => r.outcome?.figures ?? []);
  const failed = figures.filter((f) => f.goal && !f.goal.pass).length;
  const crashed = records.filter((r) => r.error).length;
  console.log('');
  const loadAtEnd = loadavg();
  const busiest = Math.max(loadAtStart[0]!, loadAtEnd[0]!);
  console.log(
    `machine: ${cpus().length} cores, load average ${loadAtStart[0]!.toFixed(2)} at start, ${loadAtEnd[0]!.toFixed(2)} at end` +
      (busiest > cpus().length * 0.75
        ? ' — busy: absolute figures are inflated; ratios compare with baselines taken under the same load.'
        : ''),
  );
  console.log(
    `${figures.filter((f) => f.goal?.pass).length} goals met, ${failed} missed, ${crashed} benchmark(s) crashed, ` +
      `${records.filter((r) => r.outcome?.skipped).length} skipped.`,
  );

  mkdirSync(RESULTS, { recursive: true });
  const file = `${RESULTS}${startedAt
    .toISOString()
    .replaceAll(':', '-')
    .replace(/\.\d+Z$/, 'Z')}.json`;
  const report = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    selection: args.selected.map((b) => b.name),
    machine: {
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? '',
      memoryMb: Math.round(totalmem() / 2 ** 20),
      loadAverageAtStart: loadAtStart,
      loadAverageAtEnd: loadAtEnd,
    },
    benchmarks: records,
  };
  writeFileSync(file, `${formatJson(report)}\n`);
  writeFileSync(`${RESULTS}latest.json`, `${formatJson(report)}\n`);
  console.log(`Results written to ${file}`);
  return crashed > 0 || (args.strict && failed > 0) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    log(err instanceof Error ? err.message : String(err));
    process.exit(2);
  },
);
