import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { migrationsApplied } from './migrations-applied.js';
import { createPglite, MIGRATIONS_FOLDER } from './open-database.js';

const dir = mkdtempSync(join(tmpdir(), 'mailroom-journal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the start-up migration check (issue 12 item 2)', () => {
  it('says "apply" on an empty database, "done" on a migrated one, and "apply" once a newer migration exists', async () => {
    const empty = await createPglite();
    expect(await migrationsApplied(empty, MIGRATIONS_FOLDER)).toBe(false);
    await empty.close();

    const migrated = await createPglite({ loadDataDir: new Blob([readFileSync(inject('pgliteTemplate'))]) });
    expect(await migrationsApplied(migrated, MIGRATIONS_FOLDER)).toBe(true);

    // A release that adds a migration: its journal entry is newer than anything applied.
    cpSync(MIGRATIONS_FOLDER, dir, { recursive: true });
    const journalPath = join(dir, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { when: number }[] };
    const last = journal.entries.at(-1)!;
    journal.entries.push({ ...last, when: last.when + 1 });
    writeFileSync(journalPath, JSON.stringify(journal));
    expect(await migrationsApplied(migrated, dir)).toBe(false);
    expect(await migrationsApplied(migrated, join(dir, 'missing'))).toBe(false);
    await migrated.close();
  });
});
