import { messageAllowance } from '../../domain/mailbox/listed-size.js';
import type { ImapListedMessage, ImapMailbox, ImapMailboxSession } from '../../ports/imap-mailbox.js';
import {
  type CollectBudget,
  type CollectOutcome,
  type CollectTarget,
  KEEP_RAW_BYTES,
} from './collect-pop3.js';
import { type OutgrownImapMessage, recordOutgrown, setAsideFailure } from './imap-set-aside.js';
import { knownKey, readRawFacts } from './ingest-message.js';
import { storeRaw, storeTooLarge } from './ingest-store.js';
import type { MailboxCollector } from './mailbox-collector.js';
import type { PollerDeps } from './poll-mailboxes.js';

/** After a UIDVALIDITY change, messages that arrived this long before the last good poll are re-checked. */
const RESYNC_MARGIN_MS = 60 * 60_000;

const emptyOutcome = (): CollectOutcome => ({
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
});

/**
 * IMAP collection (issue 10 item 3): a UIDVALIDITY + UID cursor with the guarantees of POP3 —
 * raw bytes stored (remote id `{uidvalidity}:{uid}`) before the cursor moves or anything is
 * expunged; the first sync only sets the cursor. When UIDVALIDITY changes, the messages that
 * arrived since shortly before the last good poll are fetched again and kept only when their
 * content hash is new, so nothing is imported twice and nothing old is imported at all.
 */
export function imapCollector(
  mailbox: ImapMailbox,
  inbound: PollerDeps['inbound'],
  now: () => Date,
): MailboxCollector {
  return {
    async collect(settings, state, target, options) {
      const session = await mailbox.open(settings, {
        deadline: options.budget.deadline + 30_000,
        signal: options.signal,
        maxMessageBytes: options.budget.maxMessageBytes,
      });
      try {
        const result = await collectImap(
          session,
          state,
          target,
          { inbound, now, checkpoint: options.checkpoint, signal: options.signal },
          options.budget,
        );
        await session.close();
        return result;
      } catch (err) {
        session.abort();
        throw err;
      }
    },
  };
}

