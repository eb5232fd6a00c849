import type { HeaderBag } from './header-block.js';

/** One MIME part kept by the parser: attachments, inline images, and the parts of a report. */
export interface ParsedPart {
  contentType: string;
  filename: string | null;
  contentId: string | null;
  /** `inline` for images referenced by `cid:` from the HTML. */
  disposition: 'inline' | 'attachment' | null;
  content: Uint8Array;
}

/**
 * A received message as the reading rules see it (built by the MIME parser in
 * services/inbound/process-parse.ts). Texts are decoded to Unicode; header values are raw.
 */
export interface ParsedMessage {
  headers: HeaderBag;
  /** Top-level `Content-Type` value with its parameters, lower-cased (`multipart/report; report-type=…`). */
  contentType: string;
  subject: string;
  from: { email: string; name: string } | null;
  messageId: string | null;
  /** Ids from In-Reply-To and References (lower-cased, capped). */
  inReplyTo: string[];
  references: string[];
  text: string;
  html: string | null;
  parts: ParsedPart[];
  date: Date | null;
}
