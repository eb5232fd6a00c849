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
