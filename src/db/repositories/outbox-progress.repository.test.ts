import { randomUUID } from 'node:crypto';
import { eq, type SQL, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxFixture } from '../../../test/helpers/outbox-fixture.js';
import { openTestDatabase } from '../../../test/helpers/test-db.js';
import { generateKeyEntry, parseKeyring } from '../../security/keyring.js';
import { createSecretBox } from '../../security/secret-box.js';
import type { DatabaseHandle } from '../database.js';
import { outgoingMessages, outgoingRecipients } from '../schema/index.js';
import { createOutboxRepository } from './outbox.repository.js';

let db: DatabaseHandle;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => db?.close());

/** Two claimed emails of one workspace (both `sending` under one lease). */
async function claimed() {
  const fx = outboxFixture({ db: db.db, secretBox: createSecretBox(parseKeyring(generateKeyEntry('k1'))) });
  const workspaceId = await fx.workspace();
  const addressId = await fx.address({ workspaceId, port: 2525, security: 'none' });
  await fx.enqueue({ workspaceId, addressId, to: ['a@example.com'] });
  await fx.enqueue({ workspaceId, addressId, to: ['b@example.com'] });
  const repo = createOutboxRepository(db.db);
  const lease = randomUUID();
  const now = new Date();
  const rows = await repo.claim(10, lease, now, 60_000, new Date(now.getTime() - 600_000));
  expect(rows).toHaveLength(2);
  return { repo, rows, lease };
}

const rowsOf = async (q: SQL) => ((await db.db.execute(q)) as unknown as { rows: Array<{ o: string }> }).rows;

const stateOf = async (id: string) => {
  const [m] = await db.db.select().from(outgoingMessages).where(eq(outgoingMessages.id, id));
  const r = await db.db.select().from(outgoingRecipients).where(eq(outgoingRecipients.outgoingMessageId, id));
  return { status: m!.status, transmittingAt: m!.transmittingAt, recipients: r.map((x) => x.status) };
};

describe('outbox per-email writes (decision 0017)', () => {
  it('markTransmitting marks only rows still held under their lease', async () => {
    const { repo, rows, lease } = await claimed();
    const [a, b] = rows;
    const ok = await repo.markTransmitting(
      [
        { id: a!.id, lease },
        { id: b!.id, lease: randomUUID() },
      ],
      new Date(),
    );
    expect(ok).toEqual([true, false]);
    expect((await stateOf(a!.id)).transmittingAt).not.toBeNull();
    expect((await stateOf(b!.id)).transmittingAt).toBeNull();
  });

  it('an outcome from a worker that lost its lease changes neither the email nor its recipients', async () => {
    const { repo, rows, lease } = await claimed();
    const a = rows[0]!;
    const verdict = { id: a.recipients[0]!.id, status: 'rejected' as const };
    const stale = await repo.recordOutcome(a.id, randomUUID(), {
      status: 'failed',
      at: new Date(),
      recipients: [verdict],
    });
    expect(stale).toBe(false);
    expect(await stateOf(a.id)).toMatchObject({ status: 'sending', recipients: ['pending'] });
    expect(
      await repo.recordOutcome(a.id, lease, { status: 'failed', at: new Date(), recipients: [verdict] }),
    ).toBe(true);
    expect(await stateOf(a.id)).toMatchObject({ status: 'failed', recipients: ['rejected'] });
  });

  it('a lazily committed write takes `sent` outcomes only: a transmitting mark is always durable', async () => {
    const { repo, rows, lease } = await claimed();
    const [a, b] = rows;
    await expect(
      repo.recordProgress([{ id: a!.id, lease }], [], new Date(), { lazyCommit: true }),
    ).rejects.toThrow(/durably/);
    expect((await stateOf(a!.id)).transmittingAt).toBeNull();

    expect(await repo.markTransmitting([{ id: b!.id, lease }], new Date())).toEqual([true]);
    const r = await repo.recordProgress(
      [],
      [{ id: b!.id, lease, reply: '250 2.0.0 queued as X1', queueId: 'X1', sentCopy: null }],
      new Date(),
      { lazyCommit: true },
    );
    expect(r).toEqual({ transmitting: [], sent: [true] });
    expect(await stateOf(b!.id)).toMatchObject({ status: 'sent', recipients: ['accepted'] });
    // The lazy setting lasted for that statement's transaction only.
    expect(await rowsOf(sql`SELECT current_setting('synchronous_commit') AS o`)).toEqual([{ o: 'on' }]);
  });

  // Registered only on PGlite (one session, so its prepared statements are visible here; on
  // PostgreSQL each pooled connection keeps its own).
  if (!process.env.DATABASE_URL)
    it('the claim and the per-email writes are named statements, parsed once, values bound', async () => {
      const { repo, rows, lease } = await claimed();
      await repo.markTransmitting([{ id: rows[0]!.id, lease }], new Date());
      const prepared = await rowsOf(
        sql`SELECT name || ' ' || statement AS o FROM pg_prepared_statements WHERE name LIKE 'outbox_%' ORDER BY name`,
      );
      expect(prepared.map((p) => p.o.split(' ')[0])).toEqual(
        expect.arrayContaining(['outbox_claim', 'outbox_mark']),
      );
      for (const p of prepared) {
        expect(p.o).toContain('$2');
        expect(p.o).not.toContain(lease);
      }
    });

  it('outgoing_messages keeps free room on its pages for the HOT transmitting mark (migration 0016)', async () => {
    const rows = await rowsOf(
      sql`SELECT array_to_string(reloptions, ',') AS o FROM pg_class WHERE relname = 'outgoing_messages'`,
    );
    expect(rows[0]?.o).toContain('fillfactor=60');
  });
});
