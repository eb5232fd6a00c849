import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { Db } from '../../src/db/database.js';
import type { CapturedQuery } from './database-legs.js';

/**
 * Counts the SQL statements the app sends while `fn` runs, grouped by their first words. On
 * PGlite: statements outside transactions (the worker's; the bench's enqueue transactions are
 * not seen). On PostgreSQL: every statement of this process (enqueue ones are told apart).
 */
export async function countStatements(
  kind: 'pglite' | 'postgres',
  capture: (fn: () => Promise<unknown>) => Promise<CapturedQuery[] | null>,
  fn: () => Promise<void>,
): Promise<Map<string, number>> {
  const texts: string[] = [];
  latencies.clear();
  if (kind === 'pglite') {
    for (const q of (await capture(fn)) ?? []) {
      texts.push(q.text);
      if (q.ms !== undefined) {
        const list = latencies.get(keyOf(q.text)) ?? [];
        list.push(q.ms);
        latencies.set(keyOf(q.text), list);
      }
    }
  } else {
    const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
    const original = proto.query;
    proto.query = function (this: unknown, ...args: unknown[]) {
      const q = args[0];
      const text = typeof q === 'string' ? q : (q as { text?: string } | null)?.text;
      if (typeof text !== 'string') return original.apply(this, args);
      texts.push(text);
      // Round-trip time of each statement as the driver sees it (queueing on the client included).
      const key = keyOf(text);
      const started = performance.now();
      const took = () => {
        const list = latencies.get(key) ?? [];
        list.push(performance.now() - started);
        latencies.set(key, list);
      };
      const last = args.length - 1;
      const cb = args[last];
      if (typeof cb === 'function') {
        args[last] = (...r: unknown[]) => {
          took();
          return (cb as (...a: unknown[]) => unknown)(...r);
        };
        return original.apply(this, args);
      }
      const out = original.apply(this, args);
      if (out && typeof (out as Promise<unknown>).then === 'function')
        (out as Promise<unknown>).then(took, took);
      return out;
    };
    try {
      await fn();
    } finally {
      proto.query = original;
    }
  }
  const byKind = new Map<string, number>();
  for (const t of texts) {
    const key = keyOf(t);
    byKind.set(key, (byKind.get(key) ?? 0) + 1);
  }
  return byKind;
}

export const keyOf = (text: string) => text.replace(/\s+/g, ' ').trim().slice(0, 48);
/** PostgreSQL leg: each statement kind's round-trip times (ms) during the last counted run. */
export const latencies = new Map<string, number[]>();

export const isEnqueueStatement = (key: string) =>
  /^(begin|commit|rollback|insert into "outgoing_|select pg_notify)/i.test(key);

/**
 * Row writes to outgoing_messages over the whole leg (OUTBOX_BENCH_SPLIT): how many updates were
 * HOT, i.e. wrote no index entries (decision 0017: only the transmitting mark can be).
 */
export async function rowWrites(db: Db): Promise<string> {
  // A backend idle within 1 s of its last flush of statistics holds them up to 10 s more.
  await new Promise((r) => setTimeout(r, 11_000));
  const r = await db.execute(
    sql`SELECT n_tup_ins::int AS ins, n_tup_upd::int AS upd, n_tup_hot_upd::int AS hot,
      (SELECT count(*)::int FROM pg_index i WHERE i.indrelid = 'outgoing_messages'::regclass) AS indexes
      FROM pg_stat_user_tables WHERE relname = 'outgoing_messages'`,
  );
  const row = (r as unknown as { rows: Array<Record<string, number>> }).rows[0];
  if (!row) return 'outgoing_messages statistics: none';
  return `outgoing_messages over the leg: ${row.ins} inserted, ${row.upd} updated of which ${row.hot} HOT (${row.indexes} indexes)`;
}

/** The WAL position in bytes (PGlite: this database's own; PostgreSQL: the whole server's). */
export async function walBytes(db: Db): Promise<number> {
  const r = await db.execute(sql`SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::float8 AS b`);
  return Number((r as unknown as { rows: Array<{ b: number }> }).rows[0]?.b ?? 0);
}
