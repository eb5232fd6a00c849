import { parseDeliveryStatus } from './bounce-dsn.js';
import type { BounceReport } from './bounce-report.js';
import { addressesIn, looksLikeBounce, recipientsFromText, reportRegion, textFormat } from './bounce-text.js';
import { headerValue, messageIdsIn, parseHeaderBlock } from './header-block.js';
import type { ParsedMessage, ParsedPart } from './parsed-message.js';

const STATUS_TYPES = new Set(['message/delivery-status', 'message/global-delivery-status']);
const RETURNED_TYPES = new Set([
  'message/rfc822',
  'message/global',
  'text/rfc822-headers',
  'message/global-headers',
  'message/rfc822-headers',
]);

const decoder = new TextDecoder('utf-8');
const partText = (p: ParsedPart, max = 256 * 1024) => decoder.decode(p.content.subarray(0, max));

/**
 * A bounce report (M39), or null. RFC 3464 `multipart/report; report-type=delivery-status`
 * first; then non-standard texts recognised by sender, subject and wording. A report whose
 * delivery-status says nothing failed or was delayed (a success DSN) is not a bounce.
 */
export function detectBounce(msg: ParsedMessage): BounceReport | null {
  const statusPart = msg.parts.find((p) => STATUS_TYPES.has(p.contentType));
  const isReport =
    /^multipart\/report\b/.test(msg.contentType) && /report-type="?delivery-status/.test(msg.contentType);
  const ignore = new Set([msg.from?.email ?? ''].filter(Boolean));

  if (statusPart || isReport) {
    let recipients = statusPart ? parseDeliveryStatus(partText(statusPart)) : [];
    if (recipients.length === 0) recipients = recipientsFromText(msg.text, ignore);
    recipients = recipients.filter((r) => r.action === 'failed' || r.action === 'delayed');
    if (recipients.length === 0) return null;
    return finish('rfc3464', recipients, returnedHeaders(msg), msg);
  }

  const returnPath = headerValue(msg.headers, 'return-path');
  const signals = {
    fromEmail: msg.from?.email ?? '',
    fromName: msg.from?.name ?? '',
    subject: msg.subject,
    returnPathEmpty: /^<\s*>$/.test(returnPath.trim()),
    text: msg.text,
  };
  if (!looksLikeBounce(signals)) return null;
  const recipients = recipientsFromText(msg.text, ignore);
  if (recipients.length === 0)
    recipients.push({ recipient: '', action: 'failed', status: '', diagnostic: '', remoteMta: '' });
  return finish(textFormat(msg.text, signals.fromEmail), recipients, returnedHeaders(msg), msg);
}

function finish(
  format: BounceReport['format'],
  recipients: BounceReport['recipients'],
  returned: { messageId: string | null; ids: string[] },
  msg: ParsedMessage,
): BounceReport {
  const ids = new Set([...returned.ids, ...msg.inReplyTo, ...msg.references]);
  const { report } = reportRegion(msg.text);
  return {
    format,
    recipients,
    originalMessageId: returned.messageId,
    referencedIds: [...ids].slice(0, 100),
    mentionedAddresses: addressesIn(report),
    permanent: recipients.some((r) => r.action === 'failed'),
  };
}

/** The original's Message-ID from a returned part, else from a copy pasted into the text. */
function returnedHeaders(msg: ParsedMessage): { messageId: string | null; ids: string[] } {
  const ids: string[] = [];
  let messageId: string | null = null;
  for (const part of msg.parts) {
    if (!RETURNED_TYPES.has(part.contentType)) continue;
    const text = partText(part);
    const headers = parseHeaderBlock(text);
    messageId ??= messageIdsIn(headerValue(headers, 'message-id'), 1)[0] ?? null;
    ids.push(...messageIdsIn(text.slice(0, 64 * 1024)));
  }
  // Exim, qmail, Exchange's text part and Polish providers paste the original below a marker.
  const { returned } = reportRegion(msg.text);
  if (returned) {
    messageId ??= messageIdsIn(/^\s*message-id:\s*(.*)$/im.exec(returned)?.[1] ?? '', 1)[0] ?? null;
    ids.push(...messageIdsIn(returned));
  }
  if (!messageId) {
    const pasted = /^\s*message-id:\s*(<[^>\n]{3,500}>)/im.exec(msg.text.slice(0, 200_000));
    if (pasted) messageId = messageIdsIn(pasted[1]!, 1)[0] ?? null;
  }
  // Our own ids anywhere in the text (Domino and others quote them without any marker).
  for (const m of msg.text
    .slice(0, 200_000)
    .matchAll(/<mr\.[a-z2-7]{16}\.[a-z2-7]{16}@[a-z0-9.-]{1,253}>/gi)) {
    ids.push(m[0].toLowerCase());
    if (ids.length > 200) break;
  }
  if (messageId) ids.unshift(messageId);
  return { messageId, ids };
}
