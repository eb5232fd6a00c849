import { randomUUID } from 'node:crypto';
import { asc, eq, type SQL, sql, TransactionRollbackError } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { outboxFixture } from '../../../test/helpers/outbox-fixture.js';
import { openTestDatabase } from '../../../test/helpers/test-db.js';
import { generateKeyEntry, parseKeyring } from '../../security/keyring.js';
import { createSecretBox } from '../../security/secret-box.js';
import type { DatabaseHandle } from '../database.js';
import { contacts, emailAddresses, outgoingMessages, outgoingRecipients } from '../schema/index.js';
import { type ClaimCaps, createOutboxRepository } from './outbox.repository.js';
import { CLAIM_SQL } from './outbox-claim-sql.js';
import { createOutboxEnqueueRepository } from './outbox-enqueue.repository.js';

const onPglite = !process.env.DATABASE_URL;
const MINUTE = 60_000;

let db: DatabaseHandle;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => db?.close());
// The claim reads across workspaces: each test starts from an empty outbox.
beforeEach(async () => {
  await db.db.delete(outgoingRecipients);
  await db.db.delete(outgoingMessages);
});

async function setup() {
  const fx = outboxFixture({ db: db.db, secretBox: createSecretBox(parseKeyring(generateKeyEntry('k1'))) });
  const workspaceId = await fx.workspace();
  const addressId = await fx.address({ workspaceId, port: 2525, security: 'none' });
  return { fx, workspaceId, addressId, repo: createOutboxRepository(db.db) };
}

const statusOf = async (id: string) =>
  (await db.db.select().from(outgoingMessages).where(eq(outgoingMessages.id, id)))[0]!;

