/**
 * Summarises a V8 `.cpuprofile` (e.g. from `OUTBOX_BENCH_CPUPROF`): self time by module
 * (package, `dist/` file, or native), by function, and by the nearest package frame up the stack
 * (so native `writev` counts under the driver that called it).
 * Usage: node --import tsx bench/support/profile-summary.ts <file.cpuprofile> [rows]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, rowsArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: profile-summary.ts <file.cpuprofile> [rows]');
  process.exit(2);
}
const rows = Number(rowsArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const self = new Map<number, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const d = profile.timeDeltas[i] ?? 0;
  total += d;
  self.set(id, (self.get(id) ?? 0) + d);
});

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)']);
const moduleOf = (url: string): string | null =>
  url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ??
  (url.match(/\/dist\/(.*)$/)?.[1] ? `dist/${url.match(/\/dist\/(.*)$/)![1]}` : null) ??
  url.match(/\/(bench\/.*)$/)?.[1] ??
  null;

const byModule = new Map<string, number>();
const byFunction = new Map<string, number>();
const byCaller = new Map<string, number>();
const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
for (const [id, t] of self) {
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
  const name = functionName || '(anonymous)';
  const mod = SPECIAL.has(name) ? name : (moduleOf(url) ?? (url.startsWith('node:') ? url : '(native)'));
  add(byModule, mod, t);
  add(byFunction, `${name} ${mod}:${lineNumber + 1}`, t);
  let caller: string | null = SPECIAL.has(name) ? name : null;
  for (let c: number | undefined = id; !caller && c !== undefined; c = parent.get(c))
    caller = moduleOf(byId.get(c)!.callFrame.url);
  add(byCaller, caller ?? '(node internals only)', t);
}

const print = (title: string, m: Map<string, number>) => {
  console.log(`--- ${title}`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, rows))
    console.log(
      `${(v / 1000).toFixed(0).padStart(7)} ms ${((100 * v) / total).toFixed(1).padStart(5)} %  ${k}`,
    );
};
console.log(`${file}: ${(total / 1000).toFixed(0)} ms sampled`);
print('self time by module', byModule);
print('self time by nearest package frame', byCaller);
print('self time by function', byFunction);
