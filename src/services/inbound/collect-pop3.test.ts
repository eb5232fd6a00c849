import { describe, expect, it } from 'vitest';
import type { IncomingMessageRef, IncomingSession } from '../../ports/incoming-mailbox.js';
import { type CollectDeps, collectPop3, DEFAULT_COLLECT_BUDGET } from './collect-pop3.js';

/**
 * The read order around the pipelined fetch (the next batch is fetched while one is stored):
 * with valid ids every new message is read once and stored before it is deleted; with broken
 * ids the reading still stops after 20 already-known messages in a row, fetching no batch the
 * store's answers did not ask for.
 */
const raw = (n: number) => Buffer.from(`From: a@b.example\r\nSubject: ${n}\r\n\r\nbody ${n}\r\n`);

function fakeSession(
  refs: IncomingMessageRef[],
  log: string[],
  inFlight: (number | undefined)[] = [],
): IncomingSession {
  return {
    list: async () => ({ messages: refs, uidlSupported: true, uidsValid: refs.every((m) => m.uidValid) }),
    fetch: async () => {
      throw new Error('not used');
    },
    fetchBuffer: async () => {
      throw new Error('not used');
    },
    headerDigest: async () => null,
    fetchManyBuffers: async (ms, options) => {
      inFlight.push(options?.inFlight);
      const seqs = ms.map((m) => (m as IncomingMessageRef).seq);
      log.push(`fetch ${seqs.join(',')}`);
      return seqs.map(raw);
    },
    delete: async (m) => {
      log.push(`dele ${(m as IncomingMessageRef).seq}`);
    },
    close: async () => {
      log.push('quit');
    },
    abort: () => {},
  };
}

function fakeInbound(log: string[], knownShas: 'all' | 'none') {
  let id = 0;
  const inbound: CollectDeps['inbound'] = {
    knownIds: async () => ({ uids: new Map(), keys: new Set() }),
    existingHashes: async (_w, _a, hashes) => new Set(knownShas === 'all' ? hashes : []),
    store: async () => ({ id: String(++id), inserted: true }),
    storeMany: async (values) => {
      log.push(`store ${values.length}`);
      return values.map(() => ({ id: String(++id), inserted: true }));
    },
    recordKnown: async () => {},
    ownTestEmails: async () => new Set(),
  };
  return inbound;
}

const target = { workspaceId: 'w', addressId: 'a', firstSync: false, deleteAfterDays: null };
const budget = { ...DEFAULT_COLLECT_BUDGET, batchMessages: 10, deadline: Date.now() + 60_000 };