describe('outbox claim (issue 9 item 3, M33, M34)', () => {
  it('an email due exactly now is claimed; one due a millisecond later is not', async () => {
    const { fx, workspaceId, addressId, repo } = await setup();
    const now = new Date(Date.now() - 5 * MINUTE);
    const due = await fx.enqueue({ workspaceId, addressId, to: ['a@example.com'], createdAt: now });
    await fx.enqueue({
      workspaceId,
      addressId,
      to: ['b@example.com'],
      createdAt: new Date(now.getTime() + 1),
    });
    const rows = await repo.claim(10, randomUUID(), now, MINUTE, new Date(now.getTime() - 10 * MINUTE));
    expect(rows.map((r) => r.id)).toEqual([due.id]);
  });

  it('emails of a paused, disconnected or disabled address stay queued; a deleted one is claimed to fail', async () => {
    const { fx, workspaceId, addressId, repo } = await setup();
    const enqueue = (address: string | null) =>
      fx.enqueue({ workspaceId, addressId: address, to: ['a@example.com'] });
    const usable = [await enqueue(addressId), await enqueue(null)];
    for (const set of [
      { health: 'needs_attention' },
      { health: 'needs_reconnect' },
      { active: false },
    ] as const) {
      const held = await fx.address({ workspaceId, port: 2525, security: 'none' });
      await db.db.update(emailAddresses).set(set).where(eq(emailAddresses.id, held));
      await enqueue(held);
    }
    const now = new Date();
    const rows = await repo.claim(10, randomUUID(), now, MINUTE, new Date(now.getTime() - 10 * MINUTE));
    expect(rows.map((r) => r.id).sort()).toEqual(usable.map((u) => u.id).sort());
  });

  it('a batch smaller than the queue takes the emails that have waited longest', async () => {
    const { fx, workspaceId, addressId, repo } = await setup();
    const t0 = Date.now() - 60 * MINUTE;
    const ids: string[] = [];
    // Written newest first, so neither insertion order nor id order gives the answer.
    for (const age of [1, 3, 2, 5, 4]) {
      const at = new Date(t0 - age * MINUTE);
      ids[age] = (await fx.enqueue({ workspaceId, addressId, to: ['a@example.com'], createdAt: at })).id;
    }
    const now = new Date();
    const rows = await repo.claim(2, randomUUID(), now, MINUTE, new Date(now.getTime() - 10 * MINUTE));
    expect(rows.map((r) => r.id).sort()).toEqual([ids[5], ids[4]].sort());
  });

  it('M34 counts what one recipient accepted within its own workspace only', async () => {
    const { fx, workspaceId, addressId, repo } = await setup();
    const other = await fx.workspace('Other company');
    const otherAddress = await fx.address({ workspaceId: other, port: 2525, security: 'none' });
    const now = new Date();
    // Another workspace sent three emails to the same person a minute ago; this one sent one.
    const accepted = async (ws: string, address: string) => {
      const { id } = await fx.enqueue({ workspaceId: ws, addressId: address, to: ['Client@Example.com'] });
      await db.db.update(outgoingMessages).set({ status: 'sent' }).where(eq(outgoingMessages.id, id));
      await db.db
        .update(outgoingRecipients)
        .set({ status: 'accepted', acceptedAt: new Date(now.getTime() - MINUTE) })
        .where(eq(outgoingRecipients.outgoingMessageId, id));
    };
    for (let i = 0; i < 3; i++) await accepted(other, otherAddress);
    await accepted(workspaceId, addressId);
    const next = await fx.enqueue({ workspaceId, addressId, to: ['client@example.com'] });
    const at = new Date();
    const [claimed] = await repo.claim(10, randomUUID(), at, MINUTE, new Date(at.getTime() - 10 * MINUTE));
    expect(claimed!.id).toBe(next.id);
    expect(claimed!.recipients[0]!.recent.count).toBe(1);
  });

  it('each late email is reported once (M33)', async () => {
    const { fx, workspaceId, addressId, repo } = await setup();
    const now = new Date();
    const late = await fx.enqueue({
      workspaceId,
      addressId,
      to: ['a@example.com'],
      createdAt: new Date(now.getTime() - 2 * 60 * MINUTE),
    });
    const hourAgo = new Date(now.getTime() - 60 * MINUTE);
    expect((await repo.takeLate(hourAgo, now)).map((r) => r.id)).toEqual([late.id]);
    expect(await repo.takeLate(hourAgo, new Date(now.getTime() + MINUTE))).toEqual([]);
  });

  it('the Copy in Sent outcome names the workspace: another workspace cannot set it', async () => {
    const { fx, workspaceId, addressId, repo } = await setup();
    const other = await fx.workspace('Other company');
    const { id } = await fx.enqueue({ workspaceId, addressId, to: ['a@example.com'] });
    await repo.setSentCopy(other, id, 'done', null);
    expect((await statusOf(id)).sentCopy).toBeNull();
    await repo.setSentCopy(workspaceId, id, 'done', null);
    expect((await statusOf(id)).sentCopy).toBe('done');
  });

  // Two connections are needed to hold a row lock while claiming: PostgreSQL only.
  if (!onPglite)
    it('skips a row another transaction holds, instead of waiting and claiming it after it was sent', async () => {
      const { fx, workspaceId, addressId, repo } = await setup();
      const a = await fx.enqueue({ workspaceId, addressId, to: ['a@example.com'] });
      const b = await fx.enqueue({ workspaceId, addressId, to: ['b@example.com'] });
      const now = new Date(Date.now() + MINUTE);
      let claimed: string[] | null = null;
      let claim: Promise<void> = Promise.resolve();
      await db.db.transaction(async (tx) => {
        // Another worker holds `a` (its row lock) and is about to record it sent.
        await tx.execute(sql`SELECT id FROM outgoing_messages WHERE id = ${a.id} FOR UPDATE`);
        claim = repo
          .claim(10, randomUUID(), now, MINUTE, new Date(now.getTime() - 10 * MINUTE))
          .then((rows) => {
            claimed = rows.map((r) => r.id);
          });
        // Until the claim has answered, or is waiting for our lock.
        for (;;) {
          if (claimed) break;
          const waiting = await tx.execute(sql`SELECT 1 FROM pg_locks WHERE NOT granted`);
          if ((waiting as unknown as { rows: unknown[] }).rows.length > 0) break;
          await new Promise((r) => setTimeout(r, 10));
        }
        await tx.update(outgoingMessages).set({ status: 'sent' }).where(eq(outgoingMessages.id, a.id));
      });
      await claim;
      expect(claimed).toEqual([b.id]);
      expect((await statusOf(a.id)).status).toBe('sent');
    });

  it('a new email’s thread history leaves out the task’s emails that failed (they never left)', async () => {
    const { fx, workspaceId, addressId } = await setup();
    const [contact] = await db.db.insert(contacts).values({ workspaceId, name: 'Jan' }).returning();
    const sent = await fx.enqueue({ workspaceId, addressId, to: ['jan@example.com'] });
    const failed = await fx.enqueue({ workspaceId, addressId, to: ['jan@example.com'] });
    const [first] = await db.db.select().from(outgoingMessages).where(eq(outgoingMessages.id, sent.id));
    await db.db.update(outgoingMessages).set({ status: 'sent' }).where(eq(outgoingMessages.id, sent.id));
    await db.db
      .update(outgoingMessages)
      .set({ status: 'failed', taskId: first!.taskId })
      .where(eq(outgoingMessages.id, failed.id));
    await db.db.update(outgoingRecipients).set({ contactId: contact!.id });
    const history = await createOutboxEnqueueRepository(db.db).threadOf(workspaceId, first!.taskId!, [
      contact!.id,
    ]);
    expect(history.messageIds).toEqual([sent.messageId]);
  });
});

