import type { DbOrTx } from './database.js';

/** A parameterised statement run by the driver itself: `text` holds placeholders only. */
export type DriverQuery = (text: string, params: readonly unknown[]) => Promise<{ rows: unknown[] }>;

/**
 * The driver's own `query(text, params)` (PGlite or the node-postgres pool) under a drizzle
 * database, for hot statements whose building in drizzle costs more than running them (storing
 * collected mail: ~4 µs per parameter, ~25,000 parameters per 2,000 messages). Values always
 * travel as parameters, never in the text. Not for transactions (the pool would pick any
 * connection): only the root database is accepted.
 */
export function driverQuery(db: DbOrTx): DriverQuery {
  const client = (db as { $client?: { query?: unknown } }).$client;
  if (!client || typeof client.query !== 'function')
    throw new Error(
      'driverQuery needs the root drizzle database (PGlite or node-postgres), not a transaction',
    );
  const query = client.query as (text: string, params: unknown[]) => Promise<{ rows: unknown[] }>;
  return (text, params) => query.call(client, text, [...params]);
}
