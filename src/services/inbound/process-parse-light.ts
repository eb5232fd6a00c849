import { bodyCouldMakeBounce } from '../../domain/inbound/bounce-text.js';
import { addressIn, type HeaderBag, headerValue, messageIdsIn } from '../../domain/inbound/header-block.js';
import type { ParsedMessage } from '../../domain/inbound/parsed-message.js';
import { checkDecodedText, checkHeaderBlock, prescan, READ_LIMITS, rawHeaders } from './process-parse.js';

/**
 * Messages read from their headers alone: enough to settle mail that can become no comment
 * (unmatched, automatic replies nobody waits for, our own emails coming back), never enough
 * to write one. Processing asks for the full parse (`parseMessage`) before any comment.
 */
const LIGHT = new WeakSet<ParsedMessage>();
export const isLight = (msg: ParsedMessage): boolean => LIGHT.has(msg);

const MAX_HEADER_BYTES = 32 * 1024;
const MAX_HEADER_LINES = 500;
const PRINTABLE = /^[\x20-\x7e\t]*$/;
/** Charsets whose every byte decodes to a character (no U+FFFD, so `bad_charset` cannot apply). */
const TOTAL_SINGLE_BYTE = new Set(['iso-8859-1', 'latin1', 'iso-8859-2', 'latin2', 'iso-8859-15']);
const UTF8 = new Set(['utf-8', 'utf8']);
const ASCII_COMPATIBLE = /^(?:us-ascii|ascii|iso-8859-\d{1,2}|windows-125\d|cp125\d|koi8-[ru])$/;

/** The single value of a header as written, or null when it appears more than once. */
function only(headers: HeaderBag, name: string): string | null {
  const values = headers.get(name) ?? [];
  return values.length > 1 ? null : (values[0] ?? '');
}

/** ASCII as written and without encoded words: the MIME parser would read the same text. */
const plain = (value: string | null): value is string =>
  value !== null && PRINTABLE.test(value) && !value.includes('=?');

/**
 * The reading of `raw` that the full MIME parser would give as far as settling it needs, or
 * null when only the full parser can tell (then nothing is lost but time). Same refusals as
 * `parseMessage` (throws `UnreadableMessage`). Only a single-part text/plain message in an
 * identity transfer encoding with a short ASCII header block without encoded words (hostile
 * header blocks are the parser's to refuse), no thread headers, one From address and nothing
 * that could make it a bounce qualifies; what its body decodes to is checked for
 * `bad_charset` as the full parse does.
 */
export function readHeadersOnly(raw: Buffer, limits = READ_LIMITS): ParsedMessage | null {
  prescan(raw, limits);
  checkHeaderBlock(raw);
  if (!boringHeaderBlock(raw)) return null;
  const headers = rawHeaders(raw);
  if (headers.has('in-reply-to') || headers.has('references')) return null;
  const contentType = only(headers, 'content-type');
  if (contentType === null) return null;
  const type = (contentType || 'text/plain').toLowerCase();
  if (!/^text\/plain\s*(?:;|$)/.test(type)) return null;
  const encoding = only(headers, 'content-transfer-encoding')?.trim().toLowerCase();
  if (encoding !== '' && encoding !== '7bit' && encoding !== '8bit' && encoding !== 'binary') return null;
  const subject = only(headers, 'subject');
  const from = only(headers, 'from');
  const messageIdHeader = only(headers, 'message-id');
  if (!plain(subject) || !plain(from) || !plain(messageIdHeader)) return null;
  if (from.split('@').length !== 2) return null;
  const email = addressIn(from);
  if (!email) return null;
  if (messageIdHeader && !messageIdHeader.includes('<')) return null;
  const returnPathEmpty = /^<\s*>$/.test(headerValue(headers, 'return-path').trim());
  // The whole From value stands in for the display name: a wider test, never a narrower one.
  const exchangeNdr = headers.has('x-ms-exchange-message-is-ndr');
  if (bodyCouldMakeBounce({ fromEmail: email, fromName: from, subject, returnPathEmpty, exchangeNdr }))
    return null;

  const text = decodeBody(raw, /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(type)?.[1] ?? 'us-ascii');
  if (text === null) return null;
  checkDecodedText(text);
  const msg: ParsedMessage = {
    headers,
    contentType: type,
    subject: subject.trim(),
    from: { email, name: '' },
    messageId: messageIdHeader ? (messageIdsIn(messageIdHeader, 1)[0] ?? null) : null,
    inReplyTo: [],
    references: [],
    text,
    html: null,
    parts: [],
    date: null,
  };
  LIGHT.add(msg);
  return msg;
}

/**
 * A header block the MIME parser cannot refuse or read differently: short (its limit is a
 * cost of 1 MiB, each line counting at least 64 bytes), ASCII, no encoded words anywhere.
 */
function boringHeaderBlock(raw: Buffer): boolean {
  const head = raw.subarray(0, MAX_HEADER_BYTES + 4);
  let end = head.indexOf('\r\n\r\n');
  if (end < 0) end = head.indexOf('\n\n');
  if (end < 0) return false;
  const block = head.subarray(0, end).toString('latin1');
  return (
    !/[^\x20-\x7e\t\r\n]/.test(block) && !block.includes('=?') && block.split('\n').length <= MAX_HEADER_LINES
  );
}

/** The body as text, or null when its charset needs the full parser's decoders. */
function decodeBody(raw: Buffer, charset: string): string | null {
  let start = raw.indexOf('\r\n\r\n');
  start = start < 0 ? raw.indexOf('\n\n') : start;
  const body = start < 0 ? Buffer.alloc(0) : raw.subarray(start + (raw[start] === 0x0d ? 4 : 2));
  if (UTF8.has(charset)) return body.toString('utf8');
  const text = body.toString('latin1');
  if (TOTAL_SINGLE_BYTE.has(charset)) return text;
  // Other ASCII-compatible charsets: only a 7-bit body reads the same whatever the decoder.
  return ASCII_COMPATIBLE.test(charset) && !/[\x80-\xff]/.test(text) ? text : null;
}
