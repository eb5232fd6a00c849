import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrationsApplied } from './migrations-applied.js';
import { createPglite, MIGRATIONS_FOLDER, openDatabase } from './open-database.js';

const dir = mkdtempSync(join(tmpdir(), 'mailroom-journal-'));
const journalDir = join(dir, 'drizzle');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the start-up migration check (issue 12 item 2)', () => {
  it('says "apply" on an empty database, "done" on a migrated one, and "apply" once a newer migration exists', async () => {
    const migrated = await createPglite();
    expect(await migrationsApplied(migrated, MIGRATIONS_FOLDER)).toBe(false);

    // Migrated the way a start migrates it (the PostgreSQL leg has no PGlite template to borrow).
    const handle = await openDatabase({ kind: 'pglite', dataDir: dir }, { pglite: migrated });
    await handle.close();
    expect(await migrationsApplied(migrated, MIGRATIONS_FOLDER)).toBe(true);

    // A release that adds a migration: its journal entry is newer than anything applied.
    cpSync(MIGRATIONS_FOLDER, journalDir, { recursive: true });
    const journalPath = join(journalDir, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { when: number }[] };
    const last = journal.entries.at(-1)!;
    journal.entries.push({ ...last, when: last.when + 1 });
    writeFileSync(journalPath, JSON.stringify(journal));
    expect(await migrationsApplied(migrated, journalDir)).toBe(false);
    expect(await migrationsApplied(migrated, join(journalDir, 'missing'))).toBe(false);
    await migrated.close();
  });
});
