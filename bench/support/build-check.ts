import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchOutcome } from './report.js';
import { ROOT } from './server-process.js';

/** Builds dist/ (and the web UI) only when missing; notes when the build is older than src/. */
export function ensureBuilt(outcome: BenchOutcome, log: (line: string) => void): void {
  const cli = join(ROOT, 'dist/bundle/cli.js'); // what bin/mailroom.js runs
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
