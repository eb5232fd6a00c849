#!/usr/bin/env -S node --v8-pool-size=0 --liftoff-only
// As `npm start` runs it (decision 0012). --v8-pool-size=0: V8's background threads = cores − 1
// (Node's default is 4); on two cores, four compile and GC threads took turns with the main thread.
// --liftoff-only: PGlite's WebAssembly stays on V8's baseline compiler; the optimising one cost
// seconds of CPU and, on Node 24, ~500 MB of memory at every start, for no measured query speed.
// Entry point of the `mailroom` command: runs the bundled CLI (npm start builds it first;
// scripts/bundle-server.mjs says why it is bundled).
import { existsSync } from 'node:fs';
import module from 'node:module';

// Node ≥ 22.1 caches compiled module code between starts (a faster restart); older Nodes skip it.
module.enableCompileCache?.();

const cli = new URL('../dist/bundle/cli.js', import.meta.url);
if (!existsSync(cli)) {
  console.error('mailroom: not built yet. Run "npm run build" (or "npm start", which builds when needed).');
  process.exit(1);
}
await import(cli.href);
