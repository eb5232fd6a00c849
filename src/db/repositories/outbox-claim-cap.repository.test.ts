import { randomUUID } from 'node:crypto';
import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { outboxFixture } from '../../../test/helpers/outbox-fixture.js';
import { openTestDatabase } from '../../../test/helpers/test-db.js';
import { generateKeyEntry, parseKeyring } from '../../security/keyring.js';
import { createSecretBox } from '../../security/secret-box.js';
import type { DatabaseHandle } from '../database.js';
import { outgoingMessages, outgoingRecipients } from '../schema/index.js';
import { type ClaimCaps, createOutboxRepository } from './outbox.repository.js';

/** Decision 0008: the claim takes at most `cap` rows per address, less what this process holds. */
const MINUTE = 60_000;
const CAP = 32;

let db: DatabaseHandle;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => db?.close());
beforeEach(async () => {
  await db.db.delete(outgoingRecipients);
  await db.db.delete(outgoingMessages);
});

/**
 * Address A with `manyOfA` due emails, all due before any of address B's `fewOfB` (another
 * workspace): a claim in due order alone would take only A's.
 */
async function bulkAndOther(manyOfA: number, fewOfB: number) {
  const fx = outboxFixture({ db: db.db, secretBox: createSecretBox(parseKeyring(generateKeyEntry('k1'))) });
  const wsA = await fx.workspace();
  const wsB = await fx.workspace('Other company');
  const a = await fx.address({ workspaceId: wsA, port: 2525, security: 'none' });
  const b = await fx.address({ workspaceId: wsB, port: 2525, security: 'none' });
  const t0 = new Date(Date.now() - 10 * MINUTE);
  const copies = async (addressId: string, workspaceId: string, n: number, from: Date) => {
    const first = await fx.enqueue({ workspaceId, addressId, to: ['x@example.com'], createdAt: from });
    // The rest as copies of the first row (one statement), each a millisecond later.
    await db.db.execute(sql`
      INSERT INTO outgoing_messages (workspace_id, task_id, comment_id, address_id, message_id,
        subject, mime, size, next_attempt_at)
      SELECT workspace_id, task_id, comment_id, address_id, message_id || '.' || g, subject, mime,
        size, next_attempt_at + g * interval '1 millisecond'
      FROM outgoing_messages, generate_series(1, ${n - 1}::int) g WHERE id = ${first.id}`);
  };
  await copies(a, wsA, manyOfA, t0);
  await copies(b, wsB, fewOfB, new Date(t0.getTime() + MINUTE));
  return { a, b, repo: createOutboxRepository(db.db) };
}

const claim = (repo: ReturnType<typeof createOutboxRepository>, limit: number, caps?: ClaimCaps) => {
  const now = new Date();
  return repo.claim(limit, randomUUID(), now, MINUTE, new Date(now.getTime() - 10 * MINUTE), caps);
};

const countBy = (rows: Array<{ addressId: string | null }>, address: string) =>
  rows.filter((r) => r.addressId === address).length;

describe('outbox claim: per-address cap (decision 0008)', () => {
  it('500 due emails of one address and 5 of another: one claim takes the other’s five', async () => {
    const { a, b, repo } = await bulkAndOther(500, 5);
    const rows = await claim(repo, 100, { cap: CAP, held: [] });
    expect(countBy(rows, b)).toBe(5);
    expect(countBy(rows, a)).toBe(CAP);
    // Without a cap (the claim before decision 0008's change) the batch is all A's.
    const uncapped = await claim(repo, 100);
    expect(countBy(uncapped, a)).toBe(100);
  });

  it('what this process already holds of an address counts against its cap; another address keeps its own', async () => {
    const { a, b, repo } = await bulkAndOther(200, 5);
    const held = (inFlight: number, cap = CAP): ClaimCaps => ({
      cap: CAP,
      held: [{ addressId: a, inFlight, cap }],
    });
    expect(countBy(await claim(repo, 100, held(30)), a)).toBe(2);
    expect(await claim(repo, 100, held(CAP))).toEqual([]);
    // B's five went in the first claim; A's own cap, larger than the default, is used.
    const rows = await claim(repo, 100, held(10, 60));
    expect(countBy(rows, a)).toBe(50);
    expect(countBy(rows, b)).toBe(0);
  });

  it('the batch keeps due order within the cap: an address’s longest-waiting emails first', async () => {
    const { a, repo } = await bulkAndOther(50, 1);
    const rows = await claim(repo, 100, { cap: 5, held: [] });
    const ids = rows.filter((r) => r.addressId === a).map((r) => r.id);
    const oldest = await db.db
      .select({ id: outgoingMessages.id })
      .from(outgoingMessages)
      .where(eq(outgoingMessages.addressId, a))
      .orderBy(asc(outgoingMessages.nextAttemptAt))
      .limit(5);
    expect(ids.sort()).toEqual(oldest.map((r) => r.id).sort());
  });

  it('claimers racing each other never take the same row, and none takes more than its cap', async () => {
    const { a, b, repo } = await bulkAndOther(300, 5);
    const seen = new Set<string>();
    const byAddress = new Map<string | null, number>();
    const claimedOf = (address: string) => byAddress.get(address) ?? 0;
    for (let round = 0; round < 4; round++) {
      // Separate pool connections on PostgreSQL; on PGlite the statements queue on its one.
      const claims = await Promise.all([1, 2, 3].map(() => claim(repo, 100, { cap: CAP, held: [] })));
      for (const rows of claims) {
        expect(countBy(rows, a)).toBeLessThanOrEqual(CAP);
        for (const r of rows) {
          expect(seen.has(r.id)).toBe(false);
          seen.add(r.id);
          byAddress.set(r.addressId, (byAddress.get(r.addressId) ?? 0) + 1);
        }
      }
    }
    // Every row claimed is `sending` under the lease its one claimer was told.
    const sending = await db.db
      .select({ id: outgoingMessages.id })
      .from(outgoingMessages)
      .where(eq(outgoingMessages.status, 'sending'));
    expect(sending.map((r) => r.id).sort()).toEqual([...seen].sort());
    expect(claimedOf(b)).toBe(5);
  });
});
