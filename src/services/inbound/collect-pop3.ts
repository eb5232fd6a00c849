import { createHash } from 'node:crypto';
import type { InboundRepository } from '../../db/repositories/inbound.repository.js';
import { listedSizeAllowance } from '../../domain/mailbox/listed-size.js';
import type { SettledOutcome } from '../../ports/inbound-processor.js';
import type { IncomingMessageRef, IncomingSession, OutgrownMessage } from '../../ports/incoming-mailbox.js';
import { knownKey, outgrownSizes, ownTestIds, type RawFacts, readRawFacts } from './ingest-message.js';
import { readPostponed, recognise } from './pop3-set-aside.js';

/** Bounds of one collection session (M36): what is left resumes on the next poll. */
export interface CollectBudget {
  maxMessages: number;
  maxBytes: number;
  /** Larger messages are not fetched: recorded as unreadable (SECURITY.md §4.2). */
  maxMessageBytes: number;
  /** Absolute time (ms since epoch) after which no new batch starts. */
  deadline: number;
  /** Messages fetched per pipelined batch. */
  batchMessages: number;
  batchBytes: number;
}

export const DEFAULT_COLLECT_BUDGET: Omit<CollectBudget, 'deadline'> = {
  maxMessages: 2_000,
  maxBytes: 200 * 1024 * 1024,
  maxMessageBytes: 50 * 1024 * 1024,
  batchMessages: 50,
  batchBytes: 8 * 1024 * 1024,
};

export interface CollectTarget {
  workspaceId: string;
  addressId: string;
  /** Not initialised yet: record what is there without importing it. */
  firstSync: boolean;
  /** The user chose to delete from the server after collecting (never the default). */
  deleteAfterStore: boolean;
  /** Leave on server, but delete this many days after collecting (null: keep). */
  deleteAfterDays: number | null;
}

export interface CollectOutcome {
  /** Rows inserted by this session that still need processing. */
  storedIds: string[];
  /** The bytes of (some of) those rows, still in memory: reading them back is not needed. */
  storedRaw: Map<string, Buffer>;
  /** Our own test emails, recorded and skipped. */
  tests: number;
  /** Stored with their outcome already (`settle`): nothing left to process. */
  settled: number;
  duplicates: number;
  /** Ids recorded by the first sync. */
  baselined: number;
  deleted: number;
  tooLarge: number;
  bytes: number;
  /** The budget ran out with work left: poll again soon. */
  more: boolean;
  /** The first sync finished. */
  initialized: boolean;
}

export interface CollectDeps {
  inbound: Pick<
    InboundRepository,
    'knownIds' | 'existingHashes' | 'store' | 'storeMany' | 'recordKnown' | 'ownTestEmails'
  >;
  now: () => Date;
  /**
   * Called between batches (`final` before QUIT): renews the lease; throws when it was lost
   * (stop before QUIT).
   */
  checkpoint: (final?: boolean) => Promise<void>;
  /**
   * Reading's read-only triage (`InboundProcessor.settleBeforeStore`): outcomes written in the
   * INSERT itself. A failure only means the messages are processed after the store.
   */
  settle?: (raws: readonly Buffer[]) => Promise<(SettledOutcome | null)[]>;
}

/** Broken-id servers: messages are read newest first until this many in a row are known. */
const KNOWN_STREAK_STOP = 20;
/** Bytes of stored messages kept in memory per session for processing (the rest are read back). */
export const KEEP_RAW_BYTES = 64 * 1024 * 1024;
const EMPTY_SHA = createHash('sha256').update(Buffer.alloc(0)).digest('hex');

/**
 * One POP3 collection (M37): UIDL diff against what is stored, each message stored durably
 * BEFORE the QUIT that would let a server (Gmail) hide it, DELE only when the user chose it and
 * only after the store, the first sync only records ids. A message whose id is missing,
 * malformed or duplicated is identified by its content hash. Ends the session with QUIT (or by
 * dropping it after recognising a set-aside message without TOP, see pop3-set-aside.ts); on a
 * throw the caller aborts it (no QUIT: pending deletions are dropped).
 */
