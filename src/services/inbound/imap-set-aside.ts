import type { MailFailure } from '../../domain/mailbox/mail-failure.js';
import { type StoreTarget, storeUnreadable } from './ingest-store.js';
import type { PollerDeps } from './poll-mailboxes.js';

/** A message whose body filled more than its allowance (`fetchRaw`'s `outgrown`). */
export interface OutgrownImapMessage {
  uid: number;
  /** RFC822.SIZE as listed; null when the server gave none. */
  size: number | null;
  allowed: number;
}

/**
 * Records an outgrown message once, by its remote id, as unreadable: the cursor then passes it
 * and no poll fetches it again (a lying server costs one failed poll, never a loop).
 */
export function recordOutgrown(
  inbound: PollerDeps['inbound'],
  target: StoreTarget,
  remoteUid: string,
  m: OutgrownImapMessage,
  now: Date,
): Promise<void> {
  // Unknown size: "too large" as any message over the cap; its size is at least what came.
  const why =
    m.size === null
      ? { reason: 'too_large', size: null, limit: m.allowed }
      : { reason: 'outgrew_listed_size', listed: m.size, limit: m.allowed };
  return storeUnreadable(inbound, target, remoteUid, m.size ?? m.allowed + 1, why, now);
}

/**
 * The poll's failure once messages were set aside (the first one named): a `limit` the
 * catalogue reads as `incoming-message-larger-than-listed`, or, when the server listed no size,
 * `incoming-message-too-large`. It carries the cursor past everything stored or set aside, which
 * the poller writes even though the poll failed.
 */
export function setAsideFailure(
  outgrown: readonly OutgrownImapMessage[],
  cursor: Record<string, unknown>,
): Error {
  const [m] = outgrown as [OutgrownImapMessage];
  const more = outgrown.length > 1 ? `; ${outgrown.length - 1} more set aside` : '';
  const detail =
    m.size === null
      ? `message UID ${m.uid} is too large: the server listed no size and sent more than ${m.allowed} bytes${more}`
      : `message UID ${m.uid} sent more than the ${m.size} bytes RFC822.SIZE announced (stopped at ${m.allowed})${more}`;
  const failure: MailFailure = {
    kind: 'limit',
    protocol: 'imap',
    step: 'fetch',
    detail,
  };
  return Object.assign(new Error(`IMAP limit at fetch: ${detail}`), { failure, cursor });
}
