import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';

/**
 * Whether the newest migration in `<folder>/meta/_journal.json` is already applied: one query
 * instead of drizzle's migrator, which reads and hashes every migration file and runs its
 * schema statements on each start (~0.1 s of CPU on PGlite, issue 12 item 2). Same rule as the
 * migrator: it applies the migrations whose `when` is after the newest `created_at` recorded.
 * Anything unexpected (no table yet, an unreadable journal) answers false: migrate as before.
 * The journal (a few kB) is read synchronously: this runs right after PGlite's start, while
 * V8 compiles PGlite's hot WebAssembly functions on its worker threads, and on a busy machine
 * an asynchronous read (four thread-pool hops) waited 0.3–1 s there (decision 0012).
 */
export async function migrationsApplied(client: PGlite, folder: string): Promise<boolean> {
  try {
    const journal = JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8')) as {
      entries: { when: number }[];
    };
    const newest = Math.max(...journal.entries.map((e) => e.when));
    const { rows } = await client.query<{ applied: string | number | null }>(
      'SELECT max(created_at) AS applied FROM drizzle.__drizzle_migrations',
    );
    return Number.isFinite(newest) && Number(rows[0]?.applied ?? 0) >= newest;
  } catch {
    return false;
  }
}
