/**
 * Caps on one comment, shared by the server's checks, the request schema and (as types) the
 * web. Pure so that src/http/schemas can use it without loading services.
 */

/** Attachment caps (M30: 10 MB total by default; docs/decisions/0006-attachments.md). */
export interface AttachmentLimits {
  maxFiles: number;
  perFileBytes: number;
  totalBytes: number;
}

export const DEFAULT_ATTACHMENT_LIMITS: AttachmentLimits = {
  maxFiles: 20,
  perFileBytes: 10 * 1024 * 1024,
  totalBytes: 10 * 1024 * 1024,
};

/** Length of the base64 text of `bytes` bytes (the JSON body carries attachments as base64). */
export const base64Length = (bytes: number) => 4 * Math.ceil(bytes / 3);

/** At most this many contacts notified by one comment (SECURITY.md §3.3: cap recipients). */
export const MAX_NOTIFIED = 50;
