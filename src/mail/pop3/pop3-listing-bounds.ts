import { pop3Error } from './pop3-errors.js';
import type { Pop3Limits } from './pop3-options.js';
import type { MultiLineCap } from './pop3-reader.js';

/**
 * A maildrop STAT counted past the listing cap cannot be read whole: said before listing, in
 * words the error catalogue explains as a full mailbox (not as a hostile server's flood).
 */
export function refuseOverfull(step: 'list' | 'uidl', messageCount: number | null, limits: Pop3Limits): void {
  const cap = limits.maxListingEntries;
  if (messageCount !== null && messageCount > cap)
    throw pop3Error('limit', {
      step,
      detail: `the mailbox holds ${messageCount} messages, more than the ${cap} one listing may name`,
    });
}

/** A listing has one line per message: at most what STAT counted, once it ran (RFC 1939 §5). */
export function listingCap(messageCount: number | null, limits: Pop3Limits): MultiLineCap {
  return {
    what: 'listing',
    maxLineBytes: limits.maxListingLineBytes,
    maxLines: Math.min(limits.maxListingEntries, messageCount ?? Number.POSITIVE_INFINITY),
    maxBytes: limits.maxListingBytes,
  };
}