export async function collectPop3(
  session: IncomingSession,
  target: CollectTarget,
  deps: CollectDeps,
  budget: CollectBudget,
): Promise<CollectOutcome> {
  const { workspaceId, addressId } = target;
  const out: CollectOutcome = {
    storedIds: [],
    storedRaw: new Map(),
    tests: 0,
    settled: 0,
    duplicates: 0,
    baselined: 0,
    deleted: 0,
    tooLarge: 0,
    bytes: 0,
    more: false,
    initialized: false,
  };
  const listing = await session.list();
  const known = await deps.inbound.knownIds(workspaceId, addressId);
  const hasId = (m: IncomingMessageRef): m is IncomingMessageRef & { uid: string } =>
    m.uidValid && m.uid !== null;
  const withId = listing.messages.filter(hasId);
  const broken = listing.messages.filter((m) => !hasId(m)).sort((a, b) => b.seq - a.seq);
  const seen = (uid: string) => known.uids.has(uid) || known.keys.has(knownKey.uid(uid));

  if (target.firstSync) {
    const keys = withId.filter((m) => !seen(m.uid)).map((m) => knownKey.uid(m.uid));
    await deps.inbound.recordKnown(workspaceId, addressId, keys);
    out.baselined += keys.length;
  }

  // Messages to read: new ids oldest first (resume order), then broken ids newest first.
  const fresh = target.firstSync ? [] : withId.filter((m) => !seen(m.uid)).sort((a, b) => a.seq - b.seq);
  const queue: IncomingMessageRef[] = [...fresh, ...broken];
  // Sizes of messages without an id set aside earlier: only a broken id listed at one of them
  // costs a TOP to be passed by its header digest (where TOP is refused: read last, `postponed`).
  const asideSizes = outgrownSizes(known.keys);
  const postponed: IncomingMessageRef[] = [];
  let fetched = 0;
  let keptRawBytes = 0;
  let knownStreak = 0;
  let i = 0;
  /** The next batch to fetch within the budget, or null when done (or the budget ran out). */
  const nextBatch = async (): Promise<IncomingMessageRef[] | null> => {
    while (i < queue.length) {
      if (knownStreak >= KNOWN_STREAK_STOP && i >= fresh.length) return null;
      if (fetched >= budget.maxMessages || out.bytes >= budget.maxBytes || Date.now() >= budget.deadline) {
        out.more = true;
        return null;
      }
      const batch: IncomingMessageRef[] = [];
      let batchBytes = 0;
      while (i < queue.length && batch.length < budget.batchMessages) {
        const m = queue[i] as IncomingMessageRef;
        // Planned on the most the client lets the message deliver (its listed size plus slack),
        // not on the listed size: a server that lists 1 byte and sends 4 MiB cannot make a batch
        // (nor the next one, in flight while this one is stored) hold more than `batchBytes`.
        const most = Math.min(listedSizeAllowance(m.size), budget.maxMessageBytes);
        if (batch.length > 0 && batchBytes + most > budget.batchBytes) break;
        if (batch.length > 0 && out.bytes + batchBytes + most > budget.maxBytes) break;
        if (fetched + batch.length >= budget.maxMessages) break;
        // Each TOP below is a round trip: as many as the "known in a row" stop allows.
        if (!hasId(m) && knownStreak >= KNOWN_STREAK_STOP) break;
        i++;
        const seen = hasId(m) ? 'read' : await recognise(session, known.keys, asideSizes, m);
        if (seen === 'passed') {
          knownStreak++;
          out.duplicates++;
          continue;
        }
        if (seen === 'postponed') {
          postponed.push(m);
          continue;
        }
        if (m.size > budget.maxMessageBytes) {
          // A record is a write too: counted, so a listing of huge sizes cannot cost one poll
          // a hundred thousand inserts (the rest waits for the next poll).
          if (await recordTooLarge(m)) fetched++;
          continue;
        }
        batch.push(m);
        batchBytes += most;
        // Broken ids read one batch at a time so the "known in a row" stop can act.
        if (!hasId(m) && batch.length >= 5) break;
      }
      if (batch.length === 0) continue;
      fetched += batch.length;
      return batch;
    }
    return null;
  };
  const fetchBatch = (batch: IncomingMessageRef[] | null) => {
    if (!batch) return null;
    // The whole batch in flight (≤ batchBytes): while the previous batch is stored (PGlite
    // holds this thread), the server keeps sending into the socket instead of stalling after
    // a few messages.
    const buffers = session.fetchManyBuffers(batch, { inFlight: batch.length });
    // Awaited below; if a store fails first the caller aborts the session instead.
    buffers.catch(() => {});
    return { batch, buffers };
  };
  const readAll = async () => {
    let current = fetchBatch(await nextBatch());
    while (current) {
      const buffers = await current.buffers;
      // Actual bytes, not listed ones: they are what the session budget (`maxBytes`) bounds.
      for (const b of buffers) out.bytes += b.length;
      // While this batch is stored, the server already sends the next one (POP3 commands queue
      // in order, so a DELE below still follows its store). Only while ids are valid: for
      // broken ids the store's result decides whether to read on.
      const next = i < fresh.length ? fetchBatch(await nextBatch()) : undefined;
      const kept = await storeBatch(current.batch, buffers);
      for (const k of kept) knownStreak = k ? 0 : knownStreak + 1;
      await deps.checkpoint();
      current = next === undefined ? fetchBatch(await nextBatch()) : next;
    }
  };
  // The failure may surface at the batch's fetch or at a DELE queued behind it.
  await readAll().catch(setAsideOutgrown);
  if (target.firstSync && !out.more) out.initialized = true;

  // Stored earlier but still on the server (a crash before QUIT, or a retention period).
  if (!target.firstSync) {
    const cutoff =
      target.deleteAfterDays === null ? null : deps.now().getTime() - target.deleteAfterDays * 86_400_000;
    for (const m of withId) {
      const at = known.uids.get(m.uid);
      if (!at) continue;
      if (target.deleteAfterStore || (cutoff !== null && at.getTime() <= cutoff)) {
        await session.delete(m);
        out.deleted++;
      }
    }
  }
  // Last, after every other message; true when it recognised a set-aside one by its RETR (the
  // connection is gone with it: no QUIT, and pop3-set-aside.ts reads none while a DELE waits).
  const dropped = await readPostponed(postponed, {
    session,
    keys: known.keys,
    out,
    budget,
    fetched,
    store: (m, raw) => storeBatch([m], [raw]),
  }).catch(setAsideOutgrown);
  await deps.checkpoint(true);
  if (dropped) session.abort();
  else await session.close();
  return out;

  /**
   * Stores one fetched batch in one statement (durable when it resolves), then deletes what the
   * user chose to delete. Per message: false when it was already known (a duplicate).
   */
  async function storeBatch(batch: IncomingMessageRef[], raws: Buffer[]): Promise<boolean[]> {
    const facts = raws.map((raw) => readRawFacts(raw));
    const brokenShas = batch.flatMap((m, j) => (hasId(m) ? [] : [(facts[j] as RawFacts).sha256]));
    const existing = await deps.inbound.existingHashes(workspaceId, addressId, brokenShas);
    const now = deps.now();
    const result: boolean[] = [];
    const rows: { m: IncomingMessageRef; j: number }[] = [];
    const baseline: string[] = [];
    for (let j = 0; j < batch.length; j++) {
      const m = batch[j] as IncomingMessageRef;
      const f = facts[j] as RawFacts;
      if (!hasId(m)) {
        const key = knownKey.sha(f.sha256);
        if (known.keys.has(key) || existing.has(f.sha256)) {
          out.duplicates++;
          result[j] = false;
          // Stored earlier (not a baseline entry): delete if the user chose so.
          if (target.deleteAfterStore && !target.firstSync && !known.keys.has(key)) {
            await session.delete(m);
            out.deleted++;
          }
          continue;
        }
        if (target.firstSync) {
          baseline.push(key);
          known.keys.add(key);
          out.baselined++;
          result[j] = true;
          continue;
        }
      }
      rows.push({ m, j });
    }
    if (baseline.length > 0) await deps.inbound.recordKnown(workspaceId, addressId, baseline);
    const tests = await ownTestIds(
      deps.inbound,
      target,
      rows.map(({ j }) => facts[j] as RawFacts),
      now,
    );
    const isOwnTest = (j: number) => tests.has((facts[j] as RawFacts).testId ?? '');
    const triaged = rows.filter(({ j }) => !isOwnTest(j));
    const outcomes = new Map<number, SettledOutcome>();
    if (deps.settle && triaged.length > 0) {
      const settled = await deps.settle(triaged.map(({ j }) => raws[j] as Buffer)).catch(() => []);
      triaged.forEach(({ j }, k) => {
        const o = settled[k];
        if (o) outcomes.set(j, o);
      });
    }
    const stored = await deps.inbound.storeMany(
      rows.map(({ m, j }) => {
        const f = facts[j] as RawFacts;
        const raw = raws[j] as Buffer;
        const o = outcomes.get(j);
        return {
          workspaceId,
          addressId,
          protocol: 'pop3' as const,
          remoteUid: hasId(m) ? m.uid : null,
          contentSha256: f.sha256,
          raw,
          size: raw.length,
          messageIdHeader: f.messageId,
          receivedAt: now,
          ...(isOwnTest(j) ? { status: 'processed' as const, kind: 'test' as const, processedAt: now } : {}),
          ...(o
            ? { status: o.status, kind: o.kind, processError: o.processError ?? null, processedAt: now }
            : {}),
        };
      }),
    );
    for (let r = 0; r < rows.length; r++) {
      const { m, j } = rows[r] as { m: IncomingMessageRef; j: number };
      const s = stored[r] as { id: string | null; inserted: boolean };
      result[j] = s.inserted;
      if (!s.inserted) out.duplicates++;
      else if (isOwnTest(j)) out.tests++;
      else if (outcomes.has(j)) out.settled++;
      else {
        out.storedIds.push(s.id as string);
        const raw = raws[j] as Buffer;
        if (keptRawBytes + raw.length <= KEEP_RAW_BYTES) {
          out.storedRaw.set(s.id as string, raw);
          keptRawBytes += raw.length;
        }
      }
      // Durable now: only from here may the message leave the server.
      if (target.deleteAfterStore) {
        await session.delete(m);
        out.deleted++;
      }
    }
    return result;
  }

  /**
   * A message that sent more than its listed size allows ended the session: recorded (by its
   * id) as unreadable before the failure goes on, so the next poll skips it and moves on instead
   * of fetching it again forever. A broken id cannot be recorded (its hash needs the whole body).
   */
  async function setAsideOutgrown(err: unknown): Promise<never> {
    const outgrown = (err as { outgrown?: OutgrownMessage } | null)?.outgrown;
    const m = outgrown && queue.find((x) => x.seq === outgrown.seq);
    if (!outgrown || !m) throw err;
    const why = { reason: 'outgrew_listed_size', listed: m.size, limit: outgrown.allowed };
    if (hasId(m)) {
      if (!target.firstSync) await recordUnreadable(m, m.uid, why);
    } else if (outgrown.headerSha256) {
      // No id to record it by: its header digest and listed size are (decision 0003).
      const key = knownKey.outgrown(outgrown.headerSha256, m.size);
      await deps.inbound.recordKnown(workspaceId, addressId, [key]);
      if (!target.firstSync) await recordUnreadable(m, null, why, key);
    }
    throw err;
  }

  /** True when it wrote a record. */
  async function recordTooLarge(m: IncomingMessageRef): Promise<boolean> {
    out.tooLarge++;
    if (!hasId(m) || target.firstSync) return false;
    await recordUnreadable(m, m.uid, { reason: 'too_large', size: m.size, limit: budget.maxMessageBytes });
    return true;
  }

  /** `key` names a message without an id: its row is unique by the key's digest instead. */
  async function recordUnreadable(
    m: IncomingMessageRef,
    uid: string | null,
    processError: Record<string, unknown>,
    key?: string,
  ) {
    const now = deps.now();
    // Recorded once (its id), kept as "could not be read"; never fetched, never deleted.
    await deps.inbound.store({
      workspaceId,
      addressId,
      protocol: 'pop3',
      remoteUid: uid,
      contentSha256: key ? createHash('sha256').update(key).digest('hex') : EMPTY_SHA,
      raw: Buffer.alloc(0),
      // A hostile LIST may claim more than the column holds.
      size: Math.min(m.size, 2 ** 31 - 1),
      receivedAt: now,
      status: 'quarantined',
      kind: 'unreadable',
      processedAt: now,
      processError,
    });
  }
}
