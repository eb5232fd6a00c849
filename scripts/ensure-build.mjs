// Builds the server (tsc → dist/) and the web UI (vite → web/dist/) when their sources are
// newer than the output, so `npm start` works on a fresh clone and starts fast afterwards.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const force = process.argv.includes('--force');
const newest = (paths) => {
  let max = 0;
  const walk = (p) => {
    if (!existsSync(p)) return;
    const s = statSync(p);
    if (s.isDirectory()) {
      for (const e of readdirSync(p)) if (e !== 'node_modules' && e !== 'dist') walk(join(p, e));
    } else max = Math.max(max, s.mtimeMs);
  };
  for (const p of paths) walk(p);
  return max;
};
const stale = (sources, output) => force || !existsSync(output) || newest(sources) > statSync(output).mtimeMs;
const run = (label, args) => {
  console.log(`mailroom: building ${label}…`);
  execFileSync(process.execPath, args, { stdio: 'inherit' });
};

if (stale(['src', 'tsconfig.build.json', 'tsconfig.base.json', 'package.json'], 'dist/bundle/cli.js')) {
  run('server', ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json']);
  execFileSync(process.execPath, ['scripts/bundle-server.mjs'], { stdio: 'inherit' });
}
if (
  stale(
    ['web/src', 'web/index.html', 'web/vite.config.ts', 'src/domain/presets', 'package.json'],
    'web/dist/index.html',
  )
) {
  run('web UI', [
    'node_modules/vite/bin/vite.js',
    'build',
    '--config',
    'web/vite.config.ts',
    '--logLevel',
    'warn',
  ]);
}
