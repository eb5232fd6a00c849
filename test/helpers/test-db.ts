import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import type { DatabaseHandle } from '../../src/db/database.js';
import { createPglite, openDatabase } from '../../src/db/open-database.js';

/**
 * A fresh, migrated database for one test file: PGlite loaded from the run's template, or a
 * PostgreSQL database cloned from the template when DATABASE_URL is set (CI's second leg).
 */
export async function openTestDatabase(): Promise<DatabaseHandle> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const template = inject('postgresTemplate');
    const name = `mailroom_t_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    const dbUrl = new URL(url);
    dbUrl.pathname = `/${name}`;
    const handle = await openDatabase(
      { kind: 'postgres', url: dbUrl.toString(), poolSize: 4 },
      { migrate: false },
    );
    return {
      ...handle,
      async close() {
        await handle.close();
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
        await admin.end();
      },
    };
  }
  const tar = readFileSync(inject('pgliteTemplate'));
  const client = await createPglite({ loadDataDir: new Blob([tar]) });
  const handle = await openDatabase({ kind: 'pglite', dataDir: '' }, { pglite: client, migrate: false });
  return {
    ...handle,
    async close() {
      await client.close();
    },
  };
}
