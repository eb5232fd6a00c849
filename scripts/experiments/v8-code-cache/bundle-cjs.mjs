// Experiment (decision 0012, code-cache pass): the server as one CommonJS file (dist/bundle-cjs/cli.cjs)
// so Node 20 can load it through vm.Script with V8 cachedData (./load-cached.mjs); Node 20 keeps no
// compile cache for ES modules. Same inputs as scripts/bundle-server.mjs (its INLINE list is read from
// that file, which builds on import); esbuild has no code splitting for CommonJS, so the lazily
// imported modules land in the same file, evaluated on first use. Run after `npm run build:server`.
import { readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const root = new URL('../../../', import.meta.url);
const inlineList = /const INLINE = new Set\((\[[^\]]*\])\)/.exec(
  readFileSync(new URL('scripts/bundle-server.mjs', root), 'utf8'),
)[1];
const inline = new Set(JSON.parse(inlineList.replaceAll("'", '"').replace(/,\s*\]/, ']')));
const { dependencies, devDependencies } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
const outdir = new URL('dist/bundle-cjs/', root).pathname;
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: [new URL('dist/main/cli.js', root).pathname],
  outfile: `${outdir}cli.cjs`, // two levels below the root, like dist/bundle/: relative URLs still hold
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: Object.keys({ ...dependencies, ...devDependencies })
    .filter((name) => !inline.has(name))
    .flatMap((name) => [name, `${name}/*`]),
  logLevel: 'warning',
  define: { 'import.meta.url': '__mailroomMetaUrl' },
  banner: { js: "const __mailroomMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
});
