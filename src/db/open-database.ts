import { fileURLToPath } from 'node:url';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { DatabaseConfig } from '../config/config.js';
import { lockDataDir } from './data-dir-lock.js';
import type { DatabaseHandle, Db } from './database.js';
import { openListPageCache } from './list-page-cache.js';
import { migrationsApplied } from './migrations-applied.js';
import { shareEventLoop } from './pglite-turns.js';
import * as schema from './schema/index.js';

/** drizzle/ sits two levels above both src/db and dist/db. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle', import.meta.url));

/**
 * Extensions every PGlite instance must load: migrations use pg_trgm (trigram indexes for
 * list searches). Tests and benchmarks that create their own instance pass these too.
 */
export const PGLITE_EXTENSIONS = { pg_trgm } as const;

/**
 * bytea (OID 17): bytes go in as a binary parameter (PGlite's protocol writer sends any
 * Uint8Array in binary format, which the server copies as is) and come out as hex through
 * Buffer's native codec. PGlite's own serializer converts byte by byte in JavaScript
 * (Array.from + padStart), and even Buffer's hex doubled every byte on the way in and made
 * the server decode it: storing 2,000 collected messages (7.5 MB) spent ~1 s there (bench/ingest).
 */
const BYTEA = 17;
const fastBytea = {
  serializers: {
    // PGlite types serializers as returning strings; its writer takes bytes too (see above).
    [BYTEA]: ((v: unknown) => (typeof v === 'string' || v instanceof Uint8Array ? v : String(v))) as (
      v: unknown,
    ) => string,
  },
  parsers: { [BYTEA]: (v: string) => Buffer.from(v.slice(2), 'hex') },
};

/** A PGlite instance with the extensions the migrations need. */
export function createPglite(options: Omit<PGliteOptions, 'extensions'> = {}): Promise<PGlite> {
  return PGlite.create({
    ...options,
    serializers: { ...fastBytea.serializers, ...options.serializers },
    parsers: { ...fastBytea.parsers, ...options.parsers },
    extensions: PGLITE_EXTENSIONS,
  });
}

export interface OpenOptions {
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  /** PGlite only: an existing in-memory/template instance to use instead of the data dir (tests). */
  pglite?: PGlite;
}

export async function openDatabase(
  config: DatabaseConfig,
  options: OpenOptions = {},
): Promise<DatabaseHandle> {
  const shouldMigrate = options.migrate ?? true;
  if (config.kind === 'postgres') {
    // The PostgreSQL client and its LISTEN helper load only for PostgreSQL: an embedded start
    // never needs them (issue 12 item 2).
    const [{ default: pg }, { listenPg }, { drizzle: drizzlePg }, { migrate: migratePg }] = await Promise.all(
      [
        import('pg'),
        import('./pg-listen.js'),
        import('drizzle-orm/node-postgres'),
        import('drizzle-orm/node-postgres/migrator'),
      ],
    );
    const pool = new pg.Pool({ connectionString: config.url, max: config.poolSize });
    pool.on('error', () => {}); // idle-client errors surface on the next query instead of crashing
    const db = drizzlePg(pool, { schema }) as unknown as Db;
    if (shouldMigrate) {
      const client = await pool.connect();
      try {
        // Several processes may start at once: one migrates, the others wait.
        await client.query('SELECT pg_advisory_lock(7208311)');
        await migratePg(drizzlePg(client, { schema }), { migrationsFolder: MIGRATIONS_FOLDER });
      } finally {
        await client.query('SELECT pg_advisory_unlock(7208311)').catch(() => {});
        client.release();
      }
    }
    // PostgreSQL's autovacuum keeps statistics fresh.
    return {
      db,
      kind: 'postgres',
      maintain: async () => {},
      close: () => pool.end(),
      listen: (channel, onNotify) => listenPg(config.url, channel, onNotify),
    };
  }

  let lock: { release(): void } | null = null;
  let client = options.pglite;
  if (!client) {
    lock = lockDataDir(config.dataDir);
    try {
      client = await createPglite({ dataDir: `${config.dataDir}/pgdata` });
    } catch (e) {
      lock.release();
      throw e;
    }
  }
  shareEventLoop(client);
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  if (shouldMigrate && !(await migrationsApplied(client, MIGRATIONS_FOLDER)))
    await migratePglite(drizzlePglite(client, { schema }), { migrationsFolder: MIGRATIONS_FOLDER });
  const owned = client;
  return {
    db,
    kind: 'pglite',
    listPageCache: await openListPageCache(client),
    // PGlite is a single backend without autovacuum: without ANALYZE the planner guesses
    // row counts and sorts whole tables instead of walking indexes (bench/sender-resolution).
    async maintain() {
      await owned.query('ANALYZE');
    },
    async close() {
      if (!options.pglite) await owned.close();
      lock?.release();
    },
  };
}

/** A cheap round trip for /readyz. */
export async function pingDatabase(db: Db): Promise<void> {
  await db.execute(sql`select 1`);
}
