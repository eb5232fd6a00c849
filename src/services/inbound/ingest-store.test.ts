import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { storeRaw } from './ingest-store.js';

/** IMAP stores one message at a time through `storeRaw`: the test marker is checked there too. */
describe('storeRaw and the X-Mailroom-Test marker', () => {
  const ours = randomUUID();
  const target = { workspaceId: 'w', addressId: 'a', protocol: 'imap' as const };
  function inbound() {
    const stored: { status?: string; kind?: string | null }[] = [];
    const asked: string[][] = [];
    return {
      stored,
      asked,
      repo: {
        store: async (v: { status?: string; kind?: string | null }) => {
          stored.push({ status: v.status ?? 'stored', kind: v.kind ?? null });
          return { id: String(stored.length), inserted: true };
        },
        ownTestEmails: async (ws: string, address: string, ids: readonly string[]) => {
          asked.push([ws, address, ...ids]);
          return new Set(ids.filter((id) => id === ours));
        },
      },
    };
  }
  const raw = (value: string) =>
    Buffer.from(`From: a@b.example\r\nSubject: x\r\nX-Mailroom-Test: ${value}\r\n\r\nhi\r\n`);

  it('records a recent test email of the address as ours, unprocessed', async () => {
    const fake = inbound();
    const r = await storeRaw(fake.repo as never, target, '7:1', raw(ours), new Date());
    expect(r.fresh).toBe(false);
    expect(fake.stored).toEqual([{ status: 'processed', kind: 'test' }]);
    expect(fake.asked).toEqual([['w', 'a', ours]]);
  });

  it.each([
    ['a random id', randomUUID()],
    ['no id', 'yes'],
  ])('stores %s for processing', async (_, value) => {
    const fake = inbound();
    const r = await storeRaw(fake.repo as never, target, '7:1', raw(value), new Date());
    expect(r.fresh).toBe(true);
    expect(fake.stored).toEqual([{ status: 'stored', kind: null }]);
  });
});
