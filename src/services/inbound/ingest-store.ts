import { createHash } from 'node:crypto';
import type { InboundRepository } from '../../db/repositories/inbound.repository.js';
import { ownTestIds, readRawFacts } from './ingest-message.js';

const EMPTY_SHA = createHash('sha256').update(Buffer.alloc(0)).digest('hex');

export interface StoreTarget {
  workspaceId: string;
  addressId: string;
  protocol: 'pop3' | 'imap';
}

/**
 * Stores one fetched message (durable when this resolves): our own test emails (the marker
 * names a recent test email of this address) are recorded as processed `test`, everything else
 * `stored` for reading's processor. `fresh` says a new row needs processing.
 */
export async function storeRaw(
  inbound: Pick<InboundRepository, 'store' | 'ownTestEmails'>,
  target: StoreTarget,
  remoteUid: string | null,
  raw: Buffer,
  now: Date,
): Promise<{ id: string; inserted: boolean; fresh: boolean; sha256: string }> {
  const facts = readRawFacts(raw);
  const isOwnTest = (await ownTestIds(inbound, target, [facts], now)).size > 0;
  const stored = await inbound.store({
    ...target,
    remoteUid,
    contentSha256: facts.sha256,
    raw,
    size: raw.length,
    messageIdHeader: facts.messageId,
    receivedAt: now,
    ...(isOwnTest ? { status: 'processed' as const, kind: 'test' as const, processedAt: now } : {}),
  });
  return { ...stored, fresh: stored.inserted && !isOwnTest, sha256: facts.sha256 };
}

/** Records a message over the size cap once, by its id, as "could not be read"; never fetched. */
export function storeTooLarge(
  inbound: Pick<InboundRepository, 'store'>,
  target: StoreTarget,
  remoteUid: string,
  size: number,
  limit: number,
  now: Date,
): Promise<void> {
  return storeUnreadable(inbound, target, remoteUid, size, { reason: 'too_large', size, limit }, now);
}

/**
 * Records a message set aside once, by its id, as "could not be read" (`processError` says
 * why): never fetched again, never deleted.
 */
export async function storeUnreadable(
  inbound: Pick<InboundRepository, 'store'>,
  target: StoreTarget,
  remoteUid: string,
  size: number,
  processError: Record<string, unknown>,
  now: Date,
): Promise<void> {
  await inbound.store({
    ...target,
    remoteUid,
    contentSha256: EMPTY_SHA,
    raw: Buffer.alloc(0),
    // A hostile listing may claim more than the column holds.
    size: Math.min(size, 2 ** 31 - 1),
    receivedAt: now,
    status: 'quarantined',
    kind: 'unreadable',
    processedAt: now,
    processError,
  });
}
