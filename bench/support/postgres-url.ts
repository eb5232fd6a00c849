import pg from 'pg';
import { throwawayPostgres } from '../../test/helpers/throwaway-postgres.js';

const LOCAL = 'postgres://postgres:postgres@127.0.0.1:5432/postgres';

/**
 * The PostgreSQL server benchmarks use: DATABASE_URL, else the local one CI starts
 * (127.0.0.1:5432) when it answers. Loopback only. Null when there is none.
 */
export async function benchPostgresUrl(): Promise<{ url: string } | { missing: string }> {
  const url = process.env.DATABASE_URL ?? LOCAL;
  const host = new URL(url).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) {
    return { missing: `DATABASE_URL is not on loopback (${host}); benchmarks stay on this machine` };
  }
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { url };
  } catch (err) {
    return { missing: `no PostgreSQL at ${host} (${err instanceof Error ? err.message : String(err)})` };
  } finally {
    await client.end().catch(() => {});
  }
}

/** A new empty database on that server; `drop()` removes it (with any connections left). */
export const throwawayDatabase = (url: string) => throwawayPostgres(url, 'mailroom_bench');
