import { describe, expect, it } from 'vitest';
import { hugeListing } from '../../../test/helpers/imap-huge-listing.js';
import { collectImap } from './collect-imap.js';
import { DEFAULT_COLLECT_BUDGET } from './collect-pop3.js';
import type { PollerDeps } from './poll-mailboxes.js';

function countingInbound() {
  const stores: string[] = [];
  const inbound = {
    store: async (v: { remoteUid: string | null }) => {
      stores.push(v.remoteUid ?? '');
      return { id: String(stores.length), inserted: true };
    },
    existingHashes: async () => new Set<string>(),
  } as unknown as PollerDeps['inbound'];
  return { inbound, stores };
}

const state = { uidvalidity: '7', lastUid: 0, lastSuccessAt: new Date(), initializedAt: new Date(0) };
const target = {
  workspaceId: 'w',
  addressId: 'a',
  firstSync: false,
  deleteAfterStore: false,
  deleteAfterDays: null,
};

async function collect(count: number, maxMessages: number) {
  const { inbound, stores } = countingInbound();
  const fetches: number[][] = [];
  const result = await collectImap(
    hugeListing(count, fetches),
    state,
    target,
    { inbound, now: () => new Date(), checkpoint: async () => {} },
    { ...DEFAULT_COLLECT_BUDGET, maxMessages, deadline: Date.now() + 60_000 },
  );
  return { ...result, stores, fetches };
}

describe('collectImap against a listing of huge messages', () => {
  it('records at most the session budget of too-large messages per poll, and the cursor passes them', async () => {
    const r = await collect(10_000, 100);
    expect(r.stores).toHaveLength(100);
    expect(r.stores.at(-1)).toBe('7:100');
    expect(r.outcome).toMatchObject({ tooLarge: 100, more: true });
    expect(r.cursor).toEqual({ uidvalidity: '7', lastUid: 100 });
    expect(r.fetches).toEqual([]);
  });

  it('moves the cursor past a listing too long to spread into Math.max', async () => {
    const r = await collect(200_000, 1_000_000);
    expect(r.outcome).toMatchObject({ tooLarge: 200_000, more: false });
    expect(r.cursor).toEqual({ uidvalidity: '7', lastUid: 200_000 });
  });
});
