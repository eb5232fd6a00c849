import { afterEach, describe, expect, it } from 'vitest';
import { classify } from '../../src/domain/catalogue/classify.js';
import type { MailFailure } from '../../src/domain/mailbox/mail-failure.js';
import type { ImapMailboxSession } from '../../src/ports/imap-mailbox.js';
import { collectImap } from '../../src/services/inbound/collect-imap.js';
import { type CollectBudget, DEFAULT_COLLECT_BUDGET } from '../../src/services/inbound/collect-pop3.js';
import type { PollerDeps } from '../../src/services/inbound/poll-mailboxes.js';
import { openFakeImapSession } from '../servers/imap-fake-session.js';
import { type LyingMessage, lyingSizes } from '../servers/imap-lying-sizes.js';
import type { RawSmtpServer } from '../servers/smtp-raw-server.js';

/**
 * Collection against an IMAP server whose RFC822.SIZE lies or is missing (the POP3 reviewer's
 * reproduction, on IMAP: 40 × 4 MiB listed as 1 byte each). What one batch holds is bounded by
 * actual bytes, an honest mailbox is still read whole, and a message larger than its listing
 * allows is set aside by UID, the poll failing with a cursor past it.
 */
const KIB = 1024;
const MIB = 1024 * KIB;
const servers: RawSmtpServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const message = (n: number, bodyBytes: number) => `Subject: m${n}\r\n\r\n${'A'.repeat(bodyBytes)}\r\n`;

type Row = { remoteUid: string | null; raw: Buffer; status?: string; processError?: unknown };
/** The repository's part IMAP collection uses, in memory. */
class MemoryInbound {
  readonly rows: Row[] = [];
  existingHashes = async () => new Set<string>();
  ownTestEmails = async () => new Set<string>();
  store = async (row: Row) => {
    this.rows.push(row);
    return { id: String(this.rows.length), inserted: true };
  };
}

/** Each batch: bytes received, and bytes kept (handed to the store). */
type Batch = { received: number; kept: number };

async function poll(
  messages: LyingMessage[],
  budget: Partial<CollectBudget> = {},
  opts: { ignoreRange?: boolean; lastUid?: number; inbound?: MemoryInbound } = {},
) {
  const server = lyingSizes(messages, opts);
  const session: ImapMailboxSession = await openFakeImapSession(servers, server.extra);
  const batches: Batch[] = [];
  const fetchRaw = session.fetchRaw.bind(session);
  session.fetchRaw = async (wanted) => {
    const got = await fetchRaw(wanted);
    const kept = [...got.raws.values()].reduce((sum, b) => sum + b.length, 0);
    batches.push({ received: got.bytes, kept });
    return got;
  };
  const inbound = opts.inbound ?? new MemoryInbound();
  const state = {
    uidvalidity: '55',
    lastUid: opts.lastUid ?? 0,
    lastSuccessAt: new Date(),
    initializedAt: new Date(0),
  };
  const ids = { workspaceId: 'w', addressId: 'a' };
  const target = { ...ids, firstSync: false, deleteAfterStore: false, deleteAfterDays: null };
  const deps = {
    inbound: inbound as unknown as PollerDeps['inbound'],
    now: () => new Date(),
    checkpoint: async () => {},
  };
  try {
    const r = await collectImap(session, state, target, deps, {
      ...DEFAULT_COLLECT_BUDGET,
      deadline: Date.now() + 30_000,
      ...budget,
    });
    await session.close();
    return { ...r, error: null, batches, inbound, seen: server.seen };
  } catch (err) {
    session.abort();
    const e = err as { failure?: MailFailure; cursor?: unknown };
    return { outcome: null, cursor: e.cursor, error: e, batches, inbound, seen: server.seen };
  }
}