/** Decision 0008: the claim takes at most `cap` rows per address, less what this process holds. */
const CAP = 32;

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

  it('the claim runs no plan step once per due row, even with statistics older than the backlog', async () => {
    // The bench's state (PGlite has no autovacuum): statistics taken while every row was sent,
    // then one address's backlog queued. The plan then thought the due index held one row and ran
    // the per-address ranking once per due row (1,000 loops, 0.5 s a claim on PGlite).
    const { a, repo } = await bulkAndOther(100, 1);
    await db.db.execute(sql`UPDATE outgoing_messages SET status = 'sent'`);
    await db.db.execute(sql`ANALYZE outgoing_messages`);
    await queueDueCopies(1000, { addressId: a, limit: 1000 });
    const top = await explainClaim(db.db, 'ANALYZE', claimText(100, { cap: CAP, held: [] }));
    const loops = (n: PlanNode): number[] => [n['Actual Loops'], ...(n.Plans ?? []).flatMap(loops)];
    // At most one loop per picked row (2 × the batch), whatever the backlog.
    expect(Math.max(...loops(top))).toBeLessThanOrEqual(200);
    expect(await claim(repo, 100, { cap: CAP, held: [] })).toHaveLength(CAP);
  });

  it('statistics older than a 10-address backlog: the claim says so, and after the refresh costs what an analysed one does', async () => {
    // PGlite has no autovacuum, a bulk send can start any time after the last ANALYZE: the plan
    // then read the due index once per address (5x the analysed claim's buffers here, 5x with
    // 5,000 rows). Autovacuum off so PostgreSQL keeps the stale statistics for the test.
    await db.db.execute(sql`ALTER TABLE outgoing_messages SET (autovacuum_enabled = false)`);
    const fx = outboxFixture({ db: db.db, secretBox: createSecretBox(parseKeyring(generateKeyEntry('k1'))) });
    const workspaceId = await fx.workspace();
    for (let i = 0; i < 10; i++) {
      const addressId = await fx.address({ workspaceId, port: 2525, security: 'none' });
      await fx.enqueue({ workspaceId, addressId, to: ['x@example.com'] });
    }
    await db.db.execute(sql`UPDATE outgoing_messages SET status = 'sent'`);
    await db.db.execute(sql`ANALYZE outgoing_messages`);
    // 2,000 rows, the addresses interleaved in due order (a bulk send to many recipients).
    await queueDueCopies(200);
    const caps: ClaimCaps = { cap: CAP, held: [] };
    const stale = await claimBufferHits(caps);
    const first = await repo().claimBatch(100, randomUUID(), new Date(), MINUTE, new Date(), caps);
    expect(first.rows).toHaveLength(100);
    // What the worker does with that answer (outbox-sender.ts).
    expect(first.statisticsBehind).toBe(true);
    await repo().refreshStatistics();
    // The first read after that claim also marks its rows' old index entries dead: not counted.
    await claimBufferHits(caps);
    const refreshed = await claimBufferHits(caps);
    await db.db.execute(sql`ANALYZE outgoing_messages`);
    const analysed = await claimBufferHits(caps);
    await db.db.execute(sql`ALTER TABLE outgoing_messages RESET (autovacuum_enabled)`);
    expect(stale).toBeGreaterThan(3 * analysed);
    expect(refreshed).toBeLessThanOrEqual(1.5 * analysed);
    // Fresh statistics: the next claim does not ask again.
    expect(
      (await repo().claimBatch(100, randomUUID(), new Date(), MINUTE, new Date(), caps)).statisticsBehind,
    ).toBe(false);
  });
});

