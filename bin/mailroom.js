#!/usr/bin/env node
// Entry point of the `mailroom` command: runs the compiled CLI (npm start builds it first).
import { existsSync } from 'node:fs';
import module from 'node:module';

// Node ≥ 22.1 caches compiled module code between starts (a faster restart); older Nodes skip it.
module.enableCompileCache?.();

const cli = new URL('../dist/main/cli.js', import.meta.url);
if (!existsSync(cli)) {
  console.error('mailroom: not built yet. Run "npm run build" (or "npm start", which builds when needed).');
  process.exit(1);
}
await import(cli.href);