export async function collectImap(
  session: ImapMailboxSession,
  state: {
    uidvalidity: string | null;
    lastUid: number | null;
    lastSuccessAt: Date | null;
    initializedAt: Date | null;
  },
  target: CollectTarget,
  deps: {
    inbound: PollerDeps['inbound'];
    now: () => Date;
    checkpoint: (final?: boolean) => Promise<void>;
    /** Shutdown: stop between batches, keeping the cursor at what was stored. */
    signal?: AbortSignal;
  },
  budget: CollectBudget,
) {
  const out = emptyOutcome();
  const box = await session.select(target.deleteAfterStore);
  if (target.firstSync || state.uidvalidity === null) {
    out.initialized = true;
    out.baselined = box.exists;
    return { outcome: out, cursor: { uidvalidity: box.uidValidity, lastUid: box.uidNext - 1 } };
  }
  const resync = state.uidvalidity !== box.uidValidity;
  // Never before the first sync (what was there then is never imported); INTERNALDATE has
  // whole seconds, hence the one-second allowance.
  const since = new Date(
    Math.max(
      (state.lastSuccessAt ?? deps.now()).getTime() - RESYNC_MARGIN_MS,
      (state.initializedAt?.getTime() ?? 0) - 1_000,
    ),
  );
  const stopping = () => deps.signal?.aborted === true || Date.now() >= budget.deadline;
  const storeTarget = {
    workspaceId: target.workspaceId,
    addressId: target.addressId,
    protocol: 'imap' as const,
  };
  const remoteId = (uid: number) => `${box.uidValidity}:${uid}`;
  // A page at a time (UID windows): months of a busy mailbox are more than one listing may name.
  // A re-sync has no cursor until it completes: each poll lists from the newest down, leaving
  // out what an earlier re-sync poll stored, set aside or found to be a duplicate.
  const page = resync
    ? {
        ...(await session.listSince(since, {
          wanted: budget.maxMessages,
          stop: stopping,
          skip: (uids) => resyncDone(deps.inbound, target, uids, remoteId),
        })),
        through: 0,
      }
    : await session.listAfter(state.lastUid ?? 0, { wanted: budget.maxMessages, stop: stopping });
  const listed = page.messages;
  let lastUid = resync ? 0 : (state.lastUid ?? 0);
  let fetched = 0;
  let keptRawBytes = 0;
  const outgrown: OutgrownImapMessage[] = [];
  let i = 0;
  /** Ingest stopped before the end of the listing: the cursor stays at what was stored. */
  let cut = false;
  while (i < listed.length) {
    if (fetched >= budget.maxMessages || out.bytes >= budget.maxBytes || stopping()) {
      cut = true;
      break;
    }
    const batch: (ImapListedMessage & { allowed: number })[] = [];
    let planned = 0;
    while (
      i < listed.length &&
      batch.length < budget.batchMessages &&
      fetched + batch.length < budget.maxMessages
    ) {
      const m = listed[i] as ImapListedMessage;
      // Planned on the most the fetch lets the message deliver (listed size plus slack; the
      // message cap when no size was listed), not on the listed size: a server that lists
      // 1 byte and sends 4 MiB cannot make a batch hold more than `batchBytes`.
      const allowed = messageAllowance(m.size, budget.maxMessageBytes);
      if (batch.length > 0 && planned + allowed > budget.batchBytes) break;
      if (batch.length > 0 && out.bytes + planned + allowed > budget.maxBytes) break;
      i++;
      if (m.size !== null && m.size > budget.maxMessageBytes) {
        // A record is a write too: counted, so a listing of huge sizes cannot cost one poll
        // a hundred thousand inserts (the rest waits for the next poll).
        fetched++;
        out.tooLarge++;
        await storeTooLarge(
          deps.inbound,
          storeTarget,
          remoteId(m.uid),
          m.size,
          budget.maxMessageBytes,
          deps.now(),
        );
        continue;
      }
      batch.push({ ...m, allowed });
      planned += allowed;
    }
    const got = await session.fetchRaw(batch);
    fetched += batch.length;
    // Actual bytes, dropped ones included: they are what the session budget (`maxBytes`) bounds.
    out.bytes += got.bytes;
    const stored: number[] = [];
    for (const m of batch) {
      if (got.outgrown.includes(m.uid)) {
        outgrown.push(m);
        out.tooLarge++;
        await recordOutgrown(deps.inbound, storeTarget, remoteId(m.uid), m, deps.now());
        continue;
      }
      const raw = got.raws.get(m.uid);
      if (!raw) continue; // expunged meanwhile
      if (resync) {
        const sha = readRawFacts(raw).sha256;
        if ((await deps.inbound.existingHashes(target.workspaceId, target.addressId, [sha])).has(sha)) {
          out.duplicates++;
          // Known now under this UIDVALIDITY: a later re-sync page does not fetch it again.
          await deps.inbound.recordKnown(target.workspaceId, target.addressId, [
            knownKey.uid(remoteId(m.uid)),
          ]);
          continue;
        }
      }
      const r = await storeRaw(deps.inbound, storeTarget, remoteId(m.uid), raw, deps.now());
      if (r.fresh) {
        out.storedIds.push(r.id);
        // Handed on for processing while in memory, up to a byte cap (the rest is read back).
        if (keptRawBytes + raw.length <= KEEP_RAW_BYTES) {
          out.storedRaw.set(r.id, raw);
          keptRawBytes += raw.length;
        }
      } else if (r.inserted) out.tests++;
      else out.duplicates++;
      stored.push(m.uid);
    }
    // Durable now: only from here may they leave the server.
    if (target.deleteAfterStore && stored.length > 0) {
      await session.delete(stored);
      out.deleted += stored.length;
    }
    // Everything before `i` is stored or recorded as too large (or as outgrown).
    const top = listed[i - 1]?.uid;
    if (top !== undefined && !resync) lastUid = Math.max(lastUid, top);
    await deps.checkpoint();
  }
  // Between batches the lease is renewed at most every few seconds: check it once more.
  if (fetched > 0) await deps.checkpoint(true);
  // The rest of the mailbox is listed by the next poll, a second later.
  out.more = cut || !page.complete;
  // A re-sync moves the cursor to the new validity's end once everything was looked at; a page
  // read whole moves it to `through`, past windows that held nothing.
  // An unfinished re-sync keeps the last good poll's time: the next page is taken from the same
  // moment (were it now, what arrived between that moment and an hour ago would be skipped).
  const cursor = resync
    ? out.more
      ? { lastSuccessAt: state.lastSuccessAt }
      : { uidvalidity: box.uidValidity, lastUid: box.uidNext - 1 }
    : { uidvalidity: box.uidValidity, lastUid: cut ? lastUid : Math.max(lastUid, page.through) };
  // The poll fails (the user sees why), but the cursor written with the failure passes what
  // was set aside, so the next poll moves on.
  if (outgrown.length > 0) throw setAsideFailure(outgrown, cursor);
  return { outcome: out, cursor };
}

/**
 * Of these UIDs (new UIDVALIDITY), those an earlier re-sync poll already dealt with: stored or
 * set aside (a row under the new remote id), or found to be a duplicate (a known key).
 */
async function resyncDone(
  inbound: PollerDeps['inbound'],
  target: CollectTarget,
  uids: readonly number[],
  remoteId: (uid: number) => string,
): Promise<Set<number>> {
  const ids = uids.map(remoteId);
  const keys = ids.map((id) => knownKey.uid(id));
  const held = await inbound.heldAmong(target.workspaceId, target.addressId, ids, keys);
  return new Set(uids.filter((_, i) => held.has(ids[i] as string) || held.has(keys[i] as string)));
}
