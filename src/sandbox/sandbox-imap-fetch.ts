import type { Token } from './sandbox-imap-syntax.js';
import { text } from './sandbox-imap-syntax.js';

/** FETCH data items asked for, with the ALL/FAST/FULL macros expanded; UID FETCH always sends UID. */
export function fetchItems(rawItems: Token | undefined, byUid: boolean): string[] {
  let items = (Array.isArray(rawItems) ? rawItems : [rawItems]).map((t) => text(t).toUpperCase());
  const macros: Record<string, string[]> = {
    ALL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE'],
    FAST: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE'],
    FULL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE'],
  };
  items = items.flatMap((i) => macros[i] ?? [i]);
  if (byUid && !items.includes('UID')) items.unshift('UID');
  return items;
}

/**
 * The byte range of a `BODY[...]<start.length>` item (RFC 9051 §6.4.5), or null: the
 * collector asks each body only up to its allowance, and a real server sends no more.
 */
export function partialOf(item: string): { start: number; length: number } | null {
  const m = /<(\d+)(?:\.(\d+))?>$/.exec(item);
  if (!m) return null;
  return { start: Number(m[1]), length: m[2] === undefined ? Number.POSITIVE_INFINITY : Number(m[2]) };
}

/** One untagged FETCH response: `* seq FETCH (item item ...)` with literals kept as bytes. */
export function fetchResponse(seq: number, out: (string | Buffer)[]): Buffer {
  const head = Buffer.from(`* ${seq} FETCH (`);
  const pieces: Buffer[] = [head];
  out.forEach((p, n) => {
    if (n > 0) pieces.push(Buffer.from(' '));
    pieces.push(Buffer.isBuffer(p) ? p : Buffer.from(p));
  });
  pieces.push(Buffer.from(')\r\n'));
  return Buffer.concat(pieces);
}
