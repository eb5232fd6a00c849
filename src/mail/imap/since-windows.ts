import type { ImapFlow } from 'imapflow';
import type { ImapListedMessage, ImapSinceListing, ImapSincePage } from '../../ports/imap-mailbox.js';
import { uidSet } from './uid-set.js';
import { listedSize } from './uid-windows.js';

/**
 * Messages one re-sync SEARCH covers: its answer is at most this many UIDs of ≤ 10 digits, about
 * 44 kB, under the 64 KiB line cap and the 20,000-node response cap.
 */
export const SEARCH_WINDOW = 4_000;

export interface SinceWindowLimits extends Required<Pick<ImapSincePage, 'stop' | 'skip'>> {
  /** Messages in the mailbox as selected: the newest sequence number. */
  exists: number;
  /** Most messages this page names (≤ the listing cap). */
  wanted: number;
  tooMany: (limit: number) => Error;
}

/**
 * One page of the re-sync listing: messages that arrived (INTERNALDATE) on or after `since`,
 * newest first by windows of sequence numbers, so no SEARCH response or FETCH command nears the
 * line cap (one SEARCH over a busy mailbox answered more than ~9,000 UIDs on one line and was
 * refused). Arrival order is sequence order: once a window is not wholly recent, or holds one
 * message older than `since`, the messages below it are older still. UIDs `skip` names (stored
 * or set aside at an earlier page) are never fetched again; at most `wanted` others are named,
 * so a mailbox of any size is read in pages, the held list never longer than a page.
 */
export async function listSinceWindows(
  client: ImapFlow,
  since: Date,
  limits: SinceWindowLimits,
): Promise<ImapSinceListing> {
  const out: ImapListedMessage[] = [];
  for (let hi = limits.exists; hi >= 1; ) {
    if (limits.stop()) return { messages: sorted(out), complete: false };
    const lo = Math.max(1, hi - SEARCH_WINDOW + 1);
    const uids = (await client.search({ seq: `${lo}:${hi}`, since }, { uid: true })) || [];
    const known = uids.length > 0 ? await limits.skip(uids) : new Set<number>();
    const fresh = uids.filter((u) => !known.has(u)).sort((a, b) => a - b);
    // The newest of them that fit the page; the rest wait for the next page.
    const take = fresh.slice(Math.max(0, fresh.length - (limits.wanted - out.length)));
    let older = false;
    if (take.length > 0) {
      let answers = 0;
      // SEARCH SINCE has day granularity: narrow it to the second with INTERNALDATE.
      for await (const m of client.fetch(
        uidSet(take),
        { uid: true, size: true, internalDate: true },
        { uid: true },
      )) {
        // More answers than UIDs asked for: a server streaming FETCH lines (the caller aborts).
        if (++answers > take.length) throw limits.tooMany(limits.wanted);
        const at = m.internalDate ? new Date(m.internalDate).getTime() : Number.POSITIVE_INFINITY;
        if (at >= since.getTime()) out.push({ uid: m.uid, size: listedSize(m) });
        else older = true;
      }
    }
    if (take.length < fresh.length) return { messages: sorted(out), complete: older };
    if (older || uids.length < hi - lo + 1) break;
    hi = lo - 1;
  }
  return { messages: sorted(out), complete: true };
}

const sorted = (list: ImapListedMessage[]) => list.sort((a, b) => a.uid - b.uid);
