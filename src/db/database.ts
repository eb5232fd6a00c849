import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ListPageCache } from './list-page-cache.js';
import type * as schema from './schema/index.js';

type Schema = typeof schema;

/** The one database type repositories see, whichever driver (PGlite or node-postgres) is behind it. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Repositories take an optional transaction; inside one, every call must pass it (STYLE rule 13). */
export type DbOrTx = Db | Tx;

export interface DatabaseHandle {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Periodic upkeep the server does not do by itself (PGlite has no autovacuum: refresh planner statistics). */
  maintain(): Promise<void>;
  close(): Promise<void>;
  /** PGlite only (one process per data dir): list pages cached until a write to their tables (decision 0018). */
  listPageCache?: ListPageCache | null;
  /** PostgreSQL only: LISTEN on `channel` over a dedicated connection; resolves with the stop function. */
  listen?(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
}
