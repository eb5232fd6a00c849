// Experiment (decision 0019): builds dist/experiment-bundle/ like scripts/bundle-server.mjs builds
// dist/bundle/, with two changes: dist/db/open-database.js is replaced by open-database-worker.mjs
// (PGlite in a worker thread), and serve awaits `ctx.database.ready` right before listening.
// Run: npm run build && node scripts/experiments/pglite-worker/bundle-experiment.mjs
import { readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const root = new URL('../../../', import.meta.url);
const INLINE = new Set([
  'typebox',
  'drizzle-orm',
  'fastify',
  'prom-client',
  'smtp-server',
  'oauth4webapi',
  'email-reply-parser',
  '@fastify/cookie',
]);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
const external = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })
  .filter((name) => !INLINE.has(name))
  .flatMap((name) => [name, `${name}/*`]);
const realOpen = new URL('dist/db/open-database.js', root).pathname;
const replacement = new URL('open-database-worker.mjs', import.meta.url).pathname;
const servePath = new URL('dist/main/serve.js', root).pathname;

const swap = {
  name: 'pglite-worker-swap',
  setup(b) {
    b.onResolve({ filter: /open-database\.js$/ }, (args) => {
      if (args.importer === replacement) return undefined; // its PostgreSQL fallback keeps the real one
      return { path: replacement };
    });
    b.onLoad({ filter: /dist\/main\/serve\.js$/ }, () => {
      const text = readFileSync(servePath, 'utf8');
      const patched = text.replace(
        'await app.listen(',
        "process.env.MAILROOM_PW_TRACE && process.stderr.write('pw-trace app-built ' + performance.now().toFixed(0) + '\\n'); await ctx.database.ready; await app.listen(",
      );
      if (patched === text) throw new Error('serve.js: listen call not found');
      return { contents: patched, loader: 'js', resolveDir: new URL('dist/main/', root).pathname };
    });
  },
};
void realOpen;

const outdir = new URL('dist/experiment-bundle/', root).pathname;
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: [new URL('dist/main/cli.js', root).pathname],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  chunkNames: 'chunk-[hash]',
  logLevel: 'warning',
  plugins: [swap],
  banner: {
    js: "import { createRequire as __mailroomRequire } from 'node:module'; const require = __mailroomRequire(import.meta.url);",
  },
});
console.log(`built ${outdir}`);
