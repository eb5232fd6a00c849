import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmailAddressRepository } from '../../src/db/repositories/email-address.repository.js';
import { createInboundRepository } from '../../src/db/repositories/inbound.repository.js';
import { createMailboxSyncRepository } from '../../src/db/repositories/mailbox-sync.repository.js';
import { knownKey } from '../../src/services/inbound/ingest-message.js';
import { addressRow } from '../helpers/address-row.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

async function newAddress(extra: Record<string, unknown> = {}) {
  const ws = await t.newWorkspace();
  const row = await createEmailAddressRepository(t.ctx.db).insert(
    addressRow({
      workspaceId: ws.workspaceId,
      scope: 'company',
      email: `in-${randomUUID()}@example.com`,
      ...extra,
    }),
  );
  return { ws: ws.workspaceId, id: row.id };
}

const raw = (n: number) => Buffer.from(`Subject: m${n}\r\n\r\nbody ${n}\r\n`);

describe('inbound repository', () => {
  it('stores once per (address, uid) and once per content hash when the uid is broken', async () => {
    const repo = createInboundRepository(t.ctx.db);
    const a = await newAddress();
    const base = { workspaceId: a.ws, addressId: a.id, protocol: 'pop3' as const, size: 10, raw: raw(1) };
    const first = await repo.store({ ...base, remoteUid: 'U1', contentSha256: 'h1' });
    const again = await repo.store({ ...base, remoteUid: 'U1', contentSha256: 'h1-other' });
    expect(first.inserted).toBe(true);
    expect(again).toEqual({ id: first.id, inserted: false });

    const b1 = await repo.store({ ...base, remoteUid: null, contentSha256: 'h2' });
    const b2 = await repo.store({ ...base, remoteUid: null, contentSha256: 'h2' });
    expect(b1.inserted).toBe(true);
    expect(b2).toEqual({ id: b1.id, inserted: false });
    // Same content under two valid uids: two messages (a mailbox may hold a copy twice).
    expect((await repo.store({ ...base, remoteUid: 'U2', contentSha256: 'h1' })).inserted).toBe(true);
    expect(await repo.countForAddress(a.ws, a.id)).toBe(3);
    expect([...(await repo.existingHashes(a.ws, a.id, ['h1', 'h2', 'h9']))].sort()).toEqual(['h1', 'h2']);

    await repo.recordKnown(a.ws, a.id, [knownKey.uid('OLD'), knownKey.uid('OLD'), knownKey.sha('abc')]);
    const known = await repo.knownIds(a.ws, a.id);
    expect([...known.uids.keys()].sort()).toEqual(['U1', 'U2']);
    expect([...known.keys].sort()).toEqual(['sha256:abc', 'uid:OLD']);

    // Workspace scoping: another workspace sees nothing of it.
    const other = await newAddress();
    expect(await repo.findById(other.ws, first.id)).toBeNull();
    expect((await repo.findById(a.ws, first.id))?.raw.equals(raw(1))).toBe(true);
    const pending = await repo.unprocessed(new Date(Date.now() + 1000), 100);
    expect(pending.map((p) => p.id)).toContain(first.id);
    await repo.update(a.ws, first.id, { status: 'processed', kind: 'unmatched', processedAt: new Date() });
    expect((await repo.unprocessed(new Date(Date.now() + 1000), 100)).map((p) => p.id)).not.toContain(
      first.id,
    );
  });
  it('finds a stored row by its own address when two addresses of a workspace share a server uid', async () => {
    const repo = createInboundRepository(t.ctx.db);
    const a = await newAddress();
    const b = await createEmailAddressRepository(t.ctx.db).insert(
      addressRow({ workspaceId: a.ws, scope: 'company', email: `in-${randomUUID()}@example.com` }),
    );
    const base = { workspaceId: a.ws, protocol: 'imap' as const, remoteUid: '7:1', size: 10, raw: raw(1) };
    const inA = await repo.store({ ...base, addressId: a.id, contentSha256: 'ha' });
    const inB = await repo.store({ ...base, addressId: b.id, contentSha256: 'hb' });
    expect([inA.inserted, inB.inserted]).toEqual([true, true]);
    // Fetched again (a cursor write lost): each address gets back its own row, not the other's.
    expect(await repo.store({ ...base, addressId: a.id, contentSha256: 'ha' })).toEqual({
      id: inA.id,
      inserted: false,
    });
    expect(await repo.store({ ...base, addressId: b.id, contentSha256: 'hb' })).toEqual({
      id: inB.id,
      inserted: false,
    });
  });
});

