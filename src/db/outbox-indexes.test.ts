import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxFixture } from '../../test/helpers/outbox-fixture.js';
import { openTestDatabase } from '../../test/helpers/test-db.js';
import { generateKeyEntry, parseKeyring } from '../security/keyring.js';
import { createSecretBox } from '../security/secret-box.js';
import type { DatabaseHandle, Db } from './database.js';
import { createPglite, MIGRATIONS_FOLDER } from './open-database.js';
import * as schema from './schema/index.js';
import { outgoingMessages } from './schema/index.js';
import { violatedUniqueIndex } from './unique-violation.js';

const onPglite = !process.env.DATABASE_URL;
const secretBox = createSecretBox(parseKeyring(generateKeyEntry('k1')));

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await openTestDatabase();
});
afterAll(async () => handle?.close());

/** One queued email; returns a function that inserts a copy of it (same Message-ID). */
async function original(db: Db) {
  const fx = outboxFixture({ db, secretBox });
  const workspaceId = await fx.workspace();
  const addressId = await fx.address({ workspaceId, port: 2525, security: 'none' });
  const { id, messageId } = await fx.enqueue({ workspaceId, addressId, to: ['a@example.com'] });
  const [row] = await db.select().from(outgoingMessages).where(eq(outgoingMessages.id, id));
  const copy = (resendOfId: string | null, otherMessageId?: string) =>
    db
      .insert(outgoingMessages)
      .values({
        workspaceId,
        taskId: row!.taskId,
        commentId: row!.commentId,
        messageId: otherMessageId ?? messageId,
        resendOfId,
      })
      .returning({ id: outgoingMessages.id })
      .then((r) => r[0]!.id);
  const violation = (resendOfId: string | null, otherMessageId?: string) =>
    copy(resendOfId, otherMessageId).then(
      () => 'inserted',
      (e: unknown) => violatedUniqueIndex(e),
    );
  return { id, messageId, copy, violation };
}

/** The Message-ID rules across "send again", whichever indexes enforce them. */
async function expectMessageIdRules(db: Db) {
  const o = await original(db);
  // Unique among originals.
  expect(await o.violation(null)).toBe('outgoing_messages_message_resend_uq');
  // A resend keeps the Message-ID; at most one resend per email.
  const resend = await o.copy(o.id);
  expect(await o.violation(o.id)).toMatch(/^outgoing_messages_(message_)?resend(_of)?_uq$/);
  expect(await o.violation(o.id, '<other@firma.example>')).toBe('outgoing_messages_resend_of_uq');
  // A resend of the resend is another email with the same Message-ID.
  await o.copy(resend);
  const same = await db.select().from(outgoingMessages).where(eq(outgoingMessages.messageId, o.messageId));
  expect(same).toHaveLength(3);
}

describe('outgoing_messages indexes (decision 0017, index diet; migration 0018)', () => {
  it('keeps the Message-ID rules: unique among originals, one resend per email, resends share it', async () => {
    await expectMessageIdRules(handle.db);
  });

  it('ordinary emails add no entry to the resend index, and Message-ID lookups have one index', async () => {
    const r = await handle.db.execute(
      sql`SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'outgoing_messages' ORDER BY indexname`,
    );
    const defs = (r as unknown as { rows: Array<{ indexname: string; indexdef: string }> }).rows;
    const def = (name: string) => defs.find((d) => d.indexname === name)?.indexdef;
    expect(def('outgoing_messages_resend_of_uq')).toMatch(/WHERE \(resend_of_id IS NOT NULL\)/);
    expect(def('outgoing_messages_message_resend_uq')).toMatch(/\(message_id, COALESCE\(resend_of_id, /);
    expect(defs.filter((d) => /\(message_id\b/.test(d.indexdef))).toHaveLength(1);
    // Nine after decision 0017's diet, plus the claim's per-address index (decision 0008).
    expect(def('outgoing_messages_address_due_idx')).toMatch(/\(address_id, next_attempt_at\) WHERE/);
    expect(defs).toHaveLength(10);
  });

  // The migration on a database with emails in it (PGlite: a fresh instance migrated in two steps).
  if (onPglite)
    it('migrates a database that already has originals and resends', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'mailroom-0018-'));
      const client = await createPglite();
      try {
        const before = join(dir, 'drizzle');
        cpSync(MIGRATIONS_FOLDER, before, { recursive: true });
        const journalPath = join(before, 'meta', '_journal.json');
        const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
        journal.entries = journal.entries.filter((e) => e.tag < '0018');
        writeFileSync(journalPath, JSON.stringify(journal));
        const db = drizzle(client, { schema }) as unknown as Db;
        await migrate(drizzle(client, { schema }), { migrationsFolder: before });
        const o = await original(db);
        const resend = await o.copy(o.id);
        await migrate(drizzle(client, { schema }), { migrationsFolder: MIGRATIONS_FOLDER });
        const rows = await db
          .select()
          .from(outgoingMessages)
          .where(eq(outgoingMessages.messageId, o.messageId));
        expect(rows.map((x) => x.id).sort()).toEqual([o.id, resend].sort());
        expect(await o.violation(null)).toBe('outgoing_messages_message_resend_uq');
        expect(await o.violation(o.id, '<other@firma.example>')).toBe('outgoing_messages_resend_of_uq');
      } finally {
        await client.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
});
