import { createHash } from 'node:crypto';
import { AppError, type FieldIssue, validationFailed } from '../../domain/errors.js';
import {
  type AttachmentLimits,
  base64Length,
  DEFAULT_ATTACHMENT_LIMITS,
} from '../../domain/message/comment-limits.js';
import { isVisiblyBlank } from '../../domain/visible-text.js';

// The caps live in domain/ (the HTTP schemas and the web read them too); re-exported for callers here.
export { type AttachmentLimits, base64Length, DEFAULT_ATTACHMENT_LIMITS };

export interface AttachmentInput {
  filename: string;
  contentType?: string | undefined;
  /** Base64 (standard alphabet, padding optional). */
  content: string;
}

export interface DecodedAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
  size: number;
  sha256: string;
}

const FORBIDDEN_IN_NAME =
  /[\u0000-\u001f\u007f-\u009f"\\/:*?<>|\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/**
 * A filename safe in a header, a Content-Disposition and any file system (SECURITY.md §3.3):
 * no controls, quotes, backslashes, path separators, bidi or zero-width characters, no
 * leading dots, at most 200 characters (keeping the extension), never empty.
 */
export function sanitizeFilename(name: string): string {
  // Nothing visible (a received name may hold tabs, line breaks, U+2800 or zero-width
  // characters): the fallback, not "_" or a name that shows empty.
  if (isVisiblyBlank(name)) return 'attachment';
  let clean = name.normalize('NFC').replace(FORBIDDEN_IN_NAME, '_').replace(/\s+/g, ' ').trim();
  clean = clean.replace(/^[.\s]+/, '');
  if (clean.length > 200) {
    const dot = clean.lastIndexOf('.');
    const ext = dot > 0 && clean.length - dot <= 16 ? clean.slice(dot) : '';
    clean = clean.slice(0, 200 - ext.length) + ext;
  }
  return isVisiblyBlank(clean) ? 'attachment' : clean;
}

const MIME_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

/** A plain `type/subtype` (no parameters), lower-cased; anything else is sent as bytes. */
export function normalizeContentType(value: string | undefined): string {
  const v = (value ?? '').trim().toLowerCase();
  return MIME_TYPE.test(v) ? v : 'application/octet-stream';
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Decodes and checks the attachments of one comment: blank names and base64 syntax (400), then
 * each file and the total against the caps (413 PAYLOAD_TOO_LARGE with the field path).
 */
export function decodeAttachments(
  inputs: readonly AttachmentInput[],
  limits: AttachmentLimits = DEFAULT_ATTACHMENT_LIMITS,
): DecodedAttachment[] {
  if (inputs.length > limits.maxFiles)
    throw validationFailed([
      { path: '/body/attachments', code: 'maxItems', params: { limit: limits.maxFiles } },
    ]);
  const bad: FieldIssue[] = [];
  const tooLarge: FieldIssue[] = [];
  const out: DecodedAttachment[] = [];
  let total = 0;
  inputs.forEach((a, i) => {
    // As refuseBlank does for other names: a blank name would be stored as the fallback.
    if (isVisiblyBlank(a.filename)) bad.push({ path: `/body/attachments/${i}/filename`, code: 'required' });
    const text = a.content.replace(/\s+/g, '');
    if (text.length % 4 === 1 || !BASE64.test(text)) {
      bad.push({ path: `/body/attachments/${i}/content`, code: 'base64' });
      return;
    }
    const content = Buffer.from(text, 'base64');
    if (content.length > limits.perFileBytes)
      tooLarge.push({
        path: `/body/attachments/${i}/content`,
        code: 'too_large',
        params: { limit: limits.perFileBytes, size: content.length },
      });
    total += content.length;
    out.push({
      filename: sanitizeFilename(a.filename),
      contentType: normalizeContentType(a.contentType),
      content,
      size: content.length,
      sha256: createHash('sha256').update(content).digest('hex'),
    });
  });
  if (bad.length > 0) throw validationFailed(bad);
  if (tooLarge.length === 0 && total > limits.totalBytes)
    tooLarge.push({
      path: '/body/attachments',
      code: 'total_too_large',
      params: { limit: limits.totalBytes, size: total },
    });
  if (tooLarge.length > 0) throw new AppError('PAYLOAD_TOO_LARGE', { fields: tooLarge });
  return out;
}

/** Types a browser may show inline without running anything; everything else downloads as bytes. */
const INLINE_SAFE = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
]);

/** Content-Type and Content-Disposition for a download (RFC 6266 with an ASCII fallback). */
export function downloadHeaders(filename: string, contentType: string) {
  const safeType = INLINE_SAFE.has(contentType) ? contentType : 'application/octet-stream';
  const ascii = sanitizeFilename(filename)
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/[%;]/g, '_');
  const encoded = encodeURIComponent(sanitizeFilename(filename)).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return {
    'content-type': safeType === 'text/plain' ? 'text/plain; charset=utf-8' : safeType,
    'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`,
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
  };
}
