// Experiment (decision 0019): start-up with PGlite in a worker thread, alternating legs on one
// existing data dir, spawn → ready, CPU per thread at that moment (/proc/<pid>/task), idle RSS.
//   node measure-startup.mjs first-query <dataDir> [rounds]   (a) bare open vs worker open, first query
//   node measure-startup.mjs serve <dataDir> [rounds]         (b) bare vs mailroom serve (main bundle)
//                                                             vs the experimental bundle → /healthz 200
//                                                             vs the same started by early-entry.mjs
//                                                             (PW_NICE_LEG=10: and with its main thread niced)
// Another build as a serve leg: PW_EXTRA_LEGS=name=entry[,…] (run as `node <entry> serve`); PW_ONLY_MAIN=1 drops
// the worker/early legs. Decision 0012's code-cache pass: PW_ONLY_MAIN=1
// PW_EXTRA_LEGS=cjs=scripts/experiments/v8-code-cache/load-cached.mjs,cjsnc=scripts/experiments/v8-code-cache/nocache.mjs
// The data dir must exist (a previous `mailroom serve` start made it). Run from the repo root.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [mode, dataDir, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 5);
const TICK_MS = 10; // USER_HZ 100

const BARE = `
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
const db = await PGlite.create({ dataDir: process.env.PGLITE_DIR, extensions: { pg_trgm } });
await db.query('select 1');
console.log('ready');
setInterval(() => {}, 1 << 30);
`;
const WORKER = `
import { openPgliteWorker } from './scripts/experiments/pglite-worker/pglite-proxy.mjs';
const db = openPgliteWorker(process.env.PGLITE_DIR);
await db.query('select 1');
console.log('ready');
setInterval(() => {}, 1 << 30);
`;
const READY = /^ready$/m;
const SERVE = /mailroom is running at (http:\/\/\S+)/;

const legs =
  mode === 'first-query'
    ? [
        { name: 'bare', args: ['--input-type=module', '-e', BARE], ready: READY },
        { name: 'worker', args: ['--input-type=module', '-e', WORKER], ready: READY },
      ]
    : [
        { name: 'bare', args: ['--input-type=module', '-e', BARE], ready: READY },
        { name: 'main', args: ['bin/mailroom.js', 'serve'], ready: SERVE, healthz: true },
        {
          name: 'worker',
          args: ['scripts/experiments/pglite-worker/early-entry.mjs', 'serve'],
          env: { MAILROOM_PW_LATE: '1' },
          ready: SERVE,
          healthz: true,
        },
        {
          name: 'early',
          args: ['scripts/experiments/pglite-worker/early-entry.mjs', 'serve'],
          ready: SERVE,
          healthz: true,
        },
        ...(process.env.PW_EXTRA_LEGS ?? '')
          .split(',')
          .filter(Boolean)
          .map((spec) => {
            const [name, entry] = spec.split('=');
            return { name, args: [entry, 'serve'], ready: SERVE, healthz: true };
          }),
        ...(process.env.PW_NICE_LEG
          ? [
              {
                name: 'nice',
                args: ['scripts/experiments/pglite-worker/early-entry.mjs', 'serve'],
                env: { MAILROOM_PW_NICE: process.env.PW_NICE_LEG },
                ready: SERVE,
                healthz: true,
              },
            ]
          : []),
      ].filter((leg) => !process.env.PW_ONLY_MAIN || !['worker', 'early'].includes(leg.name));

/**
 * CPU per thread (Node 20 names every thread "node"): the main thread (tid = pid), the next five
 * threads created (V8's platform: its delayed-task thread and four workers, shared by every
 * isolate), and the rest: libuv's pool (little CPU here) and, in the worker legs, the PGlite
 * thread, created last.
 */
function threadCpu(pid) {
  const out = { main: 0, v8: 0, rest: 0 };
  const tids = readdirSync(`/proc/${pid}/task`)
    .map(Number)
    .sort((a, b) => a - b);
  tids.forEach((tid, index) => {
    let stat;
    try {
      stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    } catch {
      return;
    }
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ms = (Number(f[11]) + Number(f[12])) * TICK_MS;
    if (tid === pid) out.main += ms;
    else if (index <= 5) out.v8 += ms;
    else out.rest += ms;
  });
  return out;
}

async function startOnce(leg) {
  const env = {
    PATH: process.env.PATH,
    PGLITE_DIR: join(dataDir, 'pgdata'),
    MAILROOM_DATA_DIR: dataDir,
    MAILROOM_PORT: '0',
    MAILROOM_LOG_LEVEL: 'warn',
    MAILROOM_PW_TRACE: '1', // the experimental legs print their steps (ms since the process started)
    ...leg.env,
  };
  const t0 = performance.now();
  const child = spawn(process.execPath, leg.args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((r) => child.once('exit', r));
  let output = '';
  const sample = await new Promise((resolve, reject) => {
    let seen = false;
    const onData = async (chunk) => {
      output += chunk;
      const m = leg.ready.exec(output);
      if (!m || seen) return;
      seen = true;
      if (leg.healthz)
        for (;;) {
          const res = await fetch(`${m[1]}/healthz`).catch(() => null);
          if (res?.status === 200) break;
          await new Promise((r) => setTimeout(r, 10));
        }
      const readyMs = performance.now() - t0;
      const cpu = threadCpu(child.pid);
      const steps = [...output.matchAll(/pw-trace (\S+) (?:(\d+) )?(\d+)/g)].map(
        (t) => `${t[1]} ${t[2] ?? t[3]}`,
      );
      resolve({ readyMs, cpu, steps });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    exited.then((code) => reject(new Error(`${leg.name} exited ${code}: ${output}`)));
  });
  await new Promise((r) => setTimeout(r, 2000));
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  sample.rssMb = Number(/^VmRSS:\s+(\d+)/m.exec(status)[1]) / 1024;
  child.kill('SIGTERM');
  await exited;
  return sample;
}

const results = Object.fromEntries(legs.map((l) => [l.name, []]));
for (let i = 0; i < rounds; i++) {
  const line = [];
  // The order rotates every round, so no leg always follows the same one.
  const order = legs.map((_, k) => legs[(k + i) % legs.length]);
  for (const leg of order) {
    const s = await startOnce(leg);
    results[leg.name].push(s);
    const c = s.cpu;
    line.push(
      `${leg.name} ${s.readyMs.toFixed(0)} ms (cpu main ${c.main} v8 ${c.v8} rest ${c.rest}; rss ${s.rssMb.toFixed(0)})` +
        (s.steps.length ? ` [${s.steps.join(', ')}]` : ''),
    );
  }
  const bare = results.bare[i].readyMs;
  const ratios = legs.slice(1).map((l) => `${l.name}/bare ${(results[l.name][i].readyMs / bare).toFixed(2)}`);
  console.log(`round ${i + 1}: ${line.join(' | ')} | ${ratios.join(' ')}`);
}
const med = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
for (const leg of legs) {
  const r = results[leg.name];
  const c = (k) => med(r.map((s) => s.cpu[k]));
  console.log(
    `median ${leg.name}: ready ${med(r.map((s) => s.readyMs)).toFixed(0)} ms, ratio to bare ${(med(r.map((s) => s.readyMs)) / med(results.bare.map((s) => s.readyMs))).toFixed(2)}, pair ratios median ${med(r.map((s, i) => s.readyMs / results.bare[i].readyMs)).toFixed(2)}; cpu main ${c('main')} v8 ${c('v8')} rest ${c('rest')} ms; rss ${med(r.map((s) => s.rssMb)).toFixed(0)} MB`,
  );
}