describe('collectPop3 with the next batch in flight', () => {
  it('reads every new message once and deletes each only after its store', async () => {
    const log: string[] = [];
    const inFlight: (number | undefined)[] = [];
    const refs = Array.from({ length: 25 }, (_, i) => ({
      seq: i + 1,
      size: 50,
      uid: `u${i + 1}`,
      uidValid: true,
    }));
    const out = await collectPop3(
      fakeSession(refs, log, inFlight),
      { ...target, deleteAfterStore: true },
      { inbound: fakeInbound(log, 'none'), now: () => new Date(), checkpoint: async () => {} },
      budget,
    );
    expect(out.storedIds).toHaveLength(25);
    expect(log.filter((l) => l.startsWith('fetch'))).toEqual([
      `fetch ${[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].join(',')}`,
      `fetch ${[11, 12, 13, 14, 15, 16, 17, 18, 19, 20].join(',')}`,
      'fetch 21,22,23,24,25',
    ]);
    // Each batch wholly in flight, so the server keeps sending while the previous one is stored.
    expect(inFlight).toEqual([10, 10, 5]);
    // Every DELE comes after the store that made its message durable.
    const stores = log.map((l, i) => (l.startsWith('store') ? i : -1)).filter((i) => i >= 0);
    expect(log.indexOf('dele 1')).toBeGreaterThan(stores[0]!);
    expect(log.indexOf('dele 11')).toBeGreaterThan(stores[1]!);
    expect(log.indexOf('dele 21')).toBeGreaterThan(stores[2]!);
    expect(log.at(-1)).toBe('quit');
  });

  it('stops reading broken ids after 20 known ones in a row, fetching nothing beyond', async () => {
    const log: string[] = [];
    const refs = Array.from({ length: 60 }, (_, i) => ({ seq: i + 1, size: 50, uid: null, uidValid: false }));
    const out = await collectPop3(
      fakeSession(refs, log),
      { ...target, deleteAfterStore: false },
      { inbound: fakeInbound(log, 'all'), now: () => new Date(), checkpoint: async () => {} },
      budget,
    );
    expect(out.duplicates).toBe(20);
    const fetched = log.filter((l) => l.startsWith('fetch')).flatMap((l) => l.slice(6).split(','));
    expect(fetched).toHaveLength(20);
  });

  it('stores settled messages with their outcome, and stores the rest for processing even when the triage fails', async () => {
    const refs = Array.from({ length: 4 }, (_, i) => ({
      seq: i + 1,
      size: 50,
      uid: `s${i + 1}`,
      uidValid: true,
    }));
    const run = async (settle: CollectDeps['settle']) => {
      const log: string[] = [];
      const inbound = fakeInbound(log, 'none');
      const values: { status?: string; kind?: string | null }[] = [];
      const storeMany = inbound.storeMany;
      inbound.storeMany = async (v) => {
        values.push(...v);
        return storeMany(v);
      };
      const out = await collectPop3(
        fakeSession(refs, log),
        { ...target, deleteAfterStore: false },
        { inbound, now: () => new Date(), checkpoint: async () => {}, ...(settle ? { settle } : {}) },
        budget,
      );
      return { out, values };
    };
    const odd = await run(async (raws) =>
      raws.map((_, k) => (k % 2 === 0 ? { status: 'processed' as const, kind: 'unmatched' as const } : null)),
    );
    expect(odd.values.map((v) => v.status ?? 'stored')).toEqual([
      'processed',
      'stored',
      'processed',
      'stored',
    ]);
    expect(odd.out.settled).toBe(2);
    expect(odd.out.storedIds).toHaveLength(2);
    const failed = await run(async () => {
      throw new Error('reading is down');
    });
    expect(failed.values.map((v) => v.status ?? 'stored')).toEqual(['stored', 'stored', 'stored', 'stored']);
    expect(failed.out.storedIds).toHaveLength(4);
  });
});

describe('collectPop3 against a listing of huge messages', () => {
  it('records at most the session budget of too-large messages per poll; the rest waits', async () => {
    const log: string[] = [];
    const inbound = fakeInbound(log, 'none');
    let records = 0;
    inbound.store = async () => ({ id: String(++records), inserted: true });
    const refs = Array.from({ length: 10_000 }, (_, i) => ({
      seq: i + 1,
      size: 2 ** 40,
      uid: `big${i + 1}`,
      uidValid: true,
    }));
    const out = await collectPop3(
      fakeSession(refs, log),
      { ...target, deleteAfterStore: false },
      { inbound, now: () => new Date(), checkpoint: async () => {} },
      { ...budget, maxMessages: 100 },
    );
    expect(records).toBe(100);
    expect(out).toMatchObject({ tooLarge: 100, more: true });
    expect(log.filter((l) => l.startsWith('fetch'))).toEqual([]);
  });
});

describe('collectPop3 size cap', () => {
  it('fetches a message of exactly the cap; one octet over is recorded as too large, never fetched', async () => {
    const log: string[] = [];
    const cap = 1000;
    const refs = [
      { seq: 1, size: cap, uid: 'u1', uidValid: true },
      { seq: 2, size: cap + 1, uid: 'u2', uidValid: true },
    ];
    const out = await collectPop3(
      fakeSession(refs, log),
      { ...target, deleteAfterStore: false },
      { inbound: fakeInbound(log, 'none'), now: () => new Date(), checkpoint: async () => {} },
      { ...budget, maxMessageBytes: cap },
    );
    expect(log.filter((l) => l.startsWith('fetch'))).toEqual(['fetch 1']);
    expect(out.tooLarge).toBe(1);
  });
});
