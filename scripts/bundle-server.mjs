// Bundles the compiled server (dist/main/cli.js) into dist/bundle/, which bin/mailroom.js runs.
// Why (issue 12 item 2, decision 0012): Node's ESM loader reads, resolves and compiles each file
// apart, and the start path touched ~1,800 files; typebox alone is ~680 small modules (about
// 0.35 s of CPU to load, 20 ms bundled). Our code and the ESM packages of many small files are
// inlined; every other package stays an ordinary import from node_modules (native code, WASM,
// files read beside their own source). Dynamic imports stay lazy: each becomes its own chunk.
import { readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

/**
 * Packages inlined into the bundle: pure JavaScript, many files, nothing read from disk beside
 * them. Besides the ESM ones (typebox, drizzle-orm), the CommonJS packages on the start path:
 * fastify with its ~120 files (avvio, find-my-way, semver's 48, light-my-request, …), prom-client
 * with @opentelemetry/api (~85), smtp-server (the sandbox), oauth4webapi, email-reply-parser,
 * @fastify/cookie. Each file resolved through node_modules costs stat calls, a read and a compile;
 * inlined they cost one chunk. pino stays outside (its transports run files in worker threads),
 * and so do packages that read files or load WASM beside their source (PGlite).
 */
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

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const external = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })
  .filter((name) => !INLINE.has(name))
  .flatMap((name) => [name, `${name}/*`]);

const outdir = new URL('../dist/bundle/', import.meta.url).pathname;
rmSync(outdir, { recursive: true, force: true });
await build({
  // The parse pool's worker thread is an entry of its own: the pool starts `./parse-worker.js`
  // beside its own chunk, and every chunk lands flat in dist/bundle/.
  entryPoints: {
    cli: new URL('../dist/main/cli.js', import.meta.url).pathname,
    'parse-worker': new URL('../dist/services/inbound/parse-worker.js', import.meta.url).pathname,
  },
  outdir, // two levels below the repository root, like dist/<folder>/: relative paths still hold
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  chunkNames: 'chunk-[hash]',
  logLevel: 'warning',
  // Inlined CommonJS code calls require() for Node's built-ins: give each ESM chunk one.
  banner: {
    js: "import { createRequire as __mailroomRequire } from 'node:module'; const require = __mailroomRequire(import.meta.url);",
  },
});