describe('mailbox sync leases', () => {
  it('lets exactly one claimer hold an address until it releases or the lease expires', async () => {
    const sync = createMailboxSyncRepository(t.ctx.db);
    const a = await newAddress();
    const paused = await newAddress({ health: 'needs_attention' });
    const notCollecting = await newAddress({ collectReplies: false });
    await sync.ensureStates();
    const now = new Date(Date.now() + 1000);
    const one = randomUUID();
    const two = randomUUID();
    const claimedByOne = await sync.claimDue(100, one, now, 60_000);
    const ids = claimedByOne.map((r) => r.addressId);
    expect(ids).toContain(a.id);
    expect(ids).not.toContain(paused.id);
    expect(ids).not.toContain(notCollecting.id);
    expect((await sync.claimDue(100, two, now, 60_000)).map((r) => r.addressId)).not.toContain(a.id);
    expect(await sync.advance(a.id, two, { lastUid: 5 })).toBe(false);
    expect(await sync.advance(a.id, one, { lastUid: 5 })).toBe(true);

    // Expired lease: taken over, and the old holder can no longer write.
    const later = new Date(now.getTime() + 61_000);
    expect((await sync.claimDue(100, two, later, 60_000)).map((r) => r.addressId)).toContain(a.id);
    expect(await sync.release(a.id, one, { nextPollAt: later })).toBe(false);
    expect(await sync.release(a.id, two, { nextPollAt: new Date(later.getTime() + 120_000) })).toBe(true);
    expect((await sync.claimDue(100, one, later, 60_000)).map((r) => r.addressId)).not.toContain(a.id);

    // Check now makes it due again.
    await sync.requestPoll(a.ws, a.id, 'pop3', later);
    expect((await sync.claimDue(100, one, later, 60_000)).map((r) => r.addressId)).toContain(a.id);
    expect((await sync.find(a.ws, a.id))?.lastUid).toBe(5);
    expect(await sync.find(paused.ws, a.id)).toBeNull();
  });

  it('counts a leased address as due when its lease ends, and a held one not at all', async () => {
    // The poller asks nextDue() how long to pause. An IMAP IDLE watcher holds its address's lease
    // past the address's schedule; counted by schedule alone it was "due now" on every pass, and
    // the poller spun without a pause (PGlite statements only: HTTP went unanswered for minutes).
    const sync = createMailboxSyncRepository(t.ctx.db);
    const held = await newAddress();
    await sync.ensureStates();
    // A day ahead, every other test's lease here has ended: the claim takes every address.
    const now = new Date(Date.now() + 86_400_000);
    const later = new Date(now.getTime() + 3_600_000);
    const token = randomUUID();
    for (const row of await sync.claimDue(1000, token, now, 60_000))
      if (row.addressId !== held.id) await sync.release(row.addressId, token, { nextPollAt: later });
    const state = await sync.find(held.ws, held.id);
    expect(state?.leaseToken).toBe(token);
    expect(state?.nextPollAt.getTime()).toBeLessThanOrEqual(now.getTime());

    expect((await sync.nextDue())?.getTime()).toBe(now.getTime() + 60_000);
    expect((await sync.nextDue([held.id]))?.getTime()).toBe(later.getTime());
    await sync.release(held.id, token, {});
    expect((await sync.nextDue())?.getTime()).toBe(state?.nextPollAt.getTime());
  });

  it('keeps an IMAP cursor at the highest UID there is (unsigned 32-bit, past int4)', async () => {
    const sync = createMailboxSyncRepository(t.ctx.db);
    const a = await newAddress();
    await sync.ensureStates();
    const token = randomUUID();
    expect(
      (await sync.claimDue(100, token, new Date(Date.now() + 1000), 60_000)).map((r) => r.addressId),
    ).toContain(a.id);
    expect(await sync.advance(a.id, token, { uidvalidity: '77', lastUid: 4_294_967_295 })).toBe(true);
    expect((await sync.find(a.ws, a.id))?.lastUid).toBe(4_294_967_295);
  });
});
