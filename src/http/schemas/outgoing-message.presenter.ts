import { type CatalogueEntry, classify, getEntry } from '../../domain/catalogue/index.js';
import { type MailFailure, sanitizeServerText } from '../../domain/mailbox/mail-failure.js';
import type { OutgoingStatus } from '../../domain/message/outgoing.js';
import type { Lang } from '../i18n/language.js';
import {
  REASON_ENTRY,
  REASON_EXPLANATIONS,
  SENT_COPY_FAILURES,
  SENT_COPY_SKIPS,
} from './outgoing-message-reasons.js';

/** What the presenter reads of an `outgoing_messages` row (a Drizzle select row fits). */
export interface OutgoingMessageRecord {
  id: string;
  status: OutgoingStatus;
  taskId: string;
  commentId: string;
  addressId: string | null;
  senderEmail: string;
  senderName: string;
  subject: string;
  attempts: number;
  nextAttemptAt: Date | null;
  acceptedReply: string | null;
  sentAt: Date | null;
  failure: Record<string, unknown> | null;
  /** The bounce report read later (M39); its explanation is in `failure` (reason `bounced`). */
  bounce?: Record<string, unknown> | null;
  sentCopy: 'pending' | 'done' | 'failed' | 'skipped' | null;
  sentCopyDetail: Record<string, unknown> | null;
  resendOfId: string | null;
  /** The resend made of this email ("send again" was used), when the caller loaded it. */
  resentAsId?: string | null;
  createdAt: Date;
}

/** What the presenter reads of its `outgoing_recipients` rows. */
export interface OutgoingRecipientRecord {
  email: string;
  name: string;
  kind: 'to' | 'cc' | 'bcc';
  status: 'pending' | 'accepted' | 'rejected' | 'bounced';
}

/** The Common causes entry of a catalogue id, as the address tests link it (M44). */
export const commonCausesHref = (id: string) => `/help/common-causes#${encodeURIComponent(id)}`;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** A stored MailFailure, read defensively (jsonb written by another process and version). */
function mailFailureOf(v: unknown): MailFailure | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const f = v as Partial<MailFailure>;
  if (typeof f.kind !== 'string' || typeof f.protocol !== 'string') return undefined;
  return f as MailFailure;
}

/**
 * The server's own words beside the explanation (M43): its reply, sanitised again on the way
 * out, or the technical codes when it said nothing. A policy refusal says nothing about why
 * (SECURITY §1.2 item 8).
 */
function serverReplyOf(f: MailFailure | undefined): string | null {
  if (!f || f.kind === 'policy') return null;
  if (f.response) return sanitizeServerText(f.response);
  const codes = [f.responseCode, f.enhancedCode, f.code].filter((c) => c !== undefined && c !== '');
  return codes.length > 0 ? sanitizeServerText(codes.join(' ')) : null;
}

/** The catalogue entry that explains a stored failure: stored id, reason mapping, or classify. */
function entryOf(reason: string, catalogueId: string | undefined, f: MailFailure | undefined) {
  const stored = catalogueId ? getEntry(catalogueId) : undefined;
  if (stored) return stored;
  const mapped = REASON_ENTRY[reason];
  if (mapped) return getEntry(mapped);
  // Our own reasons explain themselves better than the catalogue's guess at the last reply.
  // (`gave_up` is explained by the last refusal when there was one.)
  if (REASON_EXPLANATIONS[reason] && reason !== 'gave_up') return undefined;
  return f ? classify(f).entry : undefined;
}

/** The failure of an email explained (M43): cause and fix first, the reply beside, the help link. */
export function presentFailure(stored: Record<string, unknown> | null, status: OutgoingStatus, lang: Lang) {
  if (!stored) {
    // An uncertain email always gets its explanation, even if the worker stored no record.
    if (status !== 'uncertain') return null;
    stored = { reason: 'connection_lost_after_data' };
  }
  const reason = str(stored.reason) ?? 'unknown';
  const f = mailFailureOf(stored.failure);
  // "Possibly sent" is its own story whatever closed the connection: a catalogue entry would
  // promise an automatic retry that must not happen (M32).
  const uncertain = status === 'uncertain';
  const entry: CatalogueEntry | undefined = uncertain
    ? undefined
    : entryOf(reason, str(stored.catalogueId), f);
  const text = entry
    ? { title: entry.title, cause: entry.cause, fix: entry.userAction }
    : (REASON_EXPLANATIONS[uncertain ? 'connection_lost_after_data' : reason] ??
      REASON_EXPLANATIONS.unknown!);
  return {
    reason,
    catalogueId: entry?.id ?? null,
    title: text.title[lang],
    cause: text.cause[lang],
    fix: text.fix[lang],
    serverReply: serverReplyOf(f),
    helpHref: entry ? commonCausesHref(entry.id) : null,
  };
}

/** The copy in Sent (M57) in words: the folder it went to, or why not. */
export function presentSentCopy(
  status: OutgoingMessageRecord['sentCopy'],
  detail: Record<string, unknown> | null,
  lang: Lang,
) {
  if (!status) return null;
  const folder = str(detail?.folder) ?? null;
  let note: string | null = null;
  if (status === 'skipped') note = SENT_COPY_SKIPS[str(detail?.reason) ?? '']?.[lang] ?? null;
  if (status === 'failed') {
    const f = mailFailureOf(detail?.failure);
    const entry =
      (str(detail?.catalogueId) && getEntry(str(detail?.catalogueId)!)) || (f && classify(f).entry);
    const reply = serverReplyOf(f);
    const own = SENT_COPY_FAILURES[str(detail?.reason) ?? '']?.[lang] ?? null;
    note = [entry ? entry.title[lang] : own, reply].filter(Boolean).join(' — ') || null;
  }
  return { status, folder: folder ? sanitizeServerText(folder) : null, note };
}

/** A sent email shows no old failure; a bounced one shows its bounce (M39, M43). */
function failureShown(m: OutgoingMessageRecord): Record<string, unknown> | null {
  if (m.status === 'sent') return null;
  // The reader stores the bounce's explanation as a failure record (reason `bounced`) and the
  // report itself in `bounce`; older rows may only have the report.
  if (m.status === 'bounced')
    return m.failure?.reason === 'bounced' ? m.failure : { reason: 'bounced', ...(m.bounce ?? {}) };
  return m.failure;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** One outgoing email as the API shows it (CONTRACTS.md); BCC-to-self copies are not listed. */
export function presentOutgoingMessage(
  m: OutgoingMessageRecord,
  recipients: readonly OutgoingRecipientRecord[],
  lang: Lang,
) {
  const waiting = m.status === 'queued' || m.status === 'deferred';
  return {
    id: m.id,
    status: m.status,
    to: recipients
      .filter((r) => r.kind !== 'bcc')
      .map((r) => ({ email: r.email, name: r.name, status: r.status })),
    sender: { addressId: m.addressId, email: m.senderEmail, name: m.senderName },
    subject: m.subject,
    createdAt: m.createdAt.toISOString(),
    sentAt: iso(m.sentAt),
    acceptedReply: m.acceptedReply ? sanitizeServerText(m.acceptedReply) : null,
    attempts: m.attempts,
    nextAttemptAt: waiting ? iso(m.nextAttemptAt) : null,
    failure: presentFailure(failureShown(m), m.status, lang),
    sentCopy: presentSentCopy(m.sentCopy, m.sentCopyDetail, lang),
    resendOfId: m.resendOfId,
    resentAsId: m.resentAsId ?? null,
    taskId: m.taskId,
    commentId: m.commentId,
  };
}
