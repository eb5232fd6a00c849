// Experiment (decision 0019), not used by the app: stands in for dist/db/open-database.js in the
// experimental bundle (bundle-experiment.mjs). On PGlite it takes the data-dir lock, starts the
// worker thread and answers AT ONCE with the handle: statements wait in the worker until the
// database is open. `ready` (awaited before listening by the bundle's patched serve) settles when
// it is open, migrated, and the list-page cache has checked its triggers. PostgreSQL: unchanged.
import { fileURLToPath } from 'node:url';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { lockDataDir } from '../../../dist/db/data-dir-lock.js';
import { openListPageCache } from '../../../dist/db/list-page-cache.js';
import { migrationsApplied } from '../../../dist/db/migrations-applied.js';
import * as schema from '../../../dist/db/schema/index.js';
import { openPgliteWorker } from './pglite-proxy.mjs';

// The bundle sits in dist/experiment-bundle/: the repository root is two levels up.
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle', import.meta.url));
const THREAD = new URL('../../scripts/experiments/pglite-worker/pglite-thread.mjs', import.meta.url);

/** MAILROOM_PW_TRACE=1: ms since the process started at each step, on stderr. */
const trace = process.env.MAILROOM_PW_TRACE
  ? (step) => process.stderr.write(`pw-trace ${step} ${performance.now().toFixed(0)}\n`)
  : () => {};

export { trace as pwTrace };

export async function openDatabase(config, options = {}) {
  if (config.kind === 'postgres' || options.pglite) {
    const real = await import('../../../dist/db/open-database.js');
    return real.openDatabase(config, options);
  }
  trace('openDatabase');
  // early-entry.mjs may have started the thread before the bundle loaded.
  const early = globalThis.__mailroomEarlyPglite;
  const useEarly = early && early.dataDir === config.dataDir;
  if (useEarly) globalThis.__mailroomEarlyPglite = undefined;
  const lock = useEarly ? early.lock : lockDataDir(config.dataDir);
  const client = useEarly ? early.client : openPgliteWorker(`${config.dataDir}/pgdata`, THREAD);
  const db = drizzlePglite(client, { schema });
  let cache = null;
  const ready = (async () => {
    const opened = await client.ready;
    trace(`thread-module-ran ${(opened.startedAt - performance.timeOrigin).toFixed(0)}`);
    trace(`thread-pglite-open ${(opened.openedAt - performance.timeOrigin).toFixed(0)}`);
    trace('pglite-open-seen');
    if ((options.migrate ?? true) && !(await migrationsApplied(client, MIGRATIONS_FOLDER)))
      await migratePglite(drizzlePglite(client, { schema }), { migrationsFolder: MIGRATIONS_FOLDER });
    trace('migrations-checked');
    cache = await openListPageCache(client);
    trace('ready');
  })();
  ready.catch(() => {});
  return {
    db,
    kind: 'pglite',
    ready,
    // The cache answers through the real one once it exists (before: straight from the database).
    listPageCache: {
      get invalidations() {
        return cache?.invalidations ?? 0;
      },
      through: (key, load) => (cache ? cache.through(key, load) : load()),
    },
    async maintain() {
      await client.query('ANALYZE');
    },
    async close() {
      await client.close();
      lock.release();
    },
  };
}

export async function pingDatabase(db) {
  const { sql } = await import('drizzle-orm');
  await db.execute(sql`select 1`);
}
