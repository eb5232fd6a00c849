import { afterEach, describe, expect, it } from 'vitest';
import { createPop3Mailbox } from '../../src/mail/pop3/pop3-mailbox.js';
import type { IncomingSession } from '../../src/ports/incoming-mailbox.js';
import {
  type CollectBudget,
  type CollectDeps,
  collectPop3,
  DEFAULT_COLLECT_BUDGET,
} from '../../src/services/inbound/collect-pop3.js';
import { createLoopbackResolver } from '../servers/loopback-resolver.js';
import { type FakeMessage, Pop3FakeServer } from '../servers/pop3-fake-server.js';
import type { Responder } from '../servers/pop3-fake-session.js';

/**
 * Collection against a POP3 server whose LIST sizes lie (reviewer's reproduction: 40 × 4 MiB
 * listed as 1 byte each became one 160 MiB batch against an 8 MiB batch budget). The bytes a
 * batch holds and the bytes a poll fetches are bounded by actual bytes, an honest mailbox is
 * still read whole, and a message far larger than listed is set aside so the next poll moves on.
 */
const KIB = 1024;
const servers: Pop3FakeServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

const message = (n: number, bodyBytes: number) =>
  Buffer.concat([Buffer.from(`Subject: m${n}\r\n\r\n`), Buffer.alloc(bodyBytes, 'A'), Buffer.from('\r\n')]);

/** A poll over a real POP3 session to the fake server; records each batch's actual bytes. */
async function poll(
  server: Pop3FakeServer,
  inbound: MemoryInbound,
  budget: Partial<CollectBudget>,
  options: { deleteAfterStore?: boolean } = {},
) {
  const mailbox = createPop3Mailbox({ resolver: createLoopbackResolver() });
  const session: IncomingSession = await mailbox.open(
    {
      protocol: 'pop3',
      host: 'localhost',
      port: server.port,
      security: 'none',
      auth: { type: 'password', user: 'user', pass: 'secret' },
    },
    { deadline: Date.now() + 30_000 },
  );
  const batches: number[] = [];
  const fetchMany = session.fetchManyBuffers.bind(session);
  session.fetchManyBuffers = async (ms, o) => {
    const got = await fetchMany(ms, o);
    batches.push(got.reduce((sum, b) => sum + b.length, 0));
    return got;
  };
  const ids = { workspaceId: 'w', addressId: 'a' };
  const target = { ...ids, firstSync: false, deleteAfterStore: false, deleteAfterDays: null, ...options };
  const deps: CollectDeps = { inbound, now: () => new Date(), checkpoint: async () => {} };
  const full = { ...DEFAULT_COLLECT_BUDGET, deadline: Date.now() + 30_000, ...budget };
  try {
    return { out: await collectPop3(session, target, deps, full), batches };
  } catch (err) {
    session.abort();
    throw Object.assign(err as Error, { batches });
  }
}

type Inbound = CollectDeps['inbound'];
type Row = Parameters<Inbound['store']>[0];
/** The repository's part collection uses, in memory: stored rows by remote id. */
class MemoryInbound implements Inbound {
  readonly rows: Row[] = [];
  readonly keys = new Set<string>();
  knownIds = async () => ({
    uids: new Map(this.rows.flatMap((r) => (r.remoteUid ? [[r.remoteUid, new Date()] as const] : []))),
    keys: new Set(this.keys),
  });
  existingHashes = async (_w: string, _a: string, shas: readonly string[]) =>
    new Set(shas.filter((sha) => this.rows.some((r) => r.contentSha256 === sha)));
  ownTestEmails = async () => new Set<string>();
  recordKnown = async (_w: string, _a: string, keys: readonly string[]) => {
    for (const k of keys) this.keys.add(k);
  };
  store = async (row: Row) => {
    // As the unique indexes: one row per id, one per content for rows without one.
    const same = this.rows.findIndex((r) =>
      row.remoteUid ? r.remoteUid === row.remoteUid : !r.remoteUid && r.contentSha256 === row.contentSha256,
    );
    if (same >= 0) return { id: String(same + 1), inserted: false };
    this.rows.push(row);
    return { id: String(this.rows.length), inserted: true };
  };
  storeMany = async (rows: Row[]) => Promise.all(rows.map((r) => this.store(r)));
}

async function fakeServer(messages: FakeMessage[], noUidl = false) {
  const server = await Pop3FakeServer.start({
    messages,
    pipelining: true,
    user: 'user',
    pass: 'secret',
    noUidl,
  });
  servers.push(server);
  return server;
}

