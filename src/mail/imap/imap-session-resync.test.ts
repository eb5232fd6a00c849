import { afterEach, describe, expect, it } from 'vitest';
import { openFakeImapSession } from '../../../test/servers/imap-fake-session.js';
import { expand, largeMailbox, largeMessage } from '../../../test/servers/imap-large-mailbox.js';
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
    const page = await session.listSince(since);
    expect(page.complete).toBe(true);
    return { listed: page.messages, seen: box.seen };
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

  it('past the listing cap it pages: each page at most the cap, the next leaving out what was done, until complete', async () => {
    // 12,000 recent messages, a cap of 5,000: three pages, never more than a page held.
    const box = largeMailbox(30_000, START, (seq) => seq);
    const session = await openFakeImapSession(servers, box.extra, 5_000);
    try {
      await session.select(false);
      const done = new Set<number>();
      const sizes: number[] = [];
      for (let p = 0; p < 10; p++) {
        const page = await session.listSince(minute(18_001), {
          wanted: 10_000, // more than the cap: the cap wins
          skip: async (uids) => new Set(uids.filter((u) => done.has(u))),
        });
        sizes.push(page.messages.length);
        for (const m of page.messages) done.add(m.uid);
        if (page.complete) break;
      }
      expect(sizes).toEqual([5_000, 5_000, 2_000]);
      expect(done.size).toBe(12_000);
      expect(Math.min(...done)).toBe(18_001);
      // No UID was listed (fetched with its size) twice; the only extra ones are the first
      // recent day's older messages (SEARCH SINCE is by day), dropped by their INTERNALDATE.
      const listed = box.seen.listed.flatMap((set) => expand(set, 30_000));
      expect(new Set(listed).size).toBe(listed.length);
      expect(listed.length).toBeLessThan(12_000 + 1_440);
    } finally {
      session.abort();
    }
  });

  it('a small page size: newest first, oldest recent last, and nothing older', async () => {
    const box = largeMailbox(100, START, (seq) => seq);
    const session = await openFakeImapSession(servers, box.extra);
    try {
      await session.select(false);
      const done = new Set<number>();
      const pages: number[][] = [];
      for (let p = 0; p < 20 && pages.length < 20; p++) {
        const page = await session.listSince(minute(91), {
          wanted: 3,
          skip: async (uids) => new Set(uids.filter((u) => done.has(u))),
        });
        pages.push(page.messages.map((m) => m.uid));
        for (const m of page.messages) done.add(m.uid);
        if (page.complete) break;
      }
      expect(pages).toEqual([[98, 99, 100], [95, 96, 97], [92, 93, 94], [91]]);
    } finally {
      session.abort();
    }
  });
});
