import type { ImapFlow } from 'imapflow';
import type { ImapListedMessage, ImapListing } from '../../ports/imap-mailbox.js';

/**
 * UIDs one listing window names (`UID FETCH lo:hi (UID RFC822.SIZE)`): its answer is at most
 * this many FETCH responses, each one line of ~60 bytes and a handful of parse-tree nodes, so no
 * line nears the 64 KiB cap and no response the 20,000-node cap, whatever the UIDs' length.
 * One `UID FETCH n:*` over months of a busy mailbox passed the 100,000-message listing cap and
 * was refused on every poll.
 */
export const UID_WINDOW = 4_000;
/** Windows (and gap look-ups) one listing reads at most: the next poll continues from `through`. */
export const MAX_WINDOWS = 50;
/** Responses accepted for one `FETCH <seq> (UID)` (one is due; servers may add flag updates). */
const MAX_PROBE_RESPONSES = 10;

/**
 * RFC822.SIZE as listed, or null when the server sent none: an unknown size is not 0 bytes (a
 * batch planned on 0 held whatever the server then sent). imapflow reads a size it cannot
 * parse as 0, which the allowance's slack covers like any other listed size.
 */
export function listedSize(m: { size?: number }): number | null {
  return typeof m.size === 'number' && Number.isSafeInteger(m.size) && m.size >= 0 ? m.size : null;
}

export interface UidWindowLimits {
  /** Stop once this many messages are listed (what one poll may ingest). */
  wanted: number;
  /** The listing cap: no listing names more. */
  maxListed: number;
  /** True when the listing should stop between windows (shutdown, the poll's deadline). */
  stop: () => boolean;
  tooMany: (limit: number) => Error;
}

/** The UID of message `seq` in this session's view, or null when the server names none. */
async function uidAt(client: ImapFlow, seq: number, tooMany: (n: number) => Error): Promise<number | null> {
  let uid: number | null = null;
  let answered = 0;
  for await (const m of client.fetch(String(seq), { uid: true })) {
    if (++answered > MAX_PROBE_RESPONSES) throw tooMany(MAX_PROBE_RESPONSES);
    if (m.seq === seq) uid = m.uid;
  }
  return uid;
}

/**
 * The lowest UID above `uid`, found by bisecting sequence numbers (sequence order is UID
 * order): null when no message is above it, undefined when the server did not say. Plain FETCH
 * may not carry EXPUNGE (RFC 9051 §7.5.1), so the numbering holds still during the search.
 */
async function firstUidAbove(
  client: ImapFlow,
  uid: number,
  exists: number,
  tooMany: (n: number) => Error,
): Promise<number | null | undefined> {
  let lo = 1;
  let hi = exists;
  let found: number | null = null;
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2);
    const at = await uidAt(client, mid, tooMany);
    if (at === null) return undefined;
    if (at > uid) {
      found = at;
      hi = mid - 1;
    } else lo = mid + 1;
  }
  return found;
}

/**
 * Messages with a UID in (afterUid, top], ascending, a window of UIDs at a time. `through` is
 * the highest UID up to which everything was listed: past windows that held nothing too, so a
 * cursor moved there never has to scan them again. A window that comes back empty is followed
 * by a look-up of the next message's UID, so a gap of millions of UIDs costs one step, not a
 * thousand windows.
 */
export async function listUidWindows(
  client: ImapFlow,
  afterUid: number,
  top: number,
  limits: UidWindowLimits,
): Promise<ImapListing> {
  const span = Math.max(1, Math.min(UID_WINDOW, limits.maxListed));
  const messages: ImapListedMessage[] = [];
  let through = afterUid;
  let windows = 0;
  while (through < top) {
    if (
      windows >= MAX_WINDOWS ||
      messages.length >= limits.wanted ||
      messages.length + span > limits.maxListed ||
      limits.stop()
    )
      return { messages, through, complete: false };
    windows++;
    const lo = through + 1;
    const hi = Math.min(top, through + span);
    const found: ImapListedMessage[] = [];
    let answered = 0;
    for await (const m of client.fetch(`${lo}:${hi}`, { uid: true, size: true }, { uid: true })) {
      // Thrown out of the FETCH loop: the caller aborts the session, which drops the rest.
      if (++answered > span) throw limits.tooMany(span);
      if (m.uid >= lo && m.uid <= hi) found.push({ uid: m.uid, size: listedSize(m) });
    }
    found.sort((a, b) => a.uid - b.uid);
    for (const m of found) messages.push(m);
    through = hi;
    if (found.length > 0 || hi >= top) continue;
    windows++;
    const next = await firstUidAbove(client, hi, client.mailbox ? client.mailbox.exists : 0, limits.tooMany);
    if (next === null) through = top;
    else if (next !== undefined) through = Math.max(hi, Math.min(top, next - 1));
  }
  return { messages, through, complete: true };
}
