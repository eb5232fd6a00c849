import { personalAutoReply } from './auto-reply.js';
import { parseDeliveryStatus } from './bounce-dsn.js';
import type { BounceRecipient, BounceReport } from './bounce-report.js';
import {
  addressesIn,
  automatedAddress,
  looksLikeBounce,
  mailSystemSender,
  recipientsFromText,
  reportRegion,
  textFormat,
} from './bounce-text.js';
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
  // The report's own sender and whom it is addressed to (our sender, who also appears in the
  // session transcripts of MDaemon and Sendmail and in Exim's "sent from …") are never the failed recipient.
  const ignore = new Set(
    [msg.from?.email ?? '', ...addressesIn(headerValue(msg.headers, 'to'))].filter(Boolean),
  );
  const failedHeader = addressesIn(headerValue(msg.headers, 'x-failed-recipients'), 100);
  const returnPath = headerValue(msg.headers, 'return-path');
  // Anybody can send a report-shaped message or add Exchange's NDR header (a CC'd contact
  // "bouncing" a co-recipient): only a mail system's count (decision 0003).
  const fromMailSystem = mailSystemSender(returnPath, msg.from?.email ?? '', msg.from?.name ?? '');

  if ((statusPart || isReport) && fromMailSystem) {
    let recipients = statusPart ? parseDeliveryStatus(partText(statusPart)) : [];
    if (recipients.length === 0)
      recipients = withFailedHeader(recipientsFromText(msg.text, ignore), failedHeader);
    recipients = recipients.filter((r) => r.action === 'failed' || r.action === 'delayed');
    if (recipients.length === 0) return null;
    return finish('rfc3464', recipients, returnedHeaders(msg), msg);
  }

  if (statusPart || isReport) return null;
  const signals = {
    fromEmail: msg.from?.email ?? '',
    fromName: msg.from?.name ?? '',
    subject: msg.subject,
    returnPathEmpty: /^<\s*>$/.test(returnPath.trim()),
    exchangeNdr: msg.headers.has('x-ms-exchange-message-is-ndr') && fromMailSystem,
    text: msg.text,
  };
  if (!looksLikeBounce(signals)) return null;
  // A person's vacation notice sent with a null Return-Path ("your message was not delivered
  // to my deputy") is an automatic reply, not a report from a mail system.
  if (
    failedHeader.length === 0 &&
    !automatedAddress(signals.fromEmail, signals.fromName) &&
    personalAutoReply(msg.headers, msg.subject)
  )
    return null;
  const recipients = withFailedHeader(recipientsFromText(msg.text, ignore), failedHeader);
  if (recipients.length === 0)
    recipients.push({ recipient: '', action: 'failed', status: '', diagnostic: '', remoteMta: '' });
  return finish(textFormat(msg.text, signals.fromEmail), recipients, returnedHeaders(msg), msg);
}

/**
 * Exim's `X-Failed-Recipients` names the failed addresses even when its text (often a host's
 * own template) does not: those are the recipients, with the text's diagnostic where it has one.
 */
function withFailedHeader(fromText: BounceRecipient[], listed: string[]): BounceRecipient[] {
  if (listed.length === 0) return fromText;
  const byAddress = new Map(fromText.map((r) => [r.recipient, r]));
  const any = fromText.find((r) => r.diagnostic);
  return listed.map(
    (recipient) =>
      byAddress.get(recipient) ?? {
        recipient,
        action: 'failed',
        status: any?.status ?? '',
        diagnostic: any?.diagnostic ?? '',
        remoteMta: '',
      },
  );
}

function finish(
  format: BounceReport['format'],
  recipients: BounceReport['recipients'],
  returned: { messageId: string | null; ids: string[]; deliveredTo: string[] },
  msg: ParsedMessage,
): BounceReport {
  const ids = new Set([...returned.ids, ...msg.inReplyTo, ...msg.references]);
  const { report } = reportRegion(msg.text);
  const sender = msg.from?.email ?? '';
  return {
    format,
    recipients,
    sender,
    fromMailSystem: mailSystemSender(headerValue(msg.headers, 'return-path'), sender, msg.from?.name ?? ''),
    // A standard report names the email it is about: its returned copy's Message-ID, else the
    // In-Reply-To (decision 0003); ids anywhere else in it are not enough to mark an email.
    reportIds:
      format === 'rfc3464'
        ? (returned.messageId ? [returned.messageId] : msg.inReplyTo.slice(0, 1)).map((x) => x.toLowerCase())
        : null,
    originalMessageId: returned.messageId,
    referencedIds: [...ids].slice(0, 100),
    // A forward that failed names the forwarding target; the address we wrote to is in the
    // returned copy's X-Original-To (Postfix, Dovecot: where the copy was delivered before).
    mentionedAddresses: [...new Set([...addressesIn(report), ...returned.deliveredTo])],
    permanent: recipients.some((r) => r.action === 'failed'),
  };
}

/**
 * A pasted `Message-ID:` line, its value possibly folded onto the next line. `[ \t]*`, never
 * `\s*`: with the `m` flag `^\s*` crosses lines, and a text of blank lines then costs a scan to
 * its end from each of them (quadratic: 100,000 blank lines took 15 s; decision 0003).
 */
const PASTED_ID_LINE = /^[ \t]*message-id:[ \t]*(?:\r?\n[ \t]+)?(.*)$/im;
const PASTED_ID = /^[ \t]*message-id:[ \t]*(?:\r?\n[ \t]+)?(<[^>\n]{3,500}>)/im;

/** The original's Message-ID from a returned part, else from a copy pasted into the text. */
function returnedHeaders(msg: ParsedMessage): {
  messageId: string | null;
  ids: string[];
  deliveredTo: string[];
} {
  const ids: string[] = [];
  const deliveredTo: string[] = [];
  let messageId: string | null = null;
  for (const part of msg.parts) {
    if (!RETURNED_TYPES.has(part.contentType)) continue;
    const text = partText(part);
    const headers = parseHeaderBlock(text);
    messageId ??= messageIdsIn(headerValue(headers, 'message-id'), 1)[0] ?? null;
    for (const v of headers.get('x-original-to') ?? []) deliveredTo.push(...addressesIn(v, 5));
    ids.push(...messageIdsIn(text.slice(0, 64 * 1024)));
  }
  // Exim, qmail, Exchange's text part and Polish providers paste the original below a marker.
  const { returned } = reportRegion(msg.text);
  if (returned) {
    messageId ??= messageIdsIn(PASTED_ID_LINE.exec(returned)?.[1] ?? '', 1)[0] ?? null;
    ids.push(...messageIdsIn(returned));
  }
  if (!messageId) {
    const pasted = PASTED_ID.exec(msg.text.slice(0, 200_000));
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
  return { messageId, ids, deliveredTo: deliveredTo.slice(0, 10) };
}
