import type { FakeImapOptions } from './imap-script-server.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** INTERNALDATE as IMAP writes it: `05-Dec-2026 10:00:00 +0000`. */
function imapDate(d: Date): string {
  return `${two(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

/** `1:3,7` (or `5:*`) → the numbers it names, `*` being `top`. */
export function expand(set: string, top: number): number[] {
  return set.split(',').flatMap((part) => {
    const [a = '', b = a] = part.split(':');
    const from = a === '*' ? top : Number(a);
    const to = b === '*' ? top : Number(b);
    const out: number[] = [];
    for (let n = Math.min(from, to); n <= Math.max(from, to); n++) out.push(n);
    return out;
  });
}

export interface LargeMailbox {
  /** The longest command line the client sent, and the longest line the server answered. */
  longestCommand: number;
  longestReply: number;
  searches: number;
  /** `UID FETCH` listings (no body) and the most FETCH responses one of them got. */
  listings: number;
  mostPerListing: number;
  /** Plain `FETCH <seq> (UID)` look-ups (the gap skip). */
  seqFetches: number;
  /** Listing ranges as sent, and the UIDs whose bodies were fetched (repeats kept). */
  listed: string[];
  bodies: number[];
}

/** The raw message the large mailbox holds under `uid` (RFC822.SIZE is its length). */
export function largeMessage(uid: number): string {
  return `Message-ID: <${uid}@large.example>\r\nSubject: ${uid}\r\n\r\nbody ${uid}\r\n`;
}

/**
 * `extra` for fakeImap: an INBOX of `count` messages, message `seq` with UID `uidOf(seq)` and an
 * INTERNALDATE `seq` minutes after `start`. Answers SELECT/EXAMINE (UIDNEXT `uidNext`, by
 * default one above the last UID), UID SEARCH [seq-set] SINCE (day granularity, as RFC 9051
 * says), UID FETCH of UID, RFC822.SIZE, INTERNALDATE and BODY[] (`largeMessage`), and plain
 * FETCH <seq-set> (UID).
 */
export function largeMailbox(
  count: number,
  start: Date,
  uidOf: (seq: number) => number,
  uidNext = uidOf(count) + 1,
  /** The body FETCH sends for a UID (default `largeMessage`; RFC822.SIZE stays its length). */
  bodyOf: (uid: number) => string = largeMessage,
): { extra: NonNullable<FakeImapOptions['extra']>; seen: LargeMailbox } {
  const seen: LargeMailbox = {
    longestCommand: 0,
    longestReply: 0,
    searches: 0,
    listings: 0,
    mostPerListing: 0,
    seqFetches: 0,
    listed: [],
    bodies: [],
  };
  const dateOf = (seq: number) => new Date(start.getTime() + seq * 60_000);
  const seqOfUid = new Map<number, number>();
  for (let s = 1; s <= count; s++) seqOfUid.set(uidOf(s), s);
  const fetchLine = (s: number, items: string): string => {
    const uid = uidOf(s);
    if (/BODY/i.test(items)) {
      const raw = bodyOf(uid);
      return `* ${s} FETCH (UID ${uid} BODY[] {${Buffer.byteLength(raw)}}\r\n${raw})`;
    }
    const size = Buffer.byteLength(largeMessage(uid));
    return `* ${s} FETCH (UID ${uid} RFC822.SIZE ${size} INTERNALDATE "${imapDate(dateOf(s))}")`;
  };
  const extra: NonNullable<FakeImapOptions['extra']> = async (tag, command, args, conn) => {
    seen.longestCommand = Math.max(seen.longestCommand, [tag, command, ...args].join(' ').length);
    const reply = (lines: string[]) => {
      for (const l of lines) seen.longestReply = Math.max(seen.longestReply, l.length);
      conn.write(lines.map((l) => `${l}\r\n`).join(''));
    };
    if (command === 'SELECT' || command === 'EXAMINE') {
      reply([
        '* FLAGS (\\Seen)',
        `* ${count} EXISTS`,
        '* OK [UIDVALIDITY 77] UIDs valid',
        `* OK [UIDNEXT ${uidNext}] next`,
        `${tag} OK [READ-ONLY] done`,
      ]);
      return true;
    }
    if (command === 'FETCH') {
      seen.seqFetches++;
      const seqs = expand(args[0] as string, count).filter((s) => s >= 1 && s <= count);
      reply([...seqs.map((s) => `* ${s} FETCH (UID ${uidOf(s)})`), `${tag} OK FETCH completed`]);
      return true;
    }
    if (command !== 'UID') return false;
    const sub = args[0]?.toUpperCase();
    if (sub === 'SEARCH') {
      seen.searches++;
      // UID SEARCH [<seq-set>] SINCE <d-Mon-yyyy>
      const sinceAt = args.findIndex((a) => a.toUpperCase() === 'SINCE');
      const day = Date.parse(`${args[sinceAt + 1]} 00:00:00 GMT`);
      const scope = sinceAt > 1 ? expand(args[1] as string, count) : expand('1:*', count);
      const uids = scope.filter((s) => s >= 1 && s <= count && dateOf(s).getTime() >= day).map(uidOf);
      reply([`* SEARCH${uids.map((u) => ` ${u}`).join('')}`, `${tag} OK SEARCH completed`]);
      return true;
    }
    if (sub === 'FETCH') {
      const items = args.slice(2).join(' ');
      const seqs = expand(args[1] as string, uidOf(count))
        .map((u) => seqOfUid.get(u))
        .filter((s): s is number => s !== undefined);
      if (/BODY/i.test(items)) seen.bodies.push(...seqs.map(uidOf));
      else {
        seen.listings++;
        seen.listed.push(args[1] as string);
        seen.mostPerListing = Math.max(seen.mostPerListing, seqs.length);
      }
      reply([...seqs.map((s) => fetchLine(s, items)), `${tag} OK FETCH completed`]);
      return true;
    }
    return false;
  };
  return { extra, seen };
}
