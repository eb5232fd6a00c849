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
});
