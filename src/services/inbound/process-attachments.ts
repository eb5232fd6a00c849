import { createHash } from 'node:crypto';
import type { ParsedPart } from '../../domain/inbound/parsed-message.js';
import { type AttachmentLimits, normalizeContentType, sanitizeFilename } from '../tasks/attachment-rules.js';

/** Received attachments kept up to the same caps as outgoing ones; the rest listed as omitted. */
export function keepAttachments(parts: readonly ParsedPart[], limits: AttachmentLimits) {
  const kept: {
    filename: string;
    contentType: string;
    size: number;
    sha256: string;
    contentId: string | null;
    content: Buffer;
  }[] = [];
  const omitted: { filename: string; size: number }[] = [];
  let total = 0;
  for (const p of parts) {
    if (
      /^(?:message\/(?:delivery-status|global-delivery-status|disposition-notification))$/.test(p.contentType)
    )
      continue;
    const size = p.content.length;
    const filename = sanitizeFilename(p.filename ?? (p.contentId ? `inline-${p.contentId}` : 'attachment'));
    if (kept.length >= limits.maxFiles || size > limits.perFileBytes || total + size > limits.totalBytes) {
      omitted.push({ filename, size });
      continue;
    }
    total += size;
    const content = Buffer.from(p.content);
    kept.push({
      filename,
      contentType: normalizeContentType(p.contentType),
      size,
      sha256: createHash('sha256').update(content).digest('hex'),
      contentId: p.contentId ? p.contentId.slice(0, 250) : null,
      content,
    });
  }
  return { kept, omitted };
}
