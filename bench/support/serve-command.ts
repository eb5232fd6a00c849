import { readFileSync } from 'node:fs';

/**
 * How `npm start` runs the server (package.json "start": `node <flags> bin/mailroom.js serve`):
 * the benchmarks start `mailroom serve` the same way, so they measure what users run.
 */
export function serveCommand(...args: string[]): string[] {
  return [...SERVE_NODE_FLAGS, 'bin/mailroom.js', 'serve', ...args];
}

export const SERVE_NODE_FLAGS: readonly string[] = startScriptFlags(
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).scripts.start,
);

/** The Node flags before `bin/mailroom.js serve` in the start script. */
export function startScriptFlags(start: string): string[] {
  const m = /\bnode((?: --[\w-]+(?:=\S+)?)*) bin\/mailroom\.js serve\b/.exec(start);
  if (!m) throw new Error(`package.json "start" does not run bin/mailroom.js serve: ${start}`);
  return m[1]!.trim().split(' ').filter(Boolean);
}