const catalogueId = (f: MailFailure | undefined) => (f ? classify(f).entry.id : null);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('IMAP collection against listed sizes that lie', () => {
  it('reads an honest mailbox whole, no batch holding more than batchBytes', async () => {
    const messages = Array.from({ length: 30 }, (_, i) => ({ raw: message(i, 100 * KIB) }));
    const r = await poll(messages, { batchBytes: 512 * KIB });
    expect(r.error).toBeNull();
    expect(r.outcome?.storedIds).toHaveLength(30);
    expect(r.inbound.rows.map((row) => row.raw.toString())).toEqual(messages.map((m) => m.raw));
    expect(r.batches.length).toBeGreaterThan(1);
    expect(Math.max(...r.batches.map((b) => b.received))).toBeLessThanOrEqual(512 * KIB);
    expect(r.cursor).toEqual({ uidvalidity: '55', lastUid: 30 });
  });

  it('keeps each batch within batchBytes of actual bytes when every message is listed as 1 byte', async () => {
    // 60 KiB each is within the 64 KiB slack: delivered, but planned as the most it may send.
    const messages = Array.from({ length: 30 }, (_, i) => ({ raw: message(i, 60 * KIB), listSize: 1 }));
    const r = await poll(messages, { batchBytes: 512 * KIB });
    expect(r.error).toBeNull();
    expect(r.outcome?.storedIds).toHaveLength(30);
    expect(sum(r.batches.map((b) => b.kept))).toBe(sum(messages.map((m) => m.raw.length)));
    expect(Math.max(...r.batches.map((b) => b.received))).toBeLessThanOrEqual(512 * KIB);
  });

  it('40 × 4 MiB listed as 1 byte: each body stopped at its allowance + 1, all set aside, the cursor past them', async () => {
    const messages = Array.from({ length: 40 }, (_, i) => ({ raw: message(i, 4 * MIB), listSize: 1 }));
    const r = await poll(messages);
    // One FETCH of 40 (planned at 64 KiB + 1 each), every body cut by the range asked for.
    expect(r.seen.bodyFetches).toEqual([{ uids: messages.map((_, i) => i + 1), maxLength: 64 * KIB + 2 }]);
    expect(r.seen.sent).toBe(40 * (64 * KIB + 2));
    expect(r.batches).toEqual([{ received: 40 * (64 * KIB + 2), kept: 0 }]);
    expect(r.inbound.rows).toHaveLength(40);
    expect(r.inbound.rows[0]).toMatchObject({
      remoteUid: '55:1',
      status: 'quarantined',
      raw: Buffer.alloc(0),
      processError: { reason: 'outgrew_listed_size', listed: 1, limit: 64 * KIB + 1 },
    });
    expect(r.error?.failure).toMatchObject({ kind: 'limit', protocol: 'imap', step: 'fetch' });
    expect(r.error?.failure?.detail).toMatch(/^message UID 1 sent more than the 1 bytes RFC822\.SIZE/);
    expect(catalogueId(r.error?.failure)).toBe('incoming-message-larger-than-listed');
    expect(r.cursor).toEqual({ uidvalidity: '55', lastUid: 40 });
  });

  it('stores the rest of the batch around a lying message; the next poll from the cursor fetches nothing again', async () => {
    const messages = [
      { raw: message(1, 10 * KIB) },
      { raw: message(2, 4 * MIB), listSize: 1 },
      { raw: message(3, 10 * KIB) },
    ];
    const inbound = new MemoryInbound();
    const r = await poll(messages, {}, { inbound });
    expect(inbound.rows.map((row) => [row.remoteUid, row.status ?? 'stored'])).toEqual([
      ['55:1', 'stored'],
      ['55:2', 'quarantined'],
      ['55:3', 'stored'],
    ]);
    expect(inbound.rows[2]?.raw.toString()).toBe(messages[2]?.raw);
    // The range is one per FETCH: the lying message got the largest allowance + 1 (message 1's).
    const small = messages[0]!.raw.length;
    expect(r.batches).toEqual([{ received: 2 * small + (small + 64 * KIB + 1), kept: 2 * small }]);
    expect(r.cursor).toEqual({ uidvalidity: '55', lastUid: 3 });
    const next = await poll(messages, {}, { inbound, lastUid: 3 });
    expect(next.error).toBeNull();
    expect(next.seen.bodyFetches).toEqual([]);
    expect(inbound.rows).toHaveLength(3);
  });

  it('a missing RFC822.SIZE counts as the message cap, not 0: one such message per batch, stored whole', async () => {
    const messages = Array.from({ length: 6 }, (_, i) => ({ raw: message(i, 300 * KIB), listSize: null }));
    const r = await poll(messages, { maxMessageBytes: 1 * MIB, batchBytes: 2 * MIB });
    expect(r.error).toBeNull();
    expect(r.seen.bodyFetches.map((f) => f.uids.length)).toEqual([2, 2, 2]);
    expect(r.seen.bodyFetches.every((f) => f.maxLength === MIB + 1)).toBe(true);
    expect(r.inbound.rows.map((row) => row.raw.length)).toEqual(messages.map((m) => m.raw.length));
    expect(Math.max(...r.batches.map((b) => b.received))).toBeLessThanOrEqual(2 * MIB);
  });

  it('a message without a size past the message cap is set aside as too large', async () => {
    const messages = [{ raw: message(1, 3 * MIB), listSize: null }, { raw: message(2, 1 * KIB) }];
    const r = await poll(messages, { maxMessageBytes: 1 * MIB });
    expect(r.batches).toEqual([
      { received: MIB + 1 + messages[1]!.raw.length, kept: messages[1]!.raw.length },
    ]);
    expect(r.inbound.rows[0]).toMatchObject({
      remoteUid: '55:1',
      status: 'quarantined',
      processError: { reason: 'too_large', size: null, limit: MIB },
    });
    expect(r.inbound.rows[1]?.raw.toString()).toBe(messages[1]?.raw);
    expect(catalogueId(r.error?.failure)).toBe('incoming-message-too-large');
    expect(r.cursor).toEqual({ uidvalidity: '55', lastUid: 2 });
  });

  it('counts actual bytes against the session budget, not the listed ones', async () => {
    const messages = Array.from({ length: 20 }, (_, i) => ({ raw: message(i, 60 * KIB), listSize: 1 }));
    const r = await poll(messages, { maxBytes: 300 * KIB, batchBytes: 512 * KIB });
    expect(r.error).toBeNull();
    expect(r.outcome?.more).toBe(true);
    // At most one message's allowance (listed size + 64 KiB) past the budget.
    expect(r.outcome?.bytes).toBe(sum(r.batches.map((b) => b.received)));
    expect(r.outcome?.bytes).toBeLessThanOrEqual(300 * KIB + 64 * KIB + 1);
    expect(r.outcome?.storedIds.length).toBeLessThan(20);
  });

  it('a server ignoring the byte range: bodies over their allowance dropped one at a time, none kept', async () => {
    const messages = Array.from({ length: 3 }, (_, i) => ({ raw: message(i, 4 * MIB), listSize: 1 }));
    const r = await poll(messages, {}, { ignoreRange: true });
    expect(r.batches).toEqual([{ received: 3 * messages[0]!.raw.length, kept: 0 }]);
    expect(r.inbound.rows.map((row) => row.status)).toEqual(['quarantined', 'quarantined', 'quarantined']);
    expect(catalogueId(r.error?.failure)).toBe('incoming-message-larger-than-listed');
  });
});
