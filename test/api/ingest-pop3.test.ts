import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmailAddressRepository } from '../../src/db/repositories/email-address.repository.js';
import { testEmails } from '../../src/db/schema/index.js';
import type { InboundProcessor } from '../../src/ports/inbound-processor.js';
import {
  mail,
  POP_PASS,
  POP_USER,
  pollOnce,
  pop3Address,
  retire,
  storedRows,
} from '../helpers/ingest-fixtures.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { createLoopbackResolver } from '../servers/loopback-resolver.js';
import { Pop3FakeServer } from '../servers/pop3-fake-server.js';
import type { Responder } from '../servers/pop3-fake-session.js';

let t: TestApp;
let ws: string;
const processed: string[] = [];
const processor: InboundProcessor = {
  async process(_ws, id) {
    processed.push(id);
  },
};

beforeAll(async () => {
  t = await createTestApp({}, { resolver: createLoopbackResolver() });
  ws = (await t.newWorkspace()).workspaceId;
  t.ctx.ingest.attachProcessor(processor);
});
afterAll(async () => {
  await t.close();
});

const fake = (opts: Parameters<typeof Pop3FakeServer.start>[0] = {}) =>
  Pop3FakeServer.start({ user: POP_USER, pass: POP_PASS, ...opts });
const verbs = (f: Pop3FakeServer) => f.commandLines().map((l) => l.split(' ')[0]);

