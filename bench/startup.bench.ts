import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { atMost, type Benchmark, type BenchOutcome, figure } from './support/report.js';
import { formatNumber, median } from './support/stats.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const STARTS = 3;
const IDLE_MS = 2_000;
const READY_TIMEOUT_MS = 60_000;
const START_GOAL_MS = 1_500;
const RSS_GOAL_MB = 400;
const BASELINE_SCRIPT = "require('http').createServer().listen(0, () => console.log('ready'))";

interface StartSample {
  readyMs: number;
  rssMb: number;
  peakMb: number;
  /** What the server itself reports ("started in N ms"), if printed. */
  selfReportedMs: number | null;
}

/**
 * Issue goal: start time ≤ 1.5 s and idle RSS ≤ 400 MB for `node bin/mailroom.js serve` on an
 * existing data dir (embedded PGlite). Time is spawn → the "mailroom is running at" line; RSS
 * is VmRSS after 2 s idle. Baseline: a bare `node -e` HTTP server, spawn → "ready", same RSS
 * reading. The first start (which creates the data dir) is reported but has no goal.
 */
export const startupBench: Benchmark = {
  name: 'startup',
  title: 'start time and idle memory of `mailroom serve` on an existing data dir',
  timeoutMs: 150_000,
  async run(options) {
    const outcome: BenchOutcome = { figures: [], notes: [] };
    ensureBuilt(outcome, options.log);
    const dataDir = mkdtempSync(join(tmpdir(), 'mailroom-bench-start-'));
    // A clean environment: no DATABASE_URL (embedded PGlite), no .env, quiet logs.
    const env = {
      PATH: process.env.PATH ?? '',
      MAILROOM_DATA_DIR: dataDir,
      MAILROOM_PORT: '0',
      MAILROOM_LOG_LEVEL: 'warn',
    };
    try {
      options.log('first start (creates the data dir)…');
      const first = await startOnce(['bin/mailroom.js', 'serve'], env, /mailroom is running at/);
      const ours: StartSample[] = [];
      const base: StartSample[] = [];
      for (let i = 0; i < STARTS; i++) {
        options.log(`start ${i + 1}/${STARTS}…`);
        ours.push(await startOnce(['bin/mailroom.js', 'serve'], env, /mailroom is running at/));
        base.push(await startOnce(['-e', BASELINE_SCRIPT], { PATH: env.PATH }, /^ready$/m));
      }
      const label = '`node -e` bare HTTP server: spawn → "ready", VmRSS after 2 s';
      outcome.figures.push(
        figure({
          name: `start on existing data dir (median of ${STARTS})`,
          ours: median(ours.map((s) => s.readyMs)),
          baseline: median(base.map((s) => s.readyMs)),
          baselineLabel: label,
          goal: atMost(START_GOAL_MS),
        }),
        figure({
          name: `idle RSS after ${IDLE_MS / 1000} s (median of ${STARTS})`,
          unit: 'MB',
          ours: median(ours.map((s) => s.rssMb)),
          baseline: median(base.map((s) => s.rssMb)),
          baselineLabel: label,
          goal: atMost(RSS_GOAL_MB),
        }),
        figure({
          name: 'first start (creates data dir)',
          ours: first.readyMs,
          baseline: median(base.map((s) => s.readyMs)),
        }),
        figure({
          name: 'first start idle RSS',
          unit: 'MB',
          ours: first.rssMb,
          baseline: median(base.map((s) => s.rssMb)),
        }),
      );
      const list = (xs: number[]) => xs.map(formatNumber).join(' / ');
      outcome.notes.push(
        `ours: ready ${list(ours.map((s) => s.readyMs))} ms (server's own "started in" ${list(ours.map((s) => s.selfReportedMs ?? Number.NaN))} ms); ` +
          `RSS ${list(ours.map((s) => s.rssMb))} MB, peak (VmHWM) ${list(ours.map((s) => s.peakMb))} MB`,
        `first start: ready ${formatNumber(first.readyMs)} ms, RSS ${formatNumber(first.rssMb)} MB, peak ${formatNumber(first.peakMb)} MB`,
        `baseline: ready ${list(base.map((s) => s.readyMs))} ms, RSS ${list(base.map((s) => s.rssMb))} MB`,
        'spawn → ready includes Node start-up and module loading (the server\'s own "started in" figure does not).',
      );
      return outcome;
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};

/** Builds dist/ (and the web UI) only when missing; notes when the build is older than src/. */
function ensureBuilt(outcome: BenchOutcome, log: (line: string) => void): void {
  const cli = join(ROOT, 'dist/main/cli.js');
  if (!existsSync(cli) || !existsSync(join(ROOT, 'web/dist/index.html'))) {
    log('dist/ missing: node scripts/ensure-build.mjs …');
    execFileSync(process.execPath, ['scripts/ensure-build.mjs'], {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    outcome.notes.push('built dist/ first (node scripts/ensure-build.mjs)');
    return;
  }
  const builtAt = statSync(cli).mtimeMs;
  if (newestMtime(join(ROOT, 'src')) > builtAt) {
    outcome.notes.push(
      'dist/ is older than src/: these figures are of the last build (npm run build to refresh).',
    );
  }
}

function newestMtime(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let max = 0;
  for (const entry of readdirSync(path)) max = Math.max(max, newestMtime(join(path, entry)));
  return max;
}

/** Spawns `node <args>`, times spawn → `ready` line, reads VmRSS after the idle period, stops it. */
async function startOnce(args: string[], env: Record<string, string>, ready: RegExp): Promise<StartSample> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const readyMs = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`not ready after ${READY_TIMEOUT_MS} ms:\n${output}`)),
        READY_TIMEOUT_MS,
      );
      const onData = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (ready.test(output)) {
          clearTimeout(timer);
          resolve(performance.now() - started);
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`exited with ${code} before ready:\n${output}`));
      });
    });
    await new Promise((r) => setTimeout(r, IDLE_MS));
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const kb = (field: string) =>
      Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    const self = /started in (\d+) ms/.exec(output);
    return {
      readyMs,
      rssMb: kb('VmRSS') / 1024,
      peakMb: kb('VmHWM') / 1024,
      selfReportedMs: self ? Number(self[1]) : null,
    };
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(force);
    }
  }
}
