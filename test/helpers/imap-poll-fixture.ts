import type { ImapMailboxSession } from '../../src/ports/imap-mailbox.js';
import { collectImap } from '../../src/services/inbound/collect-imap.js';
import { DEFAULT_COLLECT_BUDGET } from '../../src/services/inbound/collect-pop3.js';
import type { PollerDeps } from '../../src/services/inbound/poll-mailboxes.js';

/**
 * IMAP polls without the database, as the poller runs them (the collect-imap tests and
 * bench/hostile/imap-paged-poll.ts): one address's cursor, a store keyed by remote uid, and a
 * poll that writes the cursor only when it succeeds.
 */
export const MAILBOX_START = new Date('2026-06-01T00:00:00Z');
export const BASE_UID = 1_500_000_000;

/** 10-digit UIDs, 3 missing after every 5, and a gap of 40 million UIDs after message `gapAfter`. */
export const gappyUids =
  (gapAfter: number) =>
  (seq: number): number =>
    BASE_UID + seq + 3 * Math.floor(seq / 5) + (seq > gapAfter ? 40_000_000 : 0);

export const POLL_TARGET = {
  workspaceId: 'w',
  addressId: 'a',
  firstSync: false,
  deleteAfterStore: false,
  deleteAfterDays: null,
};

export type PollState = { uidvalidity: string; lastUid: number; lastSuccessAt: Date; initializedAt: Date };

export const pollState = (lastUid: number, uidvalidity = '77'): PollState => ({
  uidvalidity,
  lastUid,
  lastSuccessAt: new Date(),
  initializedAt: new Date(0),
});

/** An inbound store keyed by remote uid, as `inbound_messages`' unique index keys it. */
export function uniqueInbound() {
  const rows = new Map<string, string>();
  /** The remote uid of every store, repeats included, in order. */
  const stored: string[] = [];
  const inbound = {
    store: async (v: { remoteUid: string | null }) => {
      const key = v.remoteUid ?? '';
      stored.push(key);
      const id = rows.get(key);
      if (id) return { id, inserted: false };
      rows.set(key, String(rows.size + 1));
      return { id: String(rows.size), inserted: true };
    },
    existingHashes: async () => new Set<string>(),
  } as unknown as PollerDeps['inbound'];
  return { inbound, rows, stored, stores: () => stored.length };
}
export type PollStore = ReturnType<typeof uniqueInbound>;

/** One poll on an open session: collectImap, the session closed (aborted on a failure), the cursor kept on success. */
export async function pollOnce(
  session: ImapMailboxSession,
  state: PollState,
  store: PollStore,
  options: { maxMessages?: number; signal?: AbortSignal; checkpoint?: () => Promise<void> } = {},
) {
  try {
    const r = await collectImap(
      session,
      state,
      POLL_TARGET,
      {
        inbound: store.inbound,
        now: () => new Date(),
        checkpoint: options.checkpoint ?? (async () => {}),
        ...(options.signal ? { signal: options.signal } : {}),
      },
      {
        ...DEFAULT_COLLECT_BUDGET,
        maxMessages: options.maxMessages ?? 2_000,
        deadline: Date.now() + 600_000,
      },
    );
    await session.close();
    if (r.cursor.lastUid !== undefined) state.lastUid = r.cursor.lastUid;
    return r;
  } catch (err) {
    session.abort();
    throw err;
  }
}