describe('POP3 collection (M37)', () => {
  it('records what is there on the first sync, then imports each new message once, leaving it on the server', async () => {
    const f = await fake({ messages: [mail(1), mail(2)] });
    const id = await pop3Address(t.ctx, ws, f.port);
    await pollOnce(t.ctx, ws, id);
    expect(await storedRows(t.ctx, id)).toEqual([]);
    expect(verbs(f)).not.toContain('RETR');

    const third = mail(3);
    f.messages.push({ raw: third, uid: 'uid-3' });
    await pollOnce(t.ctx, ws, id);
    await pollOnce(t.ctx, ws, id);
    const rows = await storedRows(t.ctx, id);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.raw.equals(third)).toBe(true);
    expect(rows[0]?.remoteUid).toBe('uid-3');
    expect(rows[0]?.status).toBe('stored');
    expect(rows[0]?.messageIdHeader).toMatch(/^<m3\./);
    expect(processed).toContain(rows[0]?.id);
    // Leave on server (the default): never DELE, all three still there; RETR only of the new one.
    expect(verbs(f)).not.toContain('DELE');
    expect(f.messages).toHaveLength(3);
    expect(verbs(f).filter((v) => v === 'RETR')).toHaveLength(1);
    const sync = await t.ctx.ingest.sync.find(ws, id);
    expect(sync?.initializedAt).not.toBeNull();
    expect(sync?.leaseToken).toBeNull();
    await retire(t.ctx, id);
    await f.close();
  });

  it('stores before QUIT: a Gmail-like server that hides fetched mail after QUIT loses nothing, even when a store fails', async () => {
    const f = await fake({ hideRetrievedAfterQuit: true });
    const id = await pop3Address(t.ctx, ws, f.port);
    await pollOnce(t.ctx, ws, id);
    const a = mail('g1');
    f.messages.push({ raw: a, uid: 'g1' });

    // The store fails: the session must end without QUIT, so the server still shows the message.
    const inbound = t.ctx.ingest.inbound;
    const realStore = inbound.store;
    const realStoreMany = inbound.storeMany;
    const diskFull = async () => {
      throw new Error('disk full');
    };
    inbound.store = diskFull;
    inbound.storeMany = diskFull;
    try {
      await pollOnce(t.ctx, ws, id);
    } finally {
      inbound.store = realStore;
      inbound.storeMany = realStoreMany;
    }
    expect(await storedRows(t.ctx, id)).toEqual([]);
    expect(f.messages.map((m) => m.uid)).toEqual(['g1']);
    expect(f.connections.at(-1)?.commands.map((c) => c.line)).not.toContain('QUIT');

    await pollOnce(t.ctx, ws, id);
    const rows = await storedRows(t.ctx, id);
    expect(rows.map((r) => r.raw.equals(a))).toEqual([true]);
    expect(f.messages).toEqual([]); // hidden after the clean QUIT, but already stored
    await retire(t.ctx, id);
    await f.close();
  });

  it('deletes only when the address says so, and only after the store', async () => {
    const f = await fake();
    const id = await pop3Address(t.ctx, ws, f.port, { leaveOnServer: false });
    await pollOnce(t.ctx, ws, id);
    f.messages.push({ raw: mail('d1'), uid: 'd1' }, { raw: mail('d2'), uid: 'd2' });
    await pollOnce(t.ctx, ws, id);
    expect((await storedRows(t.ctx, id)).map((r) => r.remoteUid).sort()).toEqual(['d1', 'd2']);
    expect(f.messages).toEqual([]);
    const last = f.connections.at(-1)!.commands.map((c) => c.line.split(' ')[0]);
    expect(last.indexOf('DELE')).toBeGreaterThan(last.indexOf('RETR'));
    await retire(t.ctx, id);
    await f.close();
  });

  it('records our own test emails without processing them; a forged marker is stored and processed', async () => {
    const f = await fake();
    const id = await pop3Address(t.ctx, ws, f.port);
    const other = await pop3Address(t.ctx, ws, f.port);
    await retire(t.ctx, other);
    await pollOnce(t.ctx, ws, id);
    const testOf = async (addressId: string, createdAt = new Date()) => {
      const values = { workspaceId: ws, addressId, status: 'arrived' as const, messageId: '<t@x>' };
      const [row] = await t.ctx.db
        .insert(testEmails)
        .values({ ...values, deadlineAt: createdAt, createdAt })
        .returning();
      return row!.id;
    };
    // X-Mailroom-Test is anybody's to write: only a recent test email of this address is ours.
    const cases = {
      real: await testOf(id),
      random: randomUUID(),
      notAnId: '1',
      otherAddress: await testOf(other),
      lastWeek: await testOf(id, new Date(Date.now() - 8 * 24 * 3600_000)),
    };
    for (const [uid, value] of Object.entries(cases))
      f.messages.push({ raw: mail(uid, `X-Mailroom-Test: ${value}\r\n`), uid });
    const before = processed.length;
    await pollOnce(t.ctx, ws, id);
    const rows = await storedRows(t.ctx, id);
    expect(Object.fromEntries(rows.map((r) => [r.remoteUid, [r.status, r.kind]]))).toEqual({
      real: ['processed', 'test'],
      random: ['stored', null],
      notAnId: ['stored', null],
      otherAddress: ['stored', null],
      lastWeek: ['stored', null],
    });
    const forged = rows.filter((r) => r.remoteUid !== 'real').map((r) => r.id);
    expect(processed.slice(before).sort()).toEqual(forged.sort());
    await retire(t.ctx, id);
    await f.close();
  });

  it('falls back to a content hash when UIDL is missing or ids repeat: no double ingestion', async () => {
    const f = await fake({ noUidl: true, messages: [mail('old')] });
    const id = await pop3Address(t.ctx, ws, f.port);
    await pollOnce(t.ctx, ws, id);
    f.messages.push({ raw: mail('n1') });
    await pollOnce(t.ctx, ws, id);
    await pollOnce(t.ctx, ws, id);
    let rows = await storedRows(t.ctx, id);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.remoteUid).toBeNull();
    expect(rows[0]?.raw.toString()).toContain('Odp n1');
    await retire(t.ctx, id);
    await f.close();

    // Duplicate and over-long ids in one listing.
    const g = await fake({
      messages: [
        { raw: mail('x0'), uid: 'same' },
        { raw: mail('x00'), uid: 'same' },
      ],
    });
    const id2 = await pop3Address(t.ctx, ws, g.port);
    await pollOnce(t.ctx, ws, id2);
    g.messages.push({ raw: mail('x1'), uid: 'same' }, { raw: mail('x2'), uid: 'L'.repeat(200) });
    await pollOnce(t.ctx, ws, id2);
    await pollOnce(t.ctx, ws, id2);
    rows = await storedRows(t.ctx, id2);
    expect(rows.map((r) => r.raw.toString().match(/Odp (\w+)/)?.[1]).sort()).toEqual(['x1', 'x2']);
    expect(rows.every((r) => r.remoteUid === null)).toBe(true);
    await retire(t.ctx, id2);
    await g.close();
  });

  it('never fetches a message whose LIST size is over the cap; records it as unreadable once', async () => {
    const f = await fake();
    const id = await pop3Address(t.ctx, ws, f.port);
    await pollOnce(t.ctx, ws, id);
    f.messages.push(
      { raw: mail('big'), uid: 'big', listSize: 2 * 1024 ** 3 },
      { raw: mail('ok'), uid: 'ok' },
    );
    await pollOnce(t.ctx, ws, id);
    await pollOnce(t.ctx, ws, id);
    const rows = await storedRows(t.ctx, id);
    expect(rows.map((r) => [r.remoteUid, r.status, r.kind]).sort()).toEqual([
      ['big', 'quarantined', 'unreadable'],
      ['ok', 'stored', null],
    ]);
    expect(f.commandLines().filter((l) => l.startsWith('RETR'))).toHaveLength(1);
    await retire(t.ctx, id);
    await f.close();
  });
});