const repo = () => createOutboxRepository(db.db);

/**
 * `copies` due copies of every outgoing row (or of one address's, at most `limit`), due an hour
 * ago in the order of the copy: a backlog queued after the last ANALYZE.
 */
async function queueDueCopies(copies: number, only?: { addressId: string; limit: number }) {
  await db.db.execute(sql`
    INSERT INTO outgoing_messages (workspace_id, task_id, comment_id, address_id, message_id,
      subject, mime, size, next_attempt_at)
    SELECT workspace_id, task_id, comment_id, address_id, message_id || '.due' || g, subject,
      mime, size, now() - interval '1 hour' + g * interval '1 millisecond'
    FROM outgoing_messages, generate_series(1, ${copies}::int) g
    ${only ? sql`WHERE address_id = ${only.addressId} LIMIT ${only.limit}` : sql``}`);
}

/** CLAIM_SQL with its parameters written in (EXPLAIN takes none): a claim of `batch` rows now. */
function claimText(batch: number, caps: ClaimCaps): string {
  const now = new Date();
  const held = JSON.stringify(caps.held.map((h) => ({ a: h.addressId, n: h.inFlight, k: h.cap })));
  const values = [now, batch, randomUUID(), new Date(now.getTime() + MINUTE), now, caps.cap, held];
  return CLAIM_SQL.replace(/\$(\d)/g, (_, n: string) => {
    const v = values[Number(n) - 1];
    return typeof v === 'number' ? String(v) : `'${v instanceof Date ? v.toISOString() : v}'`;
  });
}

/** The top plan node of `EXPLAIN (<options>, FORMAT JSON) <text>` (the statement runs). */
async function explainClaim(on: { execute(q: SQL): Promise<unknown> }, options: string, text: string) {
  const result = (await on.execute(sql.raw(`EXPLAIN (${options}, FORMAT JSON) ${text}`))) as {
    rows: Array<Record<string, unknown>>;
  };
  const raw = Object.values(result.rows[0]!)[0];
  const [top] = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Array<{ Plan: PlanNode }>;
  return top!.Plan;
}

/** Buffer hits of one claim as EXPLAIN (ANALYZE, BUFFERS) counts them; the claim is rolled back. */
async function claimBufferHits(caps: ClaimCaps): Promise<number> {
  // A batch of 10: the claim's own writes (about 33 buffers a row) would hide the read side.
  const text = claimText(10, caps);
  let hits = 0;
  await db.db
    .transaction(async (tx) => {
      hits = (await explainClaim(tx, 'ANALYZE, BUFFERS', text))['Shared Hit Blocks'] ?? 0;
      tx.rollback();
    })
    .catch((e: unknown) => {
      if (!(e instanceof TransactionRollbackError)) throw e;
    });
  return hits;
}

interface PlanNode {
  'Actual Loops': number;
  'Shared Hit Blocks'?: number;
  Plans?: PlanNode[];
}
