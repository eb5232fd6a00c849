import { randomUUID } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { DatabaseHandle } from '../../src/db/database.js';
import { createPglite, openDatabase } from '../../src/db/open-database.js';

/** One SQL statement as the driver received it. */
export interface CapturedQuery {
  text: string;
  params: unknown[];
  /** PGlite capture: from the call until its answer (waiting for the one connection included). */
  ms?: number;
}

/** A migrated, empty database for one benchmark leg, plus tools to look inside it. */
export interface DatabaseLeg {
  kind: 'pglite' | 'postgres';
  database: DatabaseHandle;
  /**
   * EXPLAIN (ANALYZE, BUFFERS) of one statement; returns the plan lines. Per-node timing is
   * off unless asked for: on PGlite (WASM) its clock calls inflate the execution time.
   */
  explain(query: CapturedQuery, nodeTiming?: boolean): Promise<string[]>;
  /** Runs one statement on the raw driver (no ORM); returns the elapsed milliseconds. */
  replay(query: CapturedQuery): Promise<number>;
  /** Runs `fn` and returns every statement it sent (PGlite only; null on PostgreSQL). */
  capture(fn: () => Promise<unknown>): Promise<CapturedQuery[] | null>;
  /** Refreshes planner statistics (what autovacuum does on PostgreSQL; PGlite never does it). */
  analyze(): Promise<void>;
  close(): Promise<void>;
}

type QueryFn = PGlite['query'];

const explainPrefix = (nodeTiming: boolean) =>
  `EXPLAIN (ANALYZE, BUFFERS${nodeTiming ? '' : ', TIMING OFF'})`;

/** In-memory PGlite, migrated by the same code the app runs. */
export async function openPgliteLeg(): Promise<DatabaseLeg> {
  const client = await createPglite();
  const database = await openDatabase({ kind: 'pglite', dataDir: '' }, { pglite: client });
  const original: QueryFn = client.query.bind(client);
  return {
    kind: 'pglite',
    database,
    async explain(q, nodeTiming = false) {
      const r = await original<Record<string, string>>(
        `${explainPrefix(nodeTiming)} ${q.text}`,
        q.params as never[],
      );
      return r.rows.map((row) => Object.values(row)[0] ?? '');
    },
    async replay(q) {
      const started = performance.now();
      await original(q.text, q.params as never[]);
      return performance.now() - started;
    },
    async capture(fn) {
      const seen: CapturedQuery[] = [];
      client.query = ((text: string, params?: unknown[], options?: unknown) => {
        const q: CapturedQuery = { text, params: params ?? [] };
        seen.push(q);
        const started = performance.now();
        const out = original(text, params as never[], options as never);
        const took = () => {
          q.ms = performance.now() - started;
        };
        out.then(took, took);
        return out;
      }) as QueryFn;
      // Named statements (src/db/named-statement.ts) go through the wire protocol: each Bind
      // is counted as `EXECUTE <name>` (values are not decoded).
      const stream = client.execProtocolStream;
      client.execProtocolStream = ((message: Uint8Array, options?: unknown) => {
        if (message[0] === 0x42) {
          // 'B', length, portal name, statement name (both NUL-terminated).
          const portalEnd = message.indexOf(0, 5);
          const name = new TextDecoder().decode(
            message.subarray(portalEnd + 1, message.indexOf(0, portalEnd + 1)),
          );
          // Unnamed ones belong to PGlite's own query() (already counted above).
          if (name) {
            const q: CapturedQuery = { text: `EXECUTE ${name}`, params: [] };
            seen.push(q);
            const started = performance.now();
            const out = stream.call(client, message, options as never);
            const took = () => {
              q.ms = performance.now() - started;
            };
            out.then(took, took);
            return out;
          }
        }
        return stream.call(client, message, options as never);
      }) as typeof stream;
      try {
        await fn();
      } finally {
        client.query = original;
        client.execProtocolStream = stream;
      }
      return seen;
    },
    async analyze() {
      await client.exec('ANALYZE');
    },
    async close() {
      await database.close();
      await client.close();
    },
  };
}

/**
 * A throwaway database on the server of DATABASE_URL (dropped on close), opened with the
 * app's own pool settings and migrations.
 */
export async function openPostgresLeg(url: string): Promise<DatabaseLeg> {
  const name = `mailroom_bench_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: dbUrl.toString(), poolSize: 10 });
  const side = new pg.Client({ connectionString: dbUrl.toString() });
  await side.connect();
  return {
    kind: 'postgres',
    database,
    async explain(q, nodeTiming = false) {
      const r = await side.query<Record<string, string>>(`${explainPrefix(nodeTiming)} ${q.text}`, q.params);
      return r.rows.map((row) => Object.values(row)[0] ?? '');
    },
    async replay(q) {
      const started = performance.now();
      await side.query(q.text, q.params);
      return performance.now() - started;
    },
    capture: async () => null,
    async analyze() {
      await side.query('ANALYZE');
    },
    async close() {
      await side.end().catch(() => {});
      await database.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await admin.end();
    },
  };
}
