import { afterEach, describe, expect, it } from 'vitest';
import { BASE_UID, gappyUids, MAILBOX_START } from '../../../test/helpers/imap-poll-fixture.js';
import { openFakeImapSession } from '../../../test/servers/imap-fake-session.js';
import { largeMailbox } from '../../../test/servers/imap-large-mailbox.js';
import type { RawSmtpServer } from '../../../test/servers/smtp-raw-server.js';
import type { ImapListing, ImapListingPage } from '../../ports/imap-mailbox.js';
import { MAX_LISTED_MESSAGES } from './imap-session.js';
import { MAX_WINDOWS, UID_WINDOW } from './uid-windows.js';

/**
 * The listing of new messages (`listAfter`) after months offline on a busy mailbox: one
 * `UID FETCH n:*` named more than the listing cap allows and the poll failed on every try. It
 * is now read in UID windows, a page per call, and `through` says how far a cursor may move.
 */
const servers: RawSmtpServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const gappy = gappyUids(60_000);

async function session(count: number, uidOf: (seq: number) => number, uidNext?: number) {
  const box = largeMailbox(count, MAILBOX_START, uidOf, uidNext);
  const s = await openFakeImapSession(servers, box.extra);
  await s.select(false);
  return { s, seen: box.seen };
}

/** Pages from `after` until the listing says it is complete, as successive polls would. */
async function pageAll(
  s: { listAfter(after: number, page?: ImapListingPage): Promise<ImapListing> },
  after: number,
  page: ImapListingPage,
) {
  const pages: ImapListing[] = [];
  for (let cursor = after; pages.length < 1_000; ) {
    const p = await s.listAfter(cursor, page);
    pages.push(p);
    expect(p.through).toBeGreaterThanOrEqual(cursor);
    for (const m of p.messages) expect(m.uid > cursor && m.uid <= p.through).toBe(true);
    cursor = p.through;
    if (p.complete) break;
  }
  return pages;
}

describe('IMAP listing of new messages, paged by UID windows', () => {
  it('120,000 new messages with 10-digit, gappy UIDs: every one listed once across pages, every line under the caps', async () => {
    const { s, seen } = await session(120_000, gappy);
    try {
      const pages = await pageAll(s, BASE_UID, { wanted: 2_000 });
      const uids = pages.flatMap((p) => p.messages.map((m) => m.uid));
      expect(uids).toHaveLength(120_000);
      expect(new Set(uids).size).toBe(120_000);
      expect(uids.every((u, i) => i === 0 || u > (uids[i - 1] as number))).toBe(true);
      expect(uids[0]).toBe(gappy(1));
      expect(pages.at(-1)?.through).toBe(gappy(120_000));
      // A page ends once it has what a poll ingests: no listing near the cap.
      for (const p of pages) expect(p.messages.length).toBeLessThan(2_000 + UID_WINDOW);
      expect(pages.length).toBeGreaterThan(40);
      expect(seen.mostPerListing).toBeLessThanOrEqual(4_000);
      expect(seen.longestReply).toBeLessThan(1_000);
      expect(seen.longestCommand).toBeLessThan(100);
      // The 40-million gap cost one look-up (a bisection), not 10,000 empty windows.
      expect(seen.listings).toBeLessThan(120_000 / 2_000 + 5);
      expect(seen.seqFetches).toBeLessThanOrEqual(2 * 17);
    } finally {
      s.abort();
    }
  }, 120_000);

  it('asked for more than the listing cap, one call stops below it and the next continues', async () => {
    const { s } = await session(120_000, (seq) => BASE_UID + seq);
    try {
      const first = await s.listAfter(BASE_UID, { wanted: 1_000_000 });
      expect(first.complete).toBe(false);
      expect(first.messages.length).toBeLessThanOrEqual(MAX_LISTED_MESSAGES);
      expect(first.messages.length).toBeGreaterThan(MAX_LISTED_MESSAGES - UID_WINDOW);
      expect(first.through).toBe(first.messages.at(-1)?.uid);
      const rest = await s.listAfter(first.through);
      expect(rest.complete).toBe(true);
      expect(first.messages.length + rest.messages.length).toBe(120_000);
      expect(rest.messages[0]?.uid).toBe(first.through + 1);
    } finally {
      s.abort();
    }
  });

  it(`a sparse mailbox is read at most ${MAX_WINDOWS} windows per call, and the cursor moves past them`, async () => {
    // One message per 1,000 UIDs: 4 per window, every window non-empty.
    const { s, seen } = await session(2_000, (seq) => seq * 1_000);
    try {
      const first = await s.listAfter(0);
      expect(first.complete).toBe(false);
      expect(seen.listings).toBe(MAX_WINDOWS);
      expect(first.through).toBe(MAX_WINDOWS * UID_WINDOW);
      expect(first.messages).toHaveLength((MAX_WINDOWS * UID_WINDOW) / 1_000);
      const pages = await pageAll(s, first.through, {});
      const all = [...first.messages, ...pages.flatMap((p) => p.messages)].map((m) => m.uid);
      expect(all).toEqual(Array.from({ length: 2_000 }, (_, i) => (i + 1) * 1_000));
    } finally {
      s.abort();
    }
  });

  it('empty windows move `through` forward: nothing new and UIDNEXT far above the last message', async () => {
    // The newest messages were expunged: UIDs 11 to 4,999,999 are all gone.
    const { s, seen } = await session(10, (seq) => seq, 5_000_000);
    try {
      const listing = await s.listAfter(10);
      expect(listing).toEqual({ messages: [], through: 4_999_999, complete: true });
      expect(seen.listings).toBe(1);
    } finally {
      s.abort();
    }
  });

  it('a gap of two billion UIDs is crossed in one call: one empty window, then a look-up', async () => {
    const { s, seen } = await session(10, (seq) => (seq <= 5 ? seq : 2_000_000_000 + seq));
    try {
      const listing = await s.listAfter(0);
      expect(listing.messages.map((m) => m.uid)).toEqual([
        1,
        2,
        3,
        4,
        5,
        2e9 + 6,
        2e9 + 7,
        2e9 + 8,
        2e9 + 9,
        2e9 + 10,
      ]);
      expect(listing).toMatchObject({ through: 2_000_000_010, complete: true });
      expect(seen.listed).toEqual(['1:4000', '4001:8000', '2000000006:2000000010']);
      expect(seen.seqFetches).toBeLessThanOrEqual(4); // bisecting 10 sequence numbers
    } finally {
      s.abort();
    }
  });

  it('stops between windows when asked (shutdown), and the next call resumes from `through`', async () => {
    const { s, seen } = await session(20_000, (seq) => BASE_UID + seq);
    try {
      let windows = 0;
      const stopped = await s.listAfter(BASE_UID, { stop: () => ++windows > 2 });
      expect(stopped.complete).toBe(false);
      expect(seen.listings).toBe(2);
      expect(stopped.through).toBe(BASE_UID + 2 * UID_WINDOW);
      const rest = await pageAll(s, stopped.through, {});
      const uids = [...stopped.messages, ...rest.flatMap((p) => p.messages)].map((m) => m.uid);
      expect(uids).toEqual(Array.from({ length: 20_000 }, (_, i) => BASE_UID + i + 1));
    } finally {
      s.abort();
    }
  });
});
