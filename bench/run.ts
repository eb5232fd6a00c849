/**
 * `npm run bench [-- <name>…] [--explain] [--strict]`: runs the benchmarks (all, or those
 * whose name starts with a given word, e.g. `sender`), prints one table (figure, ours,
 * baseline, ratio, goal, pass/fail) and writes bench/results/latest.json. Each benchmark has
 * a hard time limit; the process exits by itself when done. Exit code 1 on a crashed
 * benchmark, or with --strict on any missed goal.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { type Benchmark, type BenchRecord, formatJson, renderTable } from './support/report.js';

const REGISTRY: Array<{ name: string; load: () => Promise<Benchmark> }> = [
  {
    name: 'sender-resolution',
    load: async () => (await import('./sender-resolution.bench.js')).senderResolutionBench,
  },
  { name: 'pop3-ingest', load: async () => (await import('./pop3-ingest.bench.js')).pop3IngestBench },
  { name: 'probe', load: async () => (await import('./probe.bench.js')).probeBench },
  { name: 'startup', load: async () => (await import('./startup.bench.js')).startupBench },
];

const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));

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

async function runOne(entry: (typeof REGISTRY)[number], explain: boolean): Promise<BenchRecord> {
  const started = performance.now();
  let bench: Benchmark | null = null;
  let timer: NodeJS.Timeout | undefined;
  try {
    bench = await entry.load();
    const limit = bench.timeoutMs;
    log(`▶ ${bench.name}: ${bench.title} (limit ${limit / 1000} s)`);
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${limit / 1000} s`)), limit);
    });
    const outcome = await Promise.race([bench.run({ explain, log: (l) => log(`  ${l}`) }), timeout]);
    return {
      name: entry.name,
      title: bench.title,
      durationMs: performance.now() - started,
      outcome,
      error: null,
    };
  } catch (err) {
    const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
    log(`✖ ${entry.name}: ${error}`);
    return {
      name: entry.name,
      title: bench?.title ?? entry.name,
      durationMs: performance.now() - started,
      outcome: null,
      error,
    };
  } finally {
    clearTimeout(timer);
  }
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
  for (const entry of args.selected) records.push(await runOne(entry, args.explain));

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
  const file = `${RESULTS}latest.json`;
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
