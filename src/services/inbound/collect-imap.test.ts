import { describe, expect, it } from 'vitest';
import { hugeListing } from '../../../test/helpers/imap-huge-listing.js';
import { pollOnce, pollState, uniqueInbound } from '../../../test/helpers/imap-poll-fixture.js';

async function collect(count: number, maxMessages: number) {
  const store = uniqueInbound();
  const fetches: number[][] = [];
  const result = await pollOnce(hugeListing(count, fetches), pollState(0, '7'), store, { maxMessages });
  return { ...result, stores: store.stored, fetches };
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
