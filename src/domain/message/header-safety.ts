import type { FieldIssue } from '../errors.js';

/**
 * What may go into a header value of an email we write (M55, SECURITY.md §3.3, §7 cases 19–25).
 * Pure functions: the API refuses unsafe names when they are saved, and the composer checks
 * every value again (stored data predates these rules), so one definition serves both.
 */

/** Display names: SECURITY.md §3.3 asks for a cap of about 200 characters. */
export const NAME_MAX = 200;
/**
 * Subjects: SECURITY.md §3.3 suggests ~255; task titles may have 300 characters and replies add
 * `Re: `, so 400 (the composer folds encoded words, lines stay far below 998 octets).
 */
export const SUBJECT_MAX = 400;
/** Attachment file names, in characters (the extension is kept when a name is shortened). */
export const FILENAME_MAX = 120;
/** One Message-ID (SECURITY.md §3.3: ~250) and how many References we keep (the first and the last ones). */
export const MSG_ID_MAX = 250;
export const REFERENCES_MAX = 20;

/** Stable problem codes (field issue `code`), with pl/en texts in http/i18n/error-messages.ts. */
export type HeaderTextProblem =
  | 'line_break'
  | 'control_character'
  | 'invisible_character'
  | 'encoded_word'
  | 'maxLength';

// Line breaks of any kind: CR, LF, NEL, LINE/PARAGRAPH SEPARATOR (U+2028/2029).
const LINE_BREAK = /[\r\n\u0085\u2028\u2029]/u;
// Other controls (C0, C1, DEL) and lone surrogates (they become U+FFFD or worse on the wire).
const CONTROL = /[\p{Cc}\p{Cs}]/u;
// Format characters (category Cf): bidi embeddings/overrides/isolates/marks, zero-width
// space/joiners, word joiner, BOM, soft hyphen, tags. Invisible, and used to disguise text.
const INVISIBLE = /\p{Cf}/gu;
// Something a mail program would decode as an RFC 2047 encoded word: text that means one thing
// here and another after decoding (it may even decode to CR/LF).
const ENCODED_WORD = /=\?[^?\s]*\?[bq]\?[^?\s]*\?=/i;

/** The problem of one header text (as typed or stored), or null when it is safe as it is. */
export function headerTextProblem(value: string, maxLength: number): HeaderTextProblem | null {
  if (LINE_BREAK.test(value)) return 'line_break';
  if (CONTROL.test(value)) return 'control_character';
  if (value.search(INVISIBLE) >= 0) return 'invisible_character';
  if (ENCODED_WORD.test(value)) return 'encoded_word';
  if (codePoints(value) > maxLength) return 'maxLength';
  return null;
}

/** Removes format characters (bidi controls, zero-width characters, BOM, soft hyphen…). */
export function stripInvisible(value: string): string {
  return value.replace(INVISIBLE, '');
}

/**
 * A header text ready for the composer, or a field issue. Invisible format characters are
 * stripped (stored names from before M55 may carry them: SECURITY §7 case 24 says strip) and
 * U+2028/2029 become spaces; CR, LF, NEL, other controls and over-long texts are refused (case 19). Text that looks like an
 * RFC 2047 encoded word is refused too, unless `encodedWords: 'encode'`: then `looksEncoded`
 * tells the caller to encode the whole value, so a decoder gets back exactly these characters.
 */
export function cleanHeaderText(
  value: string,
  path: string,
  maxLength: number,
  options: { encodedWords?: 'refuse' | 'encode' } = {},
): { ok: true; value: string; looksEncoded: boolean } | { ok: false; issue: FieldIssue } {
  // U+2028/2029 were allowed in saved names and titles before M55 (the API refused CR/LF and
  // controls already): a space keeps such stored text sendable. Only spaces are trimmed: a
  // trailing CR/LF must be refused, not quietly dropped.
  const cleaned = stripInvisible(value)
    .replace(/[\u2028\u2029]/g, ' ')
    .replace(/^\p{Zs}+|\p{Zs}+$/gu, '');
  let problem = headerTextProblem(cleaned, maxLength);
  const looksEncoded = problem === 'encoded_word';
  if (looksEncoded && options.encodedWords === 'encode')
    problem = codePoints(cleaned) > maxLength ? 'maxLength' : null;
  if (problem === null) return { ok: true, value: cleaned, looksEncoded };
  return {
    ok: false,
    issue: { path, code: problem, ...(problem === 'maxLength' ? { params: { limit: maxLength } } : {}) },
  };
}

