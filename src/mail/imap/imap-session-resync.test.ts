import { afterEach, describe, expect, it } from 'vitest';
import { openFakeImapSession } from '../../../test/servers/imap-fake-session.js';
import { largeMailbox, largeMessage } from '../../../test/servers/imap-large-mailbox.js';
import type { RawSmtpServer } from '../../../test/servers/smtp-raw-server.js';

/**
 * The re-sync after a UIDVALIDITY change lists what arrived since a moment (`listSince`). On a
 * busy mailbox that is thousands of messages: one SEARCH answered them all on one line, past the
 * 64 KiB line cap, and the poll failed as a limit on every try.
 */
const servers: RawSmtpServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const START = new Date('2026-11-01T00:00:00Z');
const minute = (seq: number) => new Date(START.getTime() + seq * 60_000);

async function listSince(
  count: number,
  since: Date,
  uidOf: (seq: number) => number,
  maxListedMessages?: number,
) {
  const box = largeMailbox(count, START, uidOf);
  const session = await openFakeImapSession(servers, box.extra, maxListedMessages);
  try {
    await session.select(false);
    return { listed: await session.listSince(since), seen: box.seen };
  } finally {
    session.abort();
  }
}

describe('IMAP re-sync of a busy mailbox', () => {
  it('lists 12,000 recent messages of 30,000, to the second, with every line under 64 KiB', async () => {
    const { listed, seen } = await listSince(30_000, minute(18_001), (seq) => 500 + seq);
    expect(listed).toHaveLength(12_000);
    expect(listed[0]).toEqual({ uid: 18_501, size: largeMessage(18_501).length });
    expect(listed.at(-1)).toEqual({ uid: 30_500, size: largeMessage(30_500).length });
    expect(seen.longestReply).toBeLessThan(64 * 1024);
    expect(seen.longestCommand).toBeLessThan(1_000); // consecutive UIDs travel as ranges
    // Windows from the newest down, stopping at the first one not wholly recent.
    expect(seen.searches).toBe(4);
  });

  it('with every other UID gone, no command passes 64 KiB either', async () => {
    const { listed, seen } = await listSince(30_000, minute(18_001), (seq) => 2 * seq);
    expect(listed).toHaveLength(12_000);
    expect(listed[0]?.uid).toBe(36_002);
    expect(seen.longestCommand).toBeLessThan(64 * 1024);
    expect(seen.longestReply).toBeLessThan(64 * 1024);
  });

  it('nothing recent: one SEARCH, nothing listed', async () => {
    const { listed, seen } = await listSince(30_000, minute(40_000), (seq) => seq);
    expect(listed).toEqual([]);
    expect(seen.searches).toBe(1);
  });

  it('a re-sync still stops at the listing cap', async () => {
    const err = await listSince(30_000, minute(18_001), (seq) => seq, 5_000).catch((e: unknown) => e);
    expect((err as { failure?: unknown }).failure).toMatchObject({ kind: 'limit', step: 'list' });
  });
});