describe('POP3 collection against listed sizes that lie', () => {
  it('reads an honest mailbox whole, no batch holding more than batchBytes', async () => {
    const messages = Array.from({ length: 30 }, (_, i) => ({ raw: message(i, 100 * KIB) }));
    const inbound = new MemoryInbound();
    const { out, batches } = await poll(await fakeServer(messages), inbound, { batchBytes: 512 * KIB });
    expect(out.storedIds).toHaveLength(30);
    expect(inbound.rows.map((r) => r.raw.equals(messages[Number(r.remoteUid?.slice(4)) - 1]!.raw))).toEqual(
      messages.map(() => true),
    );
    expect(batches.length).toBeGreaterThan(1);
    expect(Math.max(...batches)).toBeLessThanOrEqual(512 * KIB);
  });

  it('keeps each batch within batchBytes of actual bytes when every message is listed as 1 byte', async () => {
    // 60 KiB each is within the 64 KiB slack: delivered, but planned as the most it may send.
    const messages = Array.from({ length: 30 }, (_, i) => ({ raw: message(i, 60 * KIB), listSize: 1 }));
    const inbound = new MemoryInbound();
    const { out, batches } = await poll(await fakeServer(messages), inbound, { batchBytes: 512 * KIB });
    expect(out.storedIds).toHaveLength(30);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(messages.reduce((a, m) => a + m.raw.length, 0));
    expect(Math.max(...batches)).toBeLessThanOrEqual(512 * KIB);
  });

  it('counts actual bytes against the session budget, not the listed ones', async () => {
    const messages = Array.from({ length: 20 }, (_, i) => ({ raw: message(i, 60 * KIB), listSize: 1 }));
    const { out } = await poll(await fakeServer(messages), new MemoryInbound(), {
      maxBytes: 300 * KIB,
      batchBytes: 512 * KIB,
    });
    expect(out.more).toBe(true);
    // At most one message's allowance (listed size + 64 KiB) past the budget.
    expect(out.bytes).toBeLessThanOrEqual(300 * KIB + 64 * KIB + 1);
    expect(out.storedIds.length).toBeLessThan(20);
  });

  it('stops a message far larger than listed, sets it aside by its id, and the next poll collects the rest', async () => {
    const messages = [
      { raw: message(1, 10 * KIB) },
      { raw: message(2, 4 * 1024 * KIB), listSize: 1 },
      { raw: message(3, 10 * KIB) },
    ];
    const server = await fakeServer(messages);
    const inbound = new MemoryInbound();
    const failed = await poll(server, inbound, {}).catch((e: unknown) => e);
    expect(failed).toMatchObject({
      failure: { kind: 'limit', step: 'retr' },
      outgrown: { seq: 2, listed: 1, allowed: 64 * KIB + 1 },
    });
    expect(inbound.rows).toEqual([
      expect.objectContaining({
        remoteUid: 'uid-2',
        status: 'quarantined',
        kind: 'unreadable',
        raw: Buffer.alloc(0),
        processError: { reason: 'outgrew_listed_size', listed: 1, limit: 64 * KIB + 1 },
      }),
    ]);
    const { out } = await poll(server, inbound, {});
    expect(out.storedIds).toHaveLength(2);
    expect(inbound.rows.map((r) => r.remoteUid).sort()).toEqual(['uid-1', 'uid-2', 'uid-3']);
    expect(server.commandLines().filter((l) => l === 'RETR 2')).toHaveLength(1);
  });

  it.each([
    ['no UIDL at all', true, undefined],
    ['a malformed UIDL', false, 'x'.repeat(71)],
  ])(
    'sets aside a lying message with %s once, by its header digest; later polls collect the others and never RETR it again',
    async (_name, noUidl, badUid) => {
      const messages = [
        { raw: message(1, 10 * KIB), uid: badUid },
        { raw: message(2, 4 * 1024 * KIB), listSize: 1, uid: badUid },
        { raw: message(3, 10 * KIB), uid: badUid },
      ];
      const server = await fakeServer(messages, noUidl);
      const inbound = new MemoryInbound();
      const failed = await poll(server, inbound, {}).catch((e: unknown) => e);
      expect(failed).toMatchObject({
        failure: { kind: 'limit', step: 'retr' },
        outgrown: { seq: 2, listed: 1 },
      });
      expect([...inbound.keys]).toEqual([expect.stringMatching(/^outgrown:1:[0-9a-f]{64}$/)]);
      expect(inbound.rows).toEqual([
        expect.objectContaining({
          remoteUid: null,
          kind: 'unreadable',
          raw: Buffer.alloc(0),
          processError: { reason: 'outgrew_listed_size', listed: 1, limit: 64 * KIB + 1 },
        }),
      ]);
      const second = await poll(server, inbound, {});
      expect(second.out.storedIds).toHaveLength(2);
      const third = await poll(server, inbound, {});
      expect(third.out.storedIds).toHaveLength(0);
      expect(inbound.rows.filter((r) => r.raw.length > 0).map((r) => r.raw.toString().slice(0, 11))).toEqual(
        expect.arrayContaining(['Subject: m1', 'Subject: m3']),
      );
      expect(inbound.rows).toHaveLength(3);
      // Fetched whole once; after that only its headers, once per poll.
      expect(server.commandLines().filter((l) => l === 'RETR 2')).toHaveLength(1);
      expect(server.commandLines().filter((l) => l === 'TOP 2 0')).toHaveLength(2);
    },
  );

  // A named handler: Biome takes an upper-case key's inline arrow for a component factory.
  const refuseTop: Responder = (session) => session.send('-ERR no TOP here\r\n');
  /** 1 MiB sent for 100 KiB listed: stopped at 164 KiB (listed + 64 KiB). */
  const liar = (n: number) => ({ raw: message(n, 1024 * KIB), listSize: 100 * KIB });
  /** [message 1, a liar, message 3] (or `messages`) on a server with neither TOP nor UIDL. */
  async function noTopServer(messages?: FakeMessage[], pipelining = false) {
    const server = await Pop3FakeServer.start({
      messages: messages ?? [{ raw: message(1, 10 * KIB) }, liar(2), { raw: message(3, 20 * KIB) }],
      pipelining,
      user: 'user',
      pass: 'secret',
      noUidl: true,
      respond: { TOP: refuseTop },
    });
    servers.push(server);
    return server;
  }

  /** Per connection: how often it sent `line`, and whether it ended with QUIT. */
  const perSession = (server: Pop3FakeServer, line: string) =>
    server.connections.map((c) => ({
      sent: c.commands.filter((x) => x.line === line).length,
      quit: c.commands.some((x) => x.line === 'QUIT'),
    }));

  it.each([
    ['pipelining', true],
    ['no pipelining', false],
  ])(
    'without TOP nor UIDL (%s): the set-aside message is read last, at most once a poll and only to its allowance; the others are stored once and no later poll fails',
    async (_name, pipelining) => {
      const server = await noTopServer(undefined, pipelining);
      const messages = server.messages;
      const inbound = new MemoryInbound();
      const first = await poll(server, inbound, {}).catch((e: unknown) => e);
      expect(first).toMatchObject({ outgrown: { seq: 2, listed: 100 * KIB, allowed: 164 * KIB } });
      const second = await poll(server, inbound, {});
      const third = await poll(server, inbound, {});
      expect(second.out.storedIds).toHaveLength(2);
      expect(third.out.storedIds).toHaveLength(0);
      expect(third.out.duplicates).toBe(2);
      // Every poll reads the two others whole and the liar up to its allowance, not a byte more.
      const others = messages[0]!.raw.length + messages[2]!.raw.length;
      expect([second.out.bytes, third.out.bytes]).toEqual([others + 164 * KIB, others + 164 * KIB]);
      expect(
        inbound.rows.map((r) => (r.raw.length > 0 ? r.raw.toString().slice(0, 11) : r.kind)).sort(),
      ).toEqual(['Subject: m1', 'Subject: m3', 'unreadable']);
      // One RETR of it a poll; TOP asked once a session, never again after its -ERR; the
      // sessions that recognised it end without QUIT (nothing was marked deleted).
      expect(perSession(server, 'RETR 2').map((x) => x.sent)).toEqual([1, 1, 1]);
      expect(perSession(server, 'TOP 2 0')).toEqual([
        { sent: 0, quit: false },
        { sent: 1, quit: false },
        { sent: 1, quit: false },
      ]);
      expect(server.commandLines().filter((l) => l.startsWith('TOP'))).toHaveLength(2);
      expect(server.commandLines().filter((l) => l.startsWith('DELE'))).toEqual([]);
    },
  );

  it('without TOP, ordinary mail listed at the set-aside size is read and stored once, TOP asked once a session', async () => {
    // Exactly 100 KiB, honestly listed: the same listed size as the liar, and older than it (read
    // after it, newest first: a fixed order would never reach it).
    const same = { raw: message(4, 100 * KIB - message(4, 0).length) };
    expect(same.raw.length).toBe(100 * KIB);
    const server = await noTopServer([
      same,
      liar(2),
      { raw: message(3, 20 * KIB) },
      { raw: message(1, 10 * KIB) },
    ]);
    const inbound = new MemoryInbound();
    await expect(poll(server, inbound, {})).rejects.toMatchObject({ outgrown: { seq: 2 } });
    // Both candidates read last, from a random one: the liar ends a session, so the other may
    // wait a poll (40 polls without it: one chance in 2^40, not a flaky test).
    for (let n = 0; n < 40 && !inbound.rows.some((r) => r.raw.equals(same.raw)); n++)
      await poll(server, inbound, {});
    await poll(server, inbound, {});
    expect(
      inbound.rows
        .filter((r) => r.raw.length > 0)
        .map((r) => r.raw.toString().slice(0, 11))
        .sort(),
    ).toEqual(['Subject: m1', 'Subject: m3', 'Subject: m4']);
    const later = perSession(server, 'TOP 2 0').slice(1);
    expect(later.every((x) => x.sent === 1)).toBe(true);
    expect(
      server.connections
        .slice(1)
        .every((c) => c.commands.filter((x) => x.line.startsWith('TOP')).length === 1),
    ).toBe(true);
    expect(perSession(server, 'RETR 2').every((x) => x.sent <= 1)).toBe(true);
  });

  it('without TOP, the set-aside message waits while a DELE waits for QUIT (delete after collecting)', async () => {
    const server = await noTopServer();
    const inbound = new MemoryInbound();
    await expect(poll(server, inbound, {}, { deleteAfterStore: true })).rejects.toMatchObject({
      outgrown: { seq: 2 },
    });
    // Stores and deletes 1 and 3, then QUIT commits it: the liar is not read (more: soon again).
    const second = await poll(server, inbound, {}, { deleteAfterStore: true });
    expect(second.out).toMatchObject({ deleted: 2, more: true });
    expect(server.messages.map((m) => m.raw.toString().slice(0, 11))).toEqual(['Subject: m2']);
    // Alone now: read to its allowance, recognised, the session dropped.
    const third = await poll(server, inbound, {}, { deleteAfterStore: true });
    expect(third.out).toMatchObject({ deleted: 0, more: false, bytes: 164 * KIB });
    const retrs = server.connections.map((c) =>
      c.commands.flatMap((x) => (x.line.startsWith('RETR') ? [x.line] : [])),
    );
    // The liar is message 1 once the others are gone; the middle session ended with QUIT.
    expect(retrs).toEqual([['RETR 3', 'RETR 2'], ['RETR 3', 'RETR 1'], ['RETR 1']]);
    expect(perSession(server, 'QUIT').map((x) => x.quit)).toEqual([false, true, false]);
    expect(inbound.rows).toHaveLength(3);
  });

  it('without TOP, the set-aside message waits when the poll has no message budget left for it', async () => {
    const server = await noTopServer();
    const inbound = new MemoryInbound();
    await expect(poll(server, inbound, {})).rejects.toMatchObject({ outgrown: { seq: 2 } });
    const second = await poll(server, inbound, { maxMessages: 2 });
    expect(second.out).toMatchObject({
      more: true,
      bytes: message(1, 10 * KIB).length + message(3, 20 * KIB).length,
    });
    expect(second.out.storedIds).toHaveLength(2);
    expect(perSession(server, 'RETR 2')[1]).toEqual({ sent: 0, quit: true });
  });

  it('without TOP, a liar whose headers change still fails, but only after the others were stored', async () => {
    const server = await noTopServer();
    const inbound = new MemoryInbound();
    await expect(poll(server, inbound, {})).rejects.toMatchObject({ outgrown: { seq: 2 } });
    server.messages[1] = liar(9);
    await expect(poll(server, inbound, {})).rejects.toMatchObject({ outgrown: { seq: 2 } });
    expect(inbound.keys.size).toBe(2);
    expect(
      inbound.rows.map((r) => (r.raw.length > 0 ? r.raw.toString().slice(0, 11) : r.kind)).sort(),
    ).toEqual(['Subject: m1', 'Subject: m3', 'unreadable', 'unreadable']);
  });
});