/** One `<left@right>` msg-id of printable ASCII (RFC 5322 §3.6.4), at most MSG_ID_MAX long. */
export function isMsgId(value: string): boolean {
  return (
    value.length <= MSG_ID_MAX &&
    /^<[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9!#$%&'*+/=?^_`{|}~.\-[\]]+>$/.test(value)
  );
}

/**
 * Threading headers copied from inbound mail (SECURITY §7 case 25): only well-formed ids are
 * kept, duplicates dropped, and at most REFERENCES_MAX references: the first (the thread's
 * start) and the newest, as RFC 5322 §3.6.4 asks of a trimmed list (JWZ threading walks it
 * from the end, the parent's id last). Never throws: a broken id from someone else's mail
 * program must not stop our reply.
 */
export function cleanThreadIds(
  inReplyTo: string | null | undefined,
  references: readonly string[] | undefined,
): { inReplyTo: string | null; references: string[] } {
  const reply = inReplyTo?.trim() ?? '';
  const list = (references ?? []).map((id) => (id ?? '').trim());
  const first = list.find(isMsgId);
  const seen = new Set<string>(first ? [first] : []);
  const kept: string[] = [];
  // Walk from the newest end so that the cap keeps the most recent ids.
  for (let i = list.length - 1; i >= 0 && kept.length < REFERENCES_MAX - 1; i--) {
    const id = list[i]!;
    if (!isMsgId(id) || seen.has(id)) continue;
    seen.add(id);
    kept.push(id);
  }
  return {
    inReplyTo: isMsgId(reply) ? reply : null,
    references: first ? [first, ...kept.reverse()] : [],
  };
}

/**
 * A file name safe to announce in Content-Type/Content-Disposition (SECURITY §3.3, §7 case 19):
 * no directory parts, no controls, line breaks, format (bidi, zero-width) characters, quotes
 * or backslashes, no leading dots or trailing dots/spaces, at most FILENAME_MAX characters
 * with the extension kept. Falls back to `attachment-{n}` (with a safe extension if any).
 */
export function safeAttachmentName(name: string, index: number): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  // `?` goes too: with it gone no encoded word (`=?…?=`) can hide in a name.
  const cleaned = base
    .replace(/[\r\n\u0085\u2028\u2029\t]/gu, ' ')
    .replace(/[\p{Cc}\p{Cs}\p{Cf}"*:<>?|]/gu, '')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  const fallback = `attachment-${index + 1}`;
  if (cleaned === '') {
    const ext = /\.([A-Za-z0-9]{1,10})$/.exec(base)?.[1];
    return ext ? `${fallback}.${ext}` : fallback;
  }
  if (codePoints(cleaned) <= FILENAME_MAX) return cleaned;
  const dot = cleaned.lastIndexOf('.');
  const ext = dot > 0 && cleaned.length - dot <= 11 ? cleaned.slice(dot) : '';
  const stem = [...cleaned.slice(0, ext ? dot : cleaned.length)].slice(0, FILENAME_MAX - ext.length);
  return `${stem.join('').trimEnd()}${ext}`;
}

/** A MIME type `type/subtype` (RFC 2045 tokens), lower-cased, or `application/octet-stream`. */
export function safeContentType(value: string): string {
  const v = value.trim().toLowerCase();
  return /^[a-z0-9!#$&^_.+-]{1,64}\/[a-z0-9!#$&^_.+-]{1,127}$/.test(v) ? v : 'application/octet-stream';
}

function codePoints(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}
