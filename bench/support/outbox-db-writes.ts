import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import type { Db } from '../../src/db/database.js';
import { generateKeyEntry, parseKeyring } from '../../src/security/keyring.js';
import { createSecretBox } from '../../src/security/secret-box.js';
import { importCompiled } from './compiled-app.js';
import { type DatabaseLeg, openPgliteLeg, openPostgresLeg } from './database-legs.js';
import { walBytes } from './outbox-statements.js';
import { type EnqueueContext, enqueueMany, seed } from './outbox-workload.js';
import { benchPostgresUrl } from './postgres-url.js';
import { cpuMs } from './process-cpu.js';

/**
 * The outbox's database writes alone, per email, with no SMTP and no sink: what the comment's
 * transaction and the worker write for each email (the bench's 100-row enqueue transactions, the
 * claim of 100, the transmitting mark and the lazy `sent` in groups of 10, through the compiled
 * repository), for schema variants side by side, rotated each round (decision 0017, index diet).
 * Much less noisy than the end-to-end bench for questions like "what do these indexes cost".
 *
 *   npm run build && node --import tsx bench/support/outbox-db-writes.ts
 *   OUTBOX_WRITES_DB=postgres (default pglite), OUTBOX_WRITES_EMAILS=3000, OUTBOX_WRITES_ROUNDS=3,
 *   OUTBOX_WRITES_VARIANTS='{"now":"","no comment index":"DROP INDEX outgoing_messages_comment_idx"}'
 *
 * Prints per email: wall and CPU of the enqueue and of the worker's writes (Node; on PostgreSQL also
 * the backends of that database, from /proc), WAL bytes (PGlite: its own; PostgreSQL: the whole
 * server's), and the table's updates with how many were HOT.
 */
const KIND = process.env.OUTBOX_WRITES_DB === 'postgres' ? 'postgres' : 'pglite';
const EMAILS = Number(process.env.OUTBOX_WRITES_EMAILS ?? 3_000);
const ROUNDS = Number(process.env.OUTBOX_WRITES_ROUNDS ?? 3);
const VARIANTS: Record<string, string> = JSON.parse(process.env.OUTBOX_WRITES_VARIANTS ?? '{"now":""}');
const BATCH = 100;
const GROUP = 10;

/** CPU milliseconds of these processes (the database's backends), from /proc. */
function backendsCpuMs(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // the backend ended
    }
  }
  return ticks * 10;
}

const rows = <T>(r: unknown) => (r as { rows: T[] }).rows;

async function measure(name: string, statements: string, url: string | null): Promise<string> {
  const leg: DatabaseLeg = url ? await openPostgresLeg(url) : await openPgliteLeg();
  try {
    const db: Db = leg.database.db;
    const { createOutboxRepository } = await importCompiled<
      typeof import('../../src/db/repositories/outbox.repository.js')
    >('db/repositories/outbox.repository.js');
    const repo = createOutboxRepository(db);
    for (const st of statements.split(';').filter((x) => x.trim())) await db.execute(sql.raw(st));
    const s = await seed(db, createSecretBox(parseKeyring(generateKeyEntry('w1'))), 25);
    await leg.analyze();
    // No wake-up: nothing listens, and NOTIFY is not the question here.
    const ctx: EnqueueContext = { db, outboxWakeup: { queued: async () => {}, committed: () => {} } };
    let pids: number[] = [];
    const cost = { enqueue: { ms: 0, cpu: 0, db: 0 }, worker: { ms: 0, cpu: 0, db: 0 } };
    const timed = async (into: { ms: number; cpu: number; db: number }, fn: () => Promise<void>) => {
      const at = performance.now();
      const cpu = process.cpuUsage();
      const dbCpu = backendsCpuMs(pids);
      await fn();
      into.ms += performance.now() - at;
      into.cpu += cpuMs(process.cpuUsage(cpu));
      into.db += backendsCpuMs(pids) - dbCpu;
    };
    const run = async (count: number, tag: string, into: typeof cost | null) => {
      for (let i = 0; i < count; i += BATCH) {
        await timed(into?.enqueue ?? { ms: 0, cpu: 0, db: 0 }, () =>
          enqueueMany(ctx, s, Math.min(BATCH, count - i), `${tag}${i}-`),
        );
        await timed(into?.worker ?? { ms: 0, cpu: 0, db: 0 }, async () => {
          const now = new Date();
          const lease = randomUUID();
          const claimed = await repo.claim(BATCH, lease, now, 300_000, new Date(now.getTime() - 600_000));
          for (let k = 0; k < claimed.length; k += GROUP) {
            const group = claimed.slice(k, k + GROUP).map((m) => ({ id: m.id, lease }));
            await repo.markTransmitting(group, new Date());
            const sent = group.map((g) => ({ ...g, reply: '250 ok', queueId: 'Q', sentCopy: null }));
            await repo.recordProgress([], sent, new Date(), { lazyCommit: true });
          }
        });
      }
    };
    if (url) {
      const r = await db.execute(sql`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`);
      pids = rows<{ pid: number }>(r).map((x) => Number(x.pid));
    }
    await run(500, 'warm', null);
    const wal = await walBytes(db);
    await run(EMAILS, 'm', cost);
    const walPerEmail = ((await walBytes(db)) - wal) / EMAILS;
    // A backend flushes its statistics at most once a second; an idle one up to 10 s later.
    await new Promise((r) => setTimeout(r, 11_000));
    const [st] = rows<{ upd: number; hot: number }>(
      await db.execute(
        sql`SELECT n_tup_upd::int AS upd, n_tup_hot_upd::int AS hot FROM pg_stat_user_tables WHERE relname = 'outgoing_messages'`,
      ),
    );
    const us = (ms: number) => ((1000 * ms) / EMAILS).toFixed(0);
    const part = (x: { ms: number; cpu: number; db: number }) =>
      `${us(x.ms)} µs wall, ${us(x.cpu)} Node${url ? ` + ${us(x.db)} server` : ''} µs CPU`;
    return `${KIND} ${name}: enqueue ${part(cost.enqueue)} | worker writes ${part(cost.worker)} | WAL ${walPerEmail.toFixed(0)} B${url ? ' (whole server)' : ''} | ${st?.upd} updates, ${st?.hot} HOT`;
  } finally {
    await leg.close();
  }
}

const pg = KIND === 'postgres' ? await benchPostgresUrl() : null;
if (pg && !('url' in pg)) throw new Error(pg.missing);
const names = Object.keys(VARIANTS);
for (let round = 0; round < ROUNDS; round++) {
  for (let k = 0; k < names.length; k++) {
    const name = names[(k + round) % names.length]!;
    console.log(await measure(name, VARIANTS[name]!, pg && 'url' in pg ? pg.url : null));
  }
}
process.exit(0);
