/**
 * Reading raw header blocks ourselves: the headers returned inside a bounce
 * (`message/rfc822`, `text/rfc822-headers`, or pasted into the body by qmail and Exim) and
 * the first bytes of a message too broken for the MIME parser (its thread headers still say
 * which task it belongs to). Bounded: at most `maxBytes` read, at most 500 fields.
 */
export type HeaderBag = ReadonlyMap<string, readonly string[]>;

const MAX_FIELDS = 500;
const MAX_VALUE = 20_000;
/**
 * References lists its ids oldest first and the parent's id last (RFC 5322 §3.6.4), and JWZ
 * threading walks it from the end: a value over the cap keeps its start (the thread's first id)
 * and its newest ~51,000 characters, room for the 100 ids `threadIdsIn` keeps even at the
 * longest id it accepts (2 × 250 + 3 characters). Nothing outside the block read is held.
 */
const TAIL_FIELDS = new Set(['references']);
const TAIL_HEAD = 1_024;
const TAIL_VALUE = 100 * 512;

/** Header fields of `text` up to the first empty line (unfolded; names lower-case). */
export function parseHeaderBlock(text: string, maxBytes = 256 * 1024): HeaderBag {
  const head = text.slice(0, maxBytes);
  const end = head.search(/\r?\n\r?\n/);
  const block = end >= 0 ? head.slice(0, end) : head;
  const out = new Map<string, string[]>();
  let name: string | null = null;
  let parts: string[] = [];
  let length = 0;
  let fields = 0;
  const flush = () => {
    if (name === null) return;
    const list = out.get(name) ?? [];
    const value = parts.join(' ').trim();
    list.push(TAIL_FIELDS.has(name) ? headAndTail(value) : value.slice(0, MAX_VALUE));
    out.set(name, list);
    fields++;
  };
  for (const line of block.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && name !== null) {
      // A tail-kept field takes every line of the block (bounded by `maxBytes`), others stop at the cap.
      if (length < MAX_VALUE || TAIL_FIELDS.has(name)) {
        parts.push(line.trim());
        length += line.length;
      }
      continue;
    }
    const m = /^([!-9;-~]{1,76}):(.*)$/.exec(line);
    if (!m) continue;
    flush();
    if (fields >= MAX_FIELDS) return out;
    name = m[1]!.toLowerCase();
    parts = [m[2]!];
    length = m[2]!.length;
  }
  flush();
  return out;
}

/** `value` within TAIL_VALUE: its start and its end, each cut between ids, never inside one. */
function headAndTail(value: string): string {
  if (value.length <= TAIL_VALUE) return value;
  const start = value.slice(0, TAIL_HEAD);
  const lastGap = start.search(/[\s,][^\s,]*$/);
  const tail = value.slice(value.length - (TAIL_VALUE - TAIL_HEAD - 1));
  const firstGap = tail.search(/[\s,]/);
  return `${lastGap > 0 ? start.slice(0, lastGap) : ''} ${firstGap >= 0 ? tail.slice(firstGap) : ''}`.trim();
}

/** The first value of a header, or ''. */
export function headerValue(headers: HeaderBag, name: string): string {
  return headers.get(name.toLowerCase())?.[0] ?? '';
}

const MESSAGE_ID = /<([^<>\s"]{1,250}@[^<>\s"]{1,250})>/g;

/**
 * Message-IDs (`<…>`, deduplicated, at most `max`) inside a header value or text; lower-cased
 * unless `keepCase` (other people's ids are compared as they were written).
 */
export function messageIdsIn(value: string, max = 100, keepCase = false): string[] {
  const seen = new Set<string>();
  for (const m of value.slice(0, 200_000).matchAll(MESSAGE_ID)) {
    const raw = `<${m[1]!.replace(/[\u0000-\u001f\u007f]/g, '')}>`;
    const id = keepCase ? raw : raw.toLowerCase();
    seen.add(id);
    if (seen.size >= max) break;
  }
  return [...seen];
}

const THREAD_ID =
  /<([^<>\s"]{1,250}@[^<>\s"]{1,250})>|(?<![^\s,])([^\s<>(),";@]{1,250}@[^\s<>(),";@]{1,250})(?![^\s,])/g;

/**
 * The Message-IDs of an In-Reply-To or References header as clients really write them:
 * `(comments)` dropped (Gnus: `<id> (X's message of "…" <x@y>)`), ids without angle brackets
 * taken too, in order. A list longer than `max` keeps its first id (the thread's start) and the
 * newest ones (References lists oldest first; threads nobody trimmed grow past any cap).
 */
export function threadIdsIn(value: string, max = 100, keepCase = false): string[] {
  let v = value.slice(0, 200_000);
  for (let i = 0; i < 3 && v.includes('('); i++) v = v.replace(/\([^()]*\)/g, ' ');
  const seen = new Set<string>();
  for (const m of v.matchAll(THREAD_ID)) {
    const raw = `<${(m[1] ?? m[2]!).replace(/[\u0000-\u001f\u007f]/g, '')}>`;
    seen.add(keepCase ? raw : raw.toLowerCase());
    if (seen.size >= 5_000) break;
  }
  const ids = [...seen];
  return ids.length <= max ? ids : [ids[0]!, ...ids.slice(ids.length - max + 1)];
}

/** The address inside `Name <a@b>` or a bare address, lower-cased; '' when there is none. */
export function addressIn(value: string): string {
  const angle = /<\s*([^<>\s@]{1,200}@[^<>\s@]{1,253})\s*>/.exec(value);
  const bare = angle
    ? angle[1]
    : /([^\s<>"',;:()[\]]{1,200}@[\p{L}\p{N}.-]{1,253}\.[\p{L}\p{N}-]{2,63})/iu.exec(value)?.[1];
  return (bare ?? '').replace(/\.$/, '').toLowerCase();
}
