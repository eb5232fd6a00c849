import { encodeWord } from 'nodemailer/lib/mime-funcs';
import { parseEmailAddress } from '../../domain/email-address.js';
import { AppError, type FieldIssue } from '../../domain/errors.js';
import {
  cleanHeaderText,
  cleanThreadIds,
  isMsgId,
  NAME_MAX,
  SUBJECT_MAX,
  safeAttachmentName,
  safeContentType,
} from '../../domain/message/header-safety.js';
import { buildMime } from './compose-outgoing-build.js';
import { assertWireSafe, normalizeBody } from './compose-outgoing-wire.js';

export interface MailboxName {
  email: string;
  name?: string;
}
export interface OutgoingDraft {
  /** The chosen sender address (M25–M27) with display name. */
  from: MailboxName;
  /** One contact (default) or all notified contacts (workspace option, M29). */
  to: MailboxName[];
  replyTo?: MailboxName | null;
  /** BCC-to-self option: in the envelope, never in the headers. */
  bcc?: MailboxName[];
  subject: string;
  /** Plain-text body (signature already appended by the caller, M30). */
  text: string;
  /** HTML body (already sanitized by the caller) or omitted. */
  html?: string;
  /** `<…>` from src/domain/message/message-id.ts (thread token inside); kept verbatim. */
  messageId: string;
  inReplyTo?: string | null;
  references?: string[];
  attachments?: { filename: string; contentType: string; content: Buffer; contentId?: string }[];
  date: Date;
}
export interface ComposedEmail {
  /** Frozen RFC 5322 bytes, CRLF only, no line over 998 octets. */
  mime: Buffer;
  size: number;
  /** Envelope addresses (punycode domains), BCC included. */
  envelope: { from: string; to: string[] };
  /** A non-ASCII local part somewhere: only a server announcing SMTPUTF8 may take it. */
  requiresSmtpUtf8: boolean;
}

/** Recipients per message (To + Bcc): Gmail answers 452 4.5.3 beyond 100 (SECURITY §3.3). */
export const RECIPIENTS_MAX = 100;

interface Mailbox {
  header: { name: string; address: string };
  envelope: string;
  utf8: boolean;
}

/**
 * The frozen bytes of one outgoing email (M31), built by nodemailer's composer with file and
 * URL access disabled. Every header value is checked first (M55, SECURITY §3.3): addresses by
 * our strict parser, names and subject by header-safety (invisible characters stripped, line
 * breaks, controls and encoded-word look-alikes refused), threading ids filtered, attachment
 * names sanitized. Throws AppError VALIDATION_FAILED with every problem's field path
 * (`/from/name`, `/to/0/email`, …); never opens a connection.
 */
export async function composeOutgoing(draft: OutgoingDraft): Promise<ComposedEmail> {
  const issues: FieldIssue[] = [];
  const from = mailbox(draft.from, '/from', issues);
  const to = draft.to.map((m, i) => mailbox(m, `/to/${i}`, issues));
  const replyTo = draft.replyTo ? mailbox(draft.replyTo, '/replyTo', issues) : null;
  const bcc = (draft.bcc ?? []).map((m, i) => mailbox(m, `/bcc/${i}`, issues));
  if (draft.to.length === 0) issues.push({ path: '/to', code: 'minItems', params: { limit: 1 } });
  if (draft.to.length + (draft.bcc?.length ?? 0) > RECIPIENTS_MAX)
    issues.push({ path: '/to', code: 'maxItems', params: { limit: RECIPIENTS_MAX } });
  // Subjects are task titles (free text): one that looks like an encoded word is sent
  // encoded, so the recipient reads exactly the title (names with one are refused).
  const subjectResult = cleanHeaderText(String(draft.subject ?? ''), '/subject', SUBJECT_MAX, {
    encodedWords: 'encode',
  });
  if (!subjectResult.ok) issues.push(subjectResult.issue);
  const subject = !subjectResult.ok
    ? ''
    : subjectResult.looksEncoded
      ? encodeWord(subjectResult.value, 'B', 52)
      : subjectResult.value;
  if (!isMsgId(draft.messageId)) issues.push({ path: '/messageId', code: 'message_id' });
  if (!(draft.date instanceof Date) || Number.isNaN(draft.date.getTime()))
    issues.push({ path: '/date', code: 'type' });
  const attachments = (draft.attachments ?? []).map((a, i) => {
    if (!Buffer.isBuffer(a.content)) issues.push({ path: `/attachments/${i}/content`, code: 'type' });
    const cid = a.contentId?.replace(/^<|>$/g, '');
    if (cid !== undefined && !isMsgId(`<${cid}>`))
      issues.push({ path: `/attachments/${i}/contentId`, code: 'message_id' });
    // Only these four fields reach the composer: never `path`, `href` or `raw` (case 26).
    return {
      filename: safeAttachmentName(String(a.filename ?? ''), i),
      contentType: safeContentType(String(a.contentType ?? '')),
      content: a.content,
      ...(cid ? { cid } : {}),
    };
  });
  if (issues.length > 0 || !from) throw new AppError('VALIDATION_FAILED', { fields: issues });

  const thread = cleanThreadIds(draft.inReplyTo, draft.references);
  const present = (m: Mailbox | null): m is Mailbox => m !== null;
  const mime = await buildMime({
    from: from.header,
    to: to.filter(present).map((m) => m.header),
    ...(replyTo ? { replyTo: replyTo.header } : {}),
    subject,
    messageId: draft.messageId,
    date: draft.date,
    ...(thread.inReplyTo ? { inReplyTo: thread.inReplyTo } : {}),
    ...(thread.references.length > 0 ? { references: thread.references } : {}),
    text: normalizeBody(draft.text),
    ...(draft.html !== undefined ? { html: normalizeBody(draft.html) } : {}),
    attachments,
  });
  assertWireSafe(mime);
  const everyone = [from, ...to, ...bcc, replyTo].filter(present);
  const recipients = [...new Set([...to, ...bcc].filter(present).map((m) => m.envelope))];
  return {
    mime,
    size: mime.length,
    envelope: { from: from.envelope, to: recipients },
    requiresSmtpUtf8: everyone.some((m) => m.utf8),
  };
}

/** One address + display name, or null with issues recorded under `path`. */
function mailbox(input: MailboxName, path: string, issues: FieldIssue[]): Mailbox | null {
  const parsed = parseEmailAddress(String(input?.email ?? ''), { allowUnicodeLocal: true });
  const name = text(String(input?.name ?? ''), `${path}/name`, NAME_MAX, issues);
  if (!parsed.ok) {
    issues.push({ path: `${path}/email`, code: 'email', params: { reason: parsed.error } });
    return null;
  }
  const utf8 = !/^[\x21-\x7e]+$/.test(parsed.local);
  // An ASCII local part goes out with the punycode domain everywhere; a non-ASCII one needs
  // SMTPUTF8 anyway, and nodemailer then writes the whole address in UTF-8 (RFC 6532).
  return {
    header: { name, address: utf8 ? parsed.address : parsed.ascii },
    envelope: parsed.ascii,
    utf8,
  };
}

function text(value: string, path: string, max: number, issues: FieldIssue[]): string {
  const result = cleanHeaderText(String(value ?? ''), path, max);
  if (result.ok) return result.value;
  issues.push(result.issue);
  return '';
}
