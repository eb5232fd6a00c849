/**
 * One benchmark in a process of its own (`bench/run.ts` starts it): on its time limit the runner
 * ends the whole process group, so a stopped benchmark cannot go on loading the machine under
 * the next one. The outcome travels to the runner over IPC as it fills (every 200 ms when it
 * changed), so what was measured before a stop is kept.
 * Usage: node --import tsx bench/support/bench-child.ts <name> [--explain]
 */

import { discoverBenchmarks } from './registry.js';
import type { BenchOutcome } from './report.js';
import { killLeftoverChildren } from './server-process.js';

export type ChildMessage =
  | { type: 'partial'; outcome: BenchOutcome }
  | { type: 'done'; outcome: BenchOutcome }
  | { type: 'error'; error: string; outcome: BenchOutcome };

const [name, ...flags] = process.argv.slice(2);
const send = (m: ChildMessage) =>
  new Promise<void>((resolve) => process.send?.(m, () => resolve()) ?? resolve());

const outcome: BenchOutcome = { figures: [], notes: [] };
const stop = new AbortController();
process.once('SIGTERM', () => {
  stop.abort();
  killLeftoverChildren();
  process.exit(143);
});
let sent = JSON.stringify(outcome);
const flush = () => {
  const now = JSON.stringify(outcome);
  if (now === sent) return;
  sent = now;
  void send({ type: 'partial', outcome });
};
const timer = setInterval(flush, 200);

let message: ChildMessage;
try {
  const entry = discoverBenchmarks().find((b) => b.name === name);
  if (!entry) throw new Error(`no benchmark named ${name}`);
  const bench = await entry.load();
  const result = await bench.run({
    explain: flags.includes('--explain'),
    log: (line) => process.stderr.write(`  ${line}\n`),
    outcome,
    signal: stop.signal,
  });
  message = { type: 'done', outcome: result };
} catch (err) {
  message = {
    type: 'error',
    error: err instanceof Error ? (err.stack ?? err.message) : String(err),
    outcome,
  };
}
clearInterval(timer);
await send(message);
killLeftoverChildren();
process.exit(0);
