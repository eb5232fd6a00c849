import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmailAddressRepository } from '../../src/db/repositories/email-address.repository.js';
import { pollOnce, pop3Address, retire, storedRows } from '../helpers/ingest-fixtures.js';
import { serviceMissing } from '../helpers/require-service.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { type DovecotInstance, dovecotMissingReason, startDovecot } from '../servers/dovecot.js';
import { createLoopbackResolver } from '../servers/loopback-resolver.js';

const missing = serviceMissing('Dovecot', dovecotMissingReason());
const PASS = 'pop pass 123';
const msg = (n: string) =>
  Buffer.from(
    `From: klient@example.org\nSubject: Odp ${n}\nMessage-ID: <${n}.${Date.now()}@example.org>\n\nTreść ${n}\n.kropka\n`,
  );
/** What the servers hand back: CRLF line endings. */
const crlf = (b: Buffer) => Buffer.from(b.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');

describe.skipIf(missing)('collecting from a real Dovecot (POP3 and IMAP)', () => {
  let dovecot: DovecotInstance;
  let t: TestApp;
  let ws: string;
  const users = ['popper', 'imapper', 'deleter', 'idler'];
  beforeAll(async () => {
    dovecot = await startDovecot({
      users: users.map((user) => ({ user, password: PASS })),
      messages: Object.fromEntries(users.map((u) => [u, [msg(`${u}-old`)]])),
    });
    t = await createTestApp({}, { resolver: createLoopbackResolver() });
    ws = (await t.newWorkspace()).workspaceId;
  });
  afterAll(async () => {
    await t?.close();
    await dovecot?.stop();
  });

  const address = (user: string, protocol: 'pop3' | 'imap', extra: Record<string, unknown> = {}) =>
    pop3Address(t.ctx, ws, protocol === 'pop3' ? dovecot.ports.pop3s : dovecot.ports.imaps, {
      login: user,
      incomingHost: 'localhost',
      incomingSecurity: 'tls',
      incomingProtocol: protocol,
      ...extra,
    });

  it('POP3: the first sync imports nothing, then each new message once, bytes intact, left on the server', async () => {
    const id = await address('popper', 'pop3');
    await pollOnce(t.ctx, ws, id);
    expect(await storedRows(t.ctx, id)).toEqual([]);
    const fresh = msg('p1');
    dovecot.addMessage('popper', fresh);
    await pollOnce(t.ctx, ws, id);
    await pollOnce(t.ctx, ws, id);
    const rows = await storedRows(t.ctx, id);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.raw.equals(crlf(fresh))).toBe(true);
    expect((await t.ctx.ingest.sync.find(ws, id))?.failureStreak).toBe(0);
    await retire(t.ctx, id);
  });

  it('IMAP: a UID cursor imports each new message once; a UIDVALIDITY change re-syncs without duplicates', async () => {
    const id = await address('imapper', 'imap');
    await pollOnce(t.ctx, ws, id);
    expect(await storedRows(t.ctx, id)).toEqual([]);
    const state = await t.ctx.ingest.sync.find(ws, id);
    expect(state?.uidvalidity).toMatch(/^\d+$/);
    dovecot.addMessage('imapper', msg('i1'));
    dovecot.addMessage('imapper', msg('i2'));
    await pollOnce(t.ctx, ws, id);
    await pollOnce(t.ctx, ws, id);
    let rows = await storedRows(t.ctx, id);
    expect(rows.map((r) => r.raw.toString().match(/Odp (\S+)/)?.[1]).sort()).toEqual(['i1', 'i2']);
    expect(rows[0]?.remoteUid).toMatch(new RegExp(`^${state?.uidvalidity}:\\d+$`));

    // The server renumbered its UIDs (new UIDVALIDITY): what was stored is not stored again.
    await t.ctx.db.execute(
      (await import('drizzle-orm'))
        .sql`UPDATE mailbox_sync_state SET uidvalidity = '1' WHERE address_id = ${id}`,
    );
    dovecot.addMessage('imapper', msg('i3'));
    await pollOnce(t.ctx, ws, id);
    rows = await storedRows(t.ctx, id);
    expect(rows.map((r) => r.raw.toString().match(/Odp (\S+)/)?.[1]).sort()).toEqual(['i1', 'i2', 'i3']);
    expect((await t.ctx.ingest.sync.find(ws, id))?.uidvalidity).toBe(state?.uidvalidity);
    await retire(t.ctx, id);
  });

  it('IMAP with deletion chosen: expunged only after the store', async () => {
    const id = await address('deleter', 'imap', { leaveOnServer: false });
    await pollOnce(t.ctx, ws, id);
    dovecot.addMessage('deleter', msg('d1'));
    await pollOnce(t.ctx, ws, id);
    expect(await storedRows(t.ctx, id)).toHaveLength(1);
    // Only the old message (never imported, so never deleted) is left.
    const box = await t.ctx.ingest.imap.open(
      {
        protocol: 'imap',
        host: 'localhost',
        port: dovecot.ports.imaps,
        security: 'tls',
        auth: { type: 'password', user: 'deleter', pass: PASS },
      },
      { deadline: Date.now() + 10_000 },
    );
    expect((await box.select(false)).exists).toBe(1);
    await box.close();
    await retire(t.ctx, id);
  });

  it('IMAP IDLE: a delivered message is stored within 5 s with the worker running', async () => {
    const id = await address('idler', 'imap');
    await pollOnce(t.ctx, ws, id);
    const inIdle = t.ctx.ingest.idle.whenIdling(id);
    t.startWorker();
    try {
      const started = Date.now();
      while (!t.ctx.ingest.poller.held.has(id) && Date.now() - started < 20_000)
        await new Promise((r) => setTimeout(r, 100));
      expect(t.ctx.ingest.poller.held.has(id)).toBe(true);
      await inIdle; // the server accepted IDLE: from now on it announces new mail
      const sent = Date.now();
      dovecot.addMessage('idler', msg('live'));
      while ((await storedRows(t.ctx, id)).length === 0 && Date.now() - sent < 10_000)
        await new Promise((r) => setTimeout(r, 50));
      const took = Date.now() - sent;
      expect(await storedRows(t.ctx, id)).toHaveLength(1);
      expect(took).toBeLessThan(5_000);
    } finally {
      await t.stopWorker();
    }
    const addresses = createEmailAddressRepository(t.ctx.db);
    expect((await addresses.findById(ws, id))?.health).toBe('ok');
    expect(t.ctx.ingest.poller.held.has(id)).toBe(false);
    expect((await t.ctx.ingest.sync.find(ws, id))?.leaseToken).toBeNull();
    await retire(t.ctx, id);
  });
});
