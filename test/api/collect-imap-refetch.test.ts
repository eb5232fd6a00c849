import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImapMailboxSession } from '../../src/ports/imap-mailbox.js';
import { collectImap } from '../../src/services/inbound/collect-imap.js';
import { DEFAULT_COLLECT_BUDGET } from '../../src/services/inbound/collect-pop3.js';
import { newCollectTarget } from '../helpers/collect-target.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

/** An INBOX (UIDVALIDITY 7) holding one message, UID 1. */
function oneMessageInbox(): ImapMailboxSession {
  const raw = Buffer.from('From: a@b.example\r\nMessage-ID: <m1@b.example>\r\nSubject: hi\r\n\r\nbody\r\n');
  const unused = async (): Promise<never> => {
    throw new Error('not used');
  };
  return {
    select: async () => ({ uidValidity: '7', uidNext: 2, exists: 1, idle: false }),
    listAfter: async (after) => ({
      messages: after < 1 ? [{ uid: 1, size: raw.length }] : [],
      through: 1,
      complete: true,
    }),
    listSince: unused,
    fetchRaw: async (wanted) => ({
      raws: new Map(wanted.filter((w) => w.uid === 1).map((w) => [w.uid, raw])),
      outgrown: [],
      bytes: wanted.some((w) => w.uid === 1) ? raw.length : 0,
    }),
    delete: unused,
    waitForNew: unused,
    close: async () => {},
    abort: () => {},
  };
}

describe('collectImap fetching a message it already stored', () => {
  it('counts it as a duplicate and does not hand its row to the processor again', async () => {
    const { inbound, target } = await newCollectTarget(t);
    // The cursor as it was before the first poll: a lost cursor write fetches UID 1 again.
    const state = { uidvalidity: '7', lastUid: 0, lastSuccessAt: new Date(), initializedAt: new Date(0) };
    const poll = () =>
      collectImap(
        oneMessageInbox(),
        state,
        target,
        { inbound, now: () => new Date(), checkpoint: async () => {} },
        { ...DEFAULT_COLLECT_BUDGET, deadline: Date.now() + 60_000 },
      );

    const first = await poll();
    expect(first.outcome.storedIds).toHaveLength(1);
    expect(first.outcome.duplicates).toBe(0);
    const again = await poll();
    expect(again.outcome.storedIds).toEqual([]);
    expect(again.outcome.storedRaw.size).toBe(0);
    expect(again.outcome.duplicates).toBe(1);
    expect(again.cursor).toEqual({ uidvalidity: '7', lastUid: 1 });
    expect(await inbound.countForAddress(target.workspaceId, target.addressId)).toBe(1);
  });
});
