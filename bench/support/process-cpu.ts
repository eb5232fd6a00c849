import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

/** Milliseconds of CPU (user + system) in a `process.cpuUsage()` difference. */
export const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;

/**
 * `OUTBOX_BENCH_CPUPROF=<dir>`: a V8 CPU profile of one timed phase alone (e.g. the baseline's first
 * run, our enqueue-and-send), written as `<dir>/<leg>-<phase>.cpuprofile`. Off by default.
 */
export async function phaseProfile<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const dir = process.env.OUTBOX_BENCH_CPUPROF;
  if (!dir) return fn();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(`${dir}/${name}.cpuprofile`, JSON.stringify(profile));
    session.disconnect();
  }
}

/** CPU milliseconds used so far by every `postgres` process on this machine (Linux /proc; else null). */
export function postgresCpuMs(): number | null {
  try {
    let ticks = 0;
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      } catch {
        continue;
      }
      if (!stat.includes('(postgres)')) continue;
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]);
    }
    return ticks * 10; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}
