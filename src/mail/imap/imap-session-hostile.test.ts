import { afterEach, describe, expect, it } from 'vitest';
import { openFakeImapSession } from '../../../test/servers/imap-fake-session.js';
import { hostileFetchListing, tokenFloodFetch } from '../../../test/servers/imap-hostile-listing.js';
import type { FakeImapOptions } from '../../../test/servers/imap-script-server.js';
import type { RawSmtpServer } from '../../../test/servers/smtp-raw-server.js';

const servers: RawSmtpServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function listFrom(count: number, maxListedMessages?: number) {
  return listWith(hostileFetchListing(count), maxListedMessages);
}

async function listWith(extra: FakeImapOptions['extra'], maxListedMessages?: number) {
  const session = await openFakeImapSession(servers, extra, maxListedMessages);
  try {
    await session.select(false);
    return (await session.listAfter(0)).messages;
  } finally {
    session.abort();
  }
}

describe('IMAP collection session against a hostile server', () => {
  it('a listing within the cap comes back whole, in UID order', async () => {
    const listed = await listFrom(300, 300);
    expect(listed).toHaveLength(300);
    expect(listed.at(-1)).toEqual({ uid: 300, size: 100 });
  });

  it('an endless UID FETCH listing is refused as a limit once it passes the cap', async () => {
    const err = await listFrom(Number.POSITIVE_INFINITY, 500).catch((e: unknown) => e);
    expect((err as { failure?: unknown }).failure).toMatchObject({
      kind: 'limit',
      protocol: 'imap',
      step: 'list',
      detail: 'the server listed more than 500 messages',
    });
  });

  it('one FETCH response of 30,000 atoms is refused as a limit, not parsed into a tree', async () => {
    const err = await listWith(tokenFloodFetch(1)).catch((e: unknown) => e);
    expect((err as { failure?: unknown }).failure).toMatchObject({ kind: 'limit', protocol: 'imap' });
  });

  it('a body FETCH answered with copy after copy of one message is refused as a limit', async () => {
    const extra: FakeImapOptions['extra'] = async (tag, command, args, conn) => {
      if (command === 'SELECT' || command === 'EXAMINE') {
        conn.write(`* 2 EXISTS\r\n* OK [UIDVALIDITY 9] ok\r\n* OK [UIDNEXT 3] next\r\n${tag} OK done\r\n`);
        return true;
      }
      if (command !== 'UID' || args[0]?.toUpperCase() !== 'FETCH') return false;
      const copies = Array.from({ length: 100 }, () => '* 1 FETCH (UID 1 BODY[]<0> {4}\r\nabcd)\r\n');
      await conn.writeMany([...copies, `${tag} OK done\r\n`]);
      return true;
    };
    const session = await openFakeImapSession(servers, extra);
    try {
      await session.select(false);
      const wanted = [1, 2].map((uid) => ({ uid, allowed: 1_000 }));
      const err = await session.fetchRaw(wanted).catch((e: unknown) => e);
      expect((err as { failure?: unknown }).failure).toMatchObject({
        kind: 'limit',
        step: 'fetch',
        detail: 'the server answered a FETCH of 2 messages with more than 14 responses',
      });
    } finally {
      session.abort();
    }
  });
});
