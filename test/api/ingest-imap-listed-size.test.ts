import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmailAddressRepository } from '../../src/db/repositories/email-address.repository.js';
import { pollOnce, pop3Address, retire, storedRows } from '../helpers/ingest-fixtures.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { lyingSizes } from '../servers/imap-lying-sizes.js';
import { fakeImap, IMAP_PASSWORD } from '../servers/imap-script-server.js';
import { createLoopbackResolver } from '../servers/loopback-resolver.js';
import { type RawSmtpServer, startRawSmtpServer } from '../servers/smtp-raw-server.js';

/**
 * The poller over an IMAP server that lists 1 byte and sends 4 MiB: the poll fails (the user
 * sees why), but the cursor written with the failure passes the message set aside, so the
 * next poll fetches nothing again and the mailbox is not stuck.
 */
let t: TestApp;
let server: RawSmtpServer | undefined;
beforeAll(async () => {
  t = await createTestApp({}, { resolver: createLoopbackResolver() });
});
afterAll(async () => {
  await server?.close();
  await t?.close();
});

const message = (n: number, bodyBytes: number) =>
  `Subject: m${n}\r\nMessage-ID: <m${n}.${Date.now()}@example.org>\r\n\r\n${'A'.repeat(bodyBytes)}\r\n`;

describe('IMAP listed sizes through the poller', () => {
  it('sets a lying message aside, stores the others, and the failed poll still moves the cursor past it', async () => {
    const ws = (await t.newWorkspace()).workspaceId;
    const messages = [
      { raw: message(1, 1024) },
      { raw: message(2, 4 * 1024 * 1024), listSize: 1 },
      { raw: message(3, 1024) },
    ];
    const box = lyingSizes(messages);
    server = await startRawSmtpServer(fakeImap({ extra: box.extra }));
    const id = await pop3Address(t.ctx, ws, server.port, { incomingProtocol: 'imap', login: 'alice' });
    const addresses = createEmailAddressRepository(t.ctx.db);
    await addresses.update(ws, id, {
      passwordEnc: t.ctx.secretBox.encrypt(IMAP_PASSWORD, { workspaceId: ws, rowId: id, field: 'password' }),
    });
    await pollOnce(t.ctx, ws, id); // the first sync: the cursor at the mailbox's end
    // As if the three arrived after it.
    await t.ctx.db.execute(sql`UPDATE mailbox_sync_state SET last_uid = 0 WHERE address_id = ${id}`);

    await pollOnce(t.ctx, ws, id);
    const sync = await t.ctx.ingest.sync.find(ws, id);
    expect(sync).toMatchObject({
      uidvalidity: '55',
      lastUid: 3,
      failureStreak: 1,
      lastError: { kind: 'limit', step: 'fetch' },
    });
    const rows = await storedRows(t.ctx, id);
    expect(rows.map((r) => [r.remoteUid, r.kind === 'unreadable' ? 'set aside' : r.raw.toString()])).toEqual([
      ['55:1', messages[0]?.raw],
      ['55:2', 'set aside'],
      ['55:3', messages[2]?.raw],
    ]);
    expect(box.seen.bodyFetches).toHaveLength(1);

    await pollOnce(t.ctx, ws, id);
    expect(box.seen.bodyFetches).toHaveLength(1); // nothing fetched again
    expect(await t.ctx.ingest.sync.find(ws, id)).toMatchObject({ lastUid: 3, failureStreak: 0 });
    expect(await storedRows(t.ctx, id)).toHaveLength(3);
    await retire(t.ctx, id);
  });
});
