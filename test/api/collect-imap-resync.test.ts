import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEmailAddressRepository } from '../../src/db/repositories/email-address.repository.js';
import { collectImap } from '../../src/services/inbound/collect-imap.js';
import { type CollectBudget, DEFAULT_COLLECT_BUDGET } from '../../src/services/inbound/collect-pop3.js';
import { readRawFacts } from '../../src/services/inbound/ingest-message.js';
import { newCollectTarget } from '../helpers/collect-target.js';
import { pollOnce, pop3Address, retire, storedRows } from '../helpers/ingest-fixtures.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { openFakeImapSession } from '../servers/imap-fake-session.js';
import { largeMailbox, largeMessage } from '../servers/imap-large-mailbox.js';
import { fakeImap, IMAP_PASSWORD } from '../servers/imap-script-server.js';
import { createLoopbackResolver } from '../servers/loopback-resolver.js';
import { type RawSmtpServer, startRawSmtpServer } from '../servers/smtp-raw-server.js';

/**
 * The re-sync after a UIDVALIDITY change (77 now, 76 stored) over several polls: what one poll
 * stored, set aside or found to be a duplicate is never fetched again by the next, so a message
 * that lies about its size costs one failed poll, and a re-sync larger than a poll's budget ends.
 */
let t: TestApp;
const servers: RawSmtpServer[] = [];
beforeAll(async () => {
  t = await createTestApp({}, { resolver: createLoopbackResolver() });
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  await t.close();
});

const KIB = 1024;
const START = new Date('2026-11-01T00:00:00Z');
const minute = (seq: number) => new Date(START.getTime() + seq * 60_000);

async function setup() {
  const { inbound, target } = await newCollectTarget(t);
  // Last good poll an hour after message 1 arrived: the re-sync looks at messages 1..count.
  const state = {
    uidvalidity: '76',
    lastUid: 5,
    lastSuccessAt: new Date(minute(1).getTime() + 60 * 60_000),
    initializedAt: new Date(0),
  };
  return { inbound, target, state };
}

async function poll(
  box: ReturnType<typeof largeMailbox>,
  s: Awaited<ReturnType<typeof setup>>,
  budget: Partial<CollectBudget>,
  maxListed?: number,
) {
  const session = await openFakeImapSession(servers, box.extra, maxListed);
  try {
    const deps = { inbound: s.inbound, now: () => new Date(), checkpoint: async () => {} };
    const full = { ...DEFAULT_COLLECT_BUDGET, deadline: Date.now() + 60_000, ...budget };
    const r = await collectImap(session, s.state, s.target, deps, full);
    await session.close();
    return r;
  } catch (err) {
    session.abort();
    throw err;
  }
}

describe('IMAP re-sync over several polls', () => {
  it('a lying message is set aside once by its new UID; the next re-sync poll never fetches it (nor anything) again', async () => {
    const s = await setup();
    // UID 2 was stored before the change (old validity): a duplicate by content.
    const old = Buffer.from(largeMessage(2));
    await s.inbound.store({
      ...s.target,
      protocol: 'imap',
      remoteUid: '76:2',
      contentSha256: readRawFacts(old).sha256,
      raw: old,
      size: old.length,
      receivedAt: new Date(),
    });
    const lying = (uid: number) =>
      uid === 5 ? `${largeMessage(5)}${'A'.repeat(200 * KIB)}\r\n` : largeMessage(uid);
    const box = largeMailbox(30, START, (seq) => seq, undefined, lying);
    // The byte budget runs out at the lying message (its 200 KiB count): the re-sync is cut there.
    const budget = { maxBytes: 150 * KIB, batchMessages: 5 };
    const first = await poll(box, s, budget).catch((e: unknown) => e);
    expect(first).toMatchObject({
      failure: { kind: 'limit', step: 'fetch' },
      cursor: { lastSuccessAt: s.state.lastSuccessAt },
    });
    expect(box.seen.bodies).toContain(5);
    const second = await poll(box, s, budget);
    expect(second.cursor).toEqual({ uidvalidity: '77', lastUid: 30 });
    expect(second.outcome.more).toBe(false);
    // Every body fetched once over both polls, the lying one included.
    expect(box.seen.bodies.filter((u) => u === 5)).toEqual([5]);
    expect(new Set(box.seen.bodies).size).toBe(box.seen.bodies.length);
    expect(box.seen.bodies.sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const ids = Array.from({ length: 30 }, (_, i) => `77:${i + 1}`);
    const rows = await s.inbound.heldAmong(s.target.workspaceId, s.target.addressId, ids, []);
    // All but the duplicate (UID 2, stored as 76:2) under the new validity, UID 5 as set aside.
    expect(rows.size).toBe(29);
    expect(rows.has('77:2')).toBe(false);
  });

  it('a re-sync of more recent messages than the listing cap pages through them in later polls', async () => {
    const s = await setup();
    const box = largeMailbox(25, START, (seq) => seq);
    // Cap 10: before paging, the listing was refused on every poll.
    const polls = [];
    for (let p = 0; p < 6; p++) {
      const r = await poll(box, s, { maxMessages: 10 }, 10);
      polls.push(r.outcome.storedIds.length);
      if (!r.outcome.more) {
        expect(r.cursor).toEqual({ uidvalidity: '77', lastUid: 25 });
        break;
      }
      // Unfinished: the re-sync's moment stays (the poller writes this lastSuccessAt back).
      expect(r.cursor).toEqual({ lastSuccessAt: s.state.lastSuccessAt });
    }
    expect(polls).toEqual([10, 10, 5]);
    expect(new Set(box.seen.bodies).size).toBe(25);
    expect(box.seen.bodies).toHaveLength(25);
  });

  // Through the poller: the unfinished re-sync keeps the last good poll's time, so the second
  // poll takes the rest from the same moment instead of from an hour ago (which skipped them).
  it('a re-sync of more than one poll collects every recent message', async () => {
    const ws = (await t.newWorkspace()).workspaceId;
    const start = new Date('2026-11-01T00:00:00Z');
    const box = largeMailbox(2_500, start, (seq) => seq);
    const server = await startRawSmtpServer(fakeImap({ extra: box.extra }));
    servers.push(server);
    const id = await pop3Address(t.ctx, ws, server.port, { incomingProtocol: 'imap', login: 'alice' });
    await createEmailAddressRepository(t.ctx.db).update(ws, id, {
      passwordEnc: t.ctx.secretBox.encrypt(IMAP_PASSWORD, { workspaceId: ws, rowId: id, field: 'password' }),
    });
    await pollOnce(t.ctx, ws, id); // the first sync
    // As if UIDVALIDITY changed after a good poll an hour after message 1 arrived.
    const lastGood = new Date(start.getTime() + 61 * 60_000);
    await t.ctx.db.execute(
      sql`UPDATE mailbox_sync_state SET uidvalidity = '76', last_success_at = ${lastGood.toISOString()}, initialized_at = ${new Date(0).toISOString()} WHERE address_id = ${id}`,
    );
    await pollOnce(t.ctx, ws, id);
    expect(await storedRows(t.ctx, id)).toHaveLength(2_000);
    expect((await t.ctx.ingest.sync.find(ws, id))?.lastSuccessAt?.getTime()).toBe(lastGood.getTime());
    await pollOnce(t.ctx, ws, id);
    expect(await storedRows(t.ctx, id)).toHaveLength(2_500);
    expect(await t.ctx.ingest.sync.find(ws, id)).toMatchObject({ uidvalidity: '77', lastUid: 2_500 });
    await retire(t.ctx, id);
  });
});
