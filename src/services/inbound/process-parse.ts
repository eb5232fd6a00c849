import type { AddressObject } from 'mailparser';
import {
  type HeaderBag,
  headerValue,
  messageIdsIn,
  parseHeaderBlock,
  threadIdsIn,
} from '../../domain/inbound/header-block.js';
import type { ParsedMessage, ParsedPart } from '../../domain/inbound/parsed-message.js';

/**
 * The MIME parser (mailparser) behind a small, bounded function. Raw bytes are checked
 * first for shapes that would make the parser itself the attack (SECURITY.md §7 case 37:
 * nesting 10,000 deep, a million parts); a message over the caps, or one the parser throws
 * on or takes too long with, is `unreadable`: kept raw, shown as "could not be read".
 */
export const READ_LIMITS = {
  maxBytes: 40 * 1024 * 1024,
  maxParts: 2_000,
  maxDepth: 30,
  timeoutMs: 15_000,
};

export class UnreadableMessage extends Error {
  constructor(
    readonly reason:
      | 'too_big'
      | 'too_many_parts'
      | 'too_deep'
      | 'parse_error'
      | 'timeout'
      | 'out_of_memory'
      | 'malformed_headers'
      | 'bad_charset',
  ) {
    super(`Message could not be read: ${reason}`);
    this.name = 'UnreadableMessage';
  }
}

/** Cheap pre-scan of the raw bytes: counts boundary-looking lines and multipart headers. */
export function prescan(raw: Buffer, limits = READ_LIMITS): void {
  if (raw.length > limits.maxBytes) throw new UnreadableMessage('too_big');
  // Each count stops at its cap: a message of nothing but "boundary=" would otherwise build an
  // array of millions of matches (~150 MB for 40 MB of input) just to be refused.
  const text = raw.toString('latin1');
  if (more(text, /content-type:\s*multipart\//gi, limits.maxDepth * 10))
    throw new UnreadableMessage('too_deep');
  // Depth proper: distinct boundaries declared before the first part closes.
  if (more(text, /boundary\s*=/gi, limits.maxDepth * 10)) throw new UnreadableMessage('too_deep');
  let parts = 0;
  for (let i = raw.indexOf('\n--'); i >= 0; i = raw.indexOf('\n--', i + 3)) {
    if (++parts > limits.maxParts * 2) throw new UnreadableMessage('too_many_parts');
  }
}

/** Whether `pattern` (global) matches `text` more than `cap` times, looking no further than that. */
function more(text: string, pattern: RegExp, cap: number): boolean {
  let count = 0;
  while (pattern.exec(text) !== null) if (++count > cap) return true;
  return false;
}

/**
 * The header block must be a list of fields: a line that is neither `name: value` nor a
 * continuation, or a NUL byte, means we cannot tell who wrote it or what it answers (the
 * parser would silently drop or merge such lines). A leading mbox `From ` line is tolerated;
 * 8-bit values (RFC 6532, or undeclared legacy charsets) are not malformed.
 */
export function checkHeaderBlock(raw: Buffer): void {
  const head = raw.subarray(0, 256 * 1024);
  let end = head.indexOf('\r\n\r\n');
  if (end < 0) end = head.indexOf('\n\n');
  const block = head.subarray(0, end < 0 ? head.length : end);
  if (block.includes(0)) throw new UnreadableMessage('malformed_headers');
  const lines = block.toString('latin1').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (i === 0 && line.startsWith('From ')) continue;
    if (i > 0 && /^[ \t]/.test(line)) continue;
    if (!/^[!-9;-~]+[ \t]*:/.test(line)) throw new UnreadableMessage('malformed_headers');
  }
}

/**
 * Text decoded from bytes that do not fit its charset (or a charset nobody knows) turns into
 * U+FFFD. A stray one is shown as is (SECURITY.md §7 case 36); a body that is mostly
 * replacement characters cannot be read, and showing it would only look broken.
 */
export function checkDecodedText(text: string): void {
  let bad = 0;
  for (let i = text.indexOf('\uFFFD'); i >= 0; i = text.indexOf('\uFFFD', i + 1)) bad++;
  if (bad < 8) return;
  const visible = text.replace(/\s+/g, '').length;
  if (bad >= visible * 0.05) throw new UnreadableMessage('bad_charset');
}

/** The thread-relevant headers of a message the parser refused (for placing it in its task). */
export function rawHeaders(raw: Buffer): HeaderBag {
  return parseHeaderBlock(raw.subarray(0, 256 * 1024).toString('utf8'));
}

/**
 * Loaded on first use (decision 0012: mailparser stays off the start-up path), then kept: a
 * dynamic import per message is a module-graph lookup each time (and, under a loader hook such
 * as tsx, a round trip to the hook thread: ~0.3 ms of a 2,000-message ingest's every message).
 */
let mailparser: Promise<typeof import('mailparser')> | null = null;
const loadMailparser = () => {
  mailparser ??= import('mailparser');
  return mailparser;
};

export async function parseMessage(raw: Buffer, limits = READ_LIMITS): Promise<ParsedMessage> {
  prescan(raw, limits);
  checkHeaderBlock(raw);
  const headers = rawHeaders(raw);
  // Before the clock starts.
  const { simpleParser } = await loadMailparser();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new UnreadableMessage('timeout')), limits.timeoutMs);
  });
  try {
    const mail = await Promise.race([
      simpleParser(raw, { keepDeliveryStatus: true, skipTextToHtml: true, maxHtmlLengthToParse: 2_000_000 }),
      timeout,
    ]);
    const parts: ParsedPart[] = (mail.attachments ?? []).slice(0, limits.maxParts).map((a) => ({
      contentType: (a.contentType ?? 'application/octet-stream').toLowerCase(),
      filename: a.filename ?? null,
      contentId: a.contentId ? a.contentId.replace(/^<|>$/g, '') : null,
      disposition:
        a.contentDisposition === 'inline'
          ? 'inline'
          : a.contentDisposition === 'attachment'
            ? 'attachment'
            : null,
      content: a.content,
    }));
    checkDecodedText(mail.text ?? (typeof mail.html === 'string' ? mail.html : ''));
    const from = firstAddress(mail.from);
    return {
      headers,
      contentType: (headers.get('content-type')?.[0] ?? 'text/plain').toLowerCase(),
      subject: mail.subject ?? '',
      from,
      messageId: mail.messageId ? (messageIdsIn(mail.messageId, 1)[0] ?? null) : null,
      // From the raw headers, not mailparser's values: it keeps comments as part of an id.
      inReplyTo: threadIdsIn(headerValue(headers, 'in-reply-to'), 20),
      references: threadIdsIn(headerValue(headers, 'references'), 100),
      text: mail.text ?? '',
      html: typeof mail.html === 'string' ? mail.html : null,
      parts,
      date: mail.date ?? null,
    };
  } catch (err) {
    if (err instanceof UnreadableMessage) throw err;
    throw new UnreadableMessage('parse_error');
  } finally {
    clearTimeout(timer);
  }
}

function firstAddress(value: AddressObject | AddressObject[] | undefined): ParsedMessage['from'] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  for (const obj of list) {
    for (const a of obj.value) {
      if (a.address) return { email: a.address.toLowerCase(), name: a.name ?? '' };
    }
  }
  return null;
}