/** A greeting that waits for the gate `gate()` returns, when there is one. */
const greetingAfter =
  (gate: () => Promise<void> | null): Responder =>
  async (session) => {
    await gate();
    await session.writeRaw('+OK ready\r\n');
  };

describe('poller leases, check now and health (M36, M50)', () => {
  it('lets one of two concurrent pollers poll an address', async () => {
    // The lease holder's session is held at the greeting until the others have tried, so a
    // fast first poll cannot finish (and release) before a slower caller claims (PostgreSQL
    // opens pool connections for the other calls meanwhile).
    let hold: Promise<void> | null = null;
    const f = await fake({ respond: { GREETING: greetingAfter(() => hold) } });
    const id = await pop3Address(t.ctx, ws, f.port);
    await pollOnce(t.ctx, ws, id);
    f.messages.push({ raw: mail('c1'), uid: 'c1' });
    const before = f.connections.length;
    const s = new AbortController().signal;
    let release!: () => void;
    hold = new Promise((r) => {
      release = r;
    });
    const done: boolean[] = [];
    const calls = [1, 2, 3].map(() =>
      t.ctx.ingest.poller.pollNow(ws, id, s).then((polled) => {
        done.push(polled);
        return polled;
      }),
    );
    // Two calls come back without the lease (or, if leases were broken, two more connect).
    const until = Date.now() + 20_000;
    while (done.length < 2 && f.connections.length - before < 2 && Date.now() < until)
      await new Promise((r) => setTimeout(r, 10));
    release();
    const results = await Promise.all(calls);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(f.connections.length - before).toBe(1);
    expect(await storedRows(t.ctx, id)).toHaveLength(1);
    await retire(t.ctx, id);
    await f.close();
  });

  it('collects within seconds of "check now" through the API with the worker running', async () => {
    const w = await t.newWorkspace('Check now');
    const f = await fake();
    const id = await pop3Address(t.ctx, w.workspaceId, f.port);
    await pollOnce(t.ctx, w.workspaceId, id);
    await t.ctx.ingest.sync.release(id, '00000000-0000-0000-0000-000000000000', {});
    // Next scheduled poll far away: only "check now" can bring the message in.
    await t.ctx.db.execute(
      (await import('drizzle-orm'))
        .sql`UPDATE mailbox_sync_state SET next_poll_at = now() + interval '1 hour' WHERE address_id = ${id}`,
    );
    t.startWorker();
    try {
      f.messages.push({ raw: mail('now'), uid: 'now' });
      const res = await w.admin.request('POST', `/api/email-addresses/${id}/check-now`);
      expect(res.statusCode).toBe(202);
      expect(res.json().collecting).toBe(true);
      const started = Date.now();
      while ((await storedRows(t.ctx, id)).length === 0 && Date.now() - started < 10_000)
        await new Promise((r) => setTimeout(r, 100));
      expect(await storedRows(t.ctx, id)).toHaveLength(1);
      expect(Date.now() - started).toBeLessThan(5_000);
      const status = await w.admin.request('GET', `/api/email-addresses/${id}/collection`);
      expect(status.statusCode).toBe(200);
      expect(status.json().lastSuccessAt).not.toBeNull();
      // Someone else's address: not found; a non-collecting address: 409.
      const other = await t.newWorkspace('Other');
      expect((await other.admin.request('POST', `/api/email-addresses/${id}/check-now`)).statusCode).toBe(
        404,
      );
      await retire(t.ctx, id);
      const off = await w.admin.request('POST', `/api/email-addresses/${id}/check-now`);
      expect(off.statusCode).toBe(409);
      expect(off.json().error.code).toBe('ADDRESS_NOT_COLLECTING');
    } finally {
      await t.stopWorker();
      await f.close();
    }
  });

  it('moves to failing after a streak and back to ok; a refused login pauses the address with one notice', async () => {
    const w = await t.newWorkspace('Health');
    const f = await fake();
    const id = await pop3Address(t.ctx, w.workspaceId, f.port);
    const addresses = createEmailAddressRepository(t.ctx.db);
    const health = async () => (await addresses.findById(w.workspaceId, id))?.health;
    await pollOnce(t.ctx, w.workspaceId, id);
    expect(await health()).toBe('ok');

    await f.close(); // connection refused from now on
    for (let i = 0; i < 3; i++) await pollOnce(t.ctx, w.workspaceId, id);
    expect(await health()).toBe('failing');
    expect((await t.ctx.ingest.sync.find(w.workspaceId, id))?.failureStreak).toBe(3);
    const notices = async () =>
      (await t.ctx.repos.notifications.listFor(w.workspaceId, w.admin.employeeId, { limit: 50 })).filter(
        (n) => n.kind === 'address_health',
      ).length;
    expect(await notices()).toBe(1);
    await pollOnce(t.ctx, w.workspaceId, id);
    expect(await notices()).toBe(1); // one notice per status change, not per poll

    const g = await fake({ alwaysRefuseLogin: true, loginError: '[AUTH] Invalid credentials' });
    await addresses.update(w.workspaceId, id, { incomingPort: g.port });
    await pollOnce(t.ctx, w.workspaceId, id);
    expect(await health()).toBe('needs_attention');
    expect(await notices()).toBe(2);
    // Paused: the poller leaves it alone until its settings are verified again.
    await t.ctx.ingest.sync.ensureStates();
    const claimed = await t.ctx.ingest.sync.claimDue(
      100,
      crypto.randomUUID(),
      new Date(Date.now() + 3600_000),
      1000,
    );
    expect(claimed.map((c) => c.addressId)).not.toContain(id);
    for (const c of claimed) await t.ctx.ingest.sync.release(c.addressId, c.leaseToken!, {});
    await g.close();

    const h = await fake();
    await addresses.update(w.workspaceId, id, { incomingPort: h.port, health: 'failing' });
    await pollOnce(t.ctx, w.workspaceId, id);
    expect(await health()).toBe('ok');
    await retire(t.ctx, id);
    await h.close();
  });
});
