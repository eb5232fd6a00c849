import { afterEach, describe, expect, it } from 'vitest';
import {
  BASE_UID,
  gappyUids,
  MAILBOX_START,
  type PollState,
  type PollStore,
  pollOnce,
  pollState,
  uniqueInbound,
} from '../../../test/helpers/imap-poll-fixture.js';
import { openFakeImapSession } from '../../../test/servers/imap-fake-session.js';
import { largeMailbox } from '../../../test/servers/imap-large-mailbox.js';
import type { RawSmtpServer } from '../../../test/servers/smtp-raw-server.js';
import { DEFAULT_COLLECT_BUDGET } from './collect-pop3.js';

/**
 * Polls over months of new mail on a busy mailbox (more than one listing may name): each poll
 * lists a page of UID windows, stores a budget's worth, and moves the cursor; the next poll
 * continues. Stored rows are unique by `{uidvalidity}:{uid}` as `inbound_messages` is (its
 * unique index on address and remote uid; `test/api/ingest-repository.test.ts`).
 */
const servers: RawSmtpServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const gappy = gappyUids(60_000);

/** One poll as the poller runs it, on a fakeImap session answering with `extra`. */
async function poll(
  extra: Parameters<typeof openFakeImapSession>[1],
  state: PollState,
  store: PollStore,
  options: Parameters<typeof pollOnce>[3] = {},
) {
  return pollOnce(await openFakeImapSession(servers, extra), state, store, options);
}

const allKeys = (count: number, uidOf: (seq: number) => number) =>
  Array.from({ length: count }, (_, i) => `77:${uidOf(i + 1)}`).sort();

describe('IMAP polls over a listing larger than one page', () => {
  it('120,000 new messages with gappy 10-digit UIDs: stored once each over successive polls', async () => {
    const box = largeMailbox(120_000, MAILBOX_START, gappy);
    const store = uniqueInbound();
    const state = pollState(BASE_UID);
    let polls = 0;
    for (let more = true; more && polls < 200; polls++)
      more = (await poll(box.extra, state, store)).outcome.more;
    expect(polls).toBe(60);
    expect(store.stores()).toBe(120_000); // nothing fetched or stored twice
    expect([...store.rows.keys()].sort()).toEqual(allKeys(120_000, gappy));
    expect(state.lastUid).toBe(gappy(120_000));
    expect(box.seen.mostPerListing).toBeLessThanOrEqual(4_000);
    expect(box.seen.longestReply).toBeLessThan(64 * 1024);
  }, 120_000);

  it('a poll stopped by shutdown keeps what it stored; the next poll resumes without repeats or losses', async () => {
    const box = largeMailbox(10_000, MAILBOX_START, (seq) => BASE_UID + 2 * seq);
    const store = uniqueInbound();
    const state = pollState(BASE_UID);
    const stop = new AbortController();
    let batches = 0;
    const cut = await poll(box.extra, state, store, {
      signal: stop.signal,
      checkpoint: async () => {
        if (++batches === 5) stop.abort();
      },
    });
    expect(cut.outcome.more).toBe(true);
    expect(cut.outcome.storedIds).toHaveLength(5 * DEFAULT_COLLECT_BUDGET.batchMessages);
    expect(state.lastUid).toBe(BASE_UID + 2 * 5 * DEFAULT_COLLECT_BUDGET.batchMessages);
    for (let more = true, n = 0; more && n < 20; n++)
      more = (await poll(box.extra, state, store)).outcome.more;
    expect(store.stores()).toBe(10_000);
    expect([...store.rows.keys()].sort()).toEqual(allKeys(10_000, (seq) => BASE_UID + 2 * seq));
  });

  it('a poll that dies midway writes no cursor; the next one stores the same UIDs again as duplicates, no row twice', async () => {
    const box = largeMailbox(5_000, MAILBOX_START, (seq) => BASE_UID + seq);
    const store = uniqueInbound();
    const state = pollState(BASE_UID);
    let batches = 0;
    const died = await poll(box.extra, state, store, {
      checkpoint: async () => {
        if (++batches === 3) throw new Error('mailbox lease lost');
      },
    }).catch((e: unknown) => e);
    expect(died).toBeInstanceOf(Error);
    expect(state.lastUid).toBe(BASE_UID);
    let duplicates = 0;
    for (let more = true, n = 0; more && n < 20; n++) {
      const r = await poll(box.extra, state, store);
      duplicates += r.outcome.duplicates;
      more = r.outcome.more;
    }
    expect(duplicates).toBe(3 * DEFAULT_COLLECT_BUDGET.batchMessages);
    expect(store.rows.size).toBe(5_000);
    expect([...store.rows.keys()].sort()).toEqual(allKeys(5_000, (seq) => BASE_UID + seq));
  });

  it('a page of empty windows moves the stored cursor past them', async () => {
    // Nothing above the cursor: the newest messages were expunged, UIDNEXT is far above.
    const box = largeMailbox(10, MAILBOX_START, (seq) => seq, 5_000_000);
    const store = uniqueInbound();
    const state = pollState(10);
    const r = await poll(box.extra, state, store);
    expect(r.outcome.more).toBe(false);
    expect(r.cursor).toEqual({ uidvalidity: '77', lastUid: 4_999_999 });
    expect(store.stores()).toBe(0);
  });
});
