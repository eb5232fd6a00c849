import { domainToASCII } from 'node:url';
import type { DbOrTx } from '../../db/database.js';
import type { OutboxEnqueueRepository } from '../../db/repositories/outbox-enqueue.repository.js';
import type { SenderContextRow } from '../../db/repositories/sender-context.query.js';
import type { Actor } from '../../domain/actor.js';
import { AppError } from '../../domain/errors.js';
import { cleanThreadIds } from '../../domain/message/header-safety.js';
import { outgoingMessageId } from '../../domain/message/message-id.js';
import type { OutgoingFailureRecord } from '../../domain/message/outgoing.js';
import { checkChosenSender, resolveSender } from '../../domain/sender/resolve-sender.js';
import type { SenderContext, SenderOption } from '../../domain/sender/sender-types.js';
import { visibleOr } from '../../domain/visible-text.js';
import type { DecodedAttachment } from './attachment-rules.js';
import { pickSignature, type Signature, withSignature } from './comment-body.js';
import type { ComposeOutgoing, MailboxName } from './outgoing-composer.js';

/** A contact to notify, with the address the email goes to (their primary email). */
export interface NotifiedContact {
  id: string;
  name: string;
  email: string;
}

export interface SenderAddressDetails {
  email: string;
  displayName: string;
  replyTo: string | null;
  signatureText: string;
  signatureHtml: string;
  /** M13: a copy to the sender's own address. The option lives on the address (per mailbox). */
  bccSelf: boolean;
}

export interface EnqueueDeps {
  /** One round trip with everything the sender choice needs (sender-context.query.ts). */
  senderContext(workspaceId: string, employeeId: string, projectId: string | null): Promise<SenderContextRow>;
  systemSender: { email: string; displayName: string } | null;
  address(workspaceId: string, id: string): Promise<SenderAddressDetails | null>;
  outbox: OutboxEnqueueRepository;
  compose: ComposeOutgoing;
  randomBytes: (n: number) => Uint8Array;
}

/** One outgoing email, composed and ready to insert in the comment's transaction. */
export interface PlannedEmail {
  addressId: string | null;
  senderEmail: string;
  senderName: string;
  messageId: string;
  subject: string;
  mime: Buffer | null;
  size: number;
  status: 'queued' | 'failed';
  failure: OutgoingFailureRecord | null;
  recipients: { contactId: string | null; email: string; name: string; kind: 'to' | 'bcc' }[];
}

/** Message-ID domain of an email that has no sender and is never sent. */
const NO_SENDER_DOMAIN = 'mailroom.invalid';

export interface PlanInput {
  task: { id: string; projectId: string; title: string; threadToken: string };
  author: { name: string; signature: Signature };
  bodyText: string;
  bodyHtml: string;
  contacts: NotifiedContact[];
  /** All notified contacts in one email (workspace option, M29). */
  oneForAll: boolean;
  senderAddressId: string | null;
  attachments: DecodedAttachment[];
  now: Date;
}

/**
 * Plans the emails of one comment (M29–M30): one per notified contact (or one for all),
 * each from the chosen sender (checked: it must apply, M26) or the default for that thread
 * (M27, then M25), threaded on the task's earlier emails to the same contacts, with the
 * signature, Reply-To and BCC-to-self of the address, composed to frozen MIME. Reads and
 * composes only; the caller inserts the result in the comment's transaction.
 */
export async function planEmails(deps: EnqueueDeps, actor: Actor, input: PlanInput): Promise<PlannedEmail[]> {
  if (input.contacts.length === 0) return [];
  const row = await deps.senderContext(actor.workspaceId, actor.employeeId, input.task.projectId);
  const base = senderContextOf(row, actor.employeeId, input.task, deps.systemSender);
  if (input.senderAddressId) {
    const check = checkChosenSender(base, input.senderAddressId);
    if (!check.ok)
      throw new AppError('SENDER_NOT_APPLICABLE', {
        fields: [{ path: '/body/senderAddressId', code: check.reasons[0] ?? 'unknown' }],
        details: { reasons: check.reasons },
      });
  }
  const groups = input.oneForAll ? [input.contacts] : input.contacts.map((c) => [c]);
  const planned: PlannedEmail[] = [];
  for (const group of groups) {
    const thread = await deps.outbox.threadOf(
      actor.workspaceId,
      input.task.id,
      group.map((c) => c.id),
    );
    const decision = resolveSender({
      ...base,
      contactId: group.length === 1 ? group[0]!.id : null,
      ...(thread.lastAddressId ? { threadLastAddressId: thread.lastAddressId } : {}),
    });
    const option: SenderOption | null = input.senderAddressId
      ? (decision.choices.find((c) => c.addressId === input.senderAddressId) ?? null)
      : decision.default;
    planned.push(await planOne(deps, actor, input, group, thread.messageIds, option));
  }
  return planned;
}

async function planOne(
  deps: EnqueueDeps,
  actor: Actor,
  input: PlanInput,
  group: NotifiedContact[],
  earlier: string[],
  option: SenderOption | null,
): Promise<PlannedEmail> {
  const to = group.map((c) => ({ contactId: c.id, email: c.email, name: c.name, kind: 'to' as const }));
  const subject = earlier.length > 0 ? `Re: ${input.task.title}` : input.task.title;
  const address = option?.addressId ? await deps.address(actor.workspaceId, option.addressId) : null;
  if (!option || (option.kind === 'address' && !address)) {
    // M25: nothing applies — the comment is saved and the email is recorded as not sendable.
    return {
      addressId: null,
      senderEmail: '',
      senderName: '',
      messageId: outgoingMessageId(input.task.threadToken, NO_SENDER_DOMAIN, deps.randomBytes),
      subject,
      mime: null,
      size: 0,
      status: 'failed',
      failure: { reason: 'no_sender', at: input.now.toISOString(), attempt: 0 },
      recipients: to,
    };
  }
  const fromEmail = address?.email ?? option.email;
  const fromName = visibleOr(option.displayName, visibleOr(address?.displayName, ''));
  const messageId = outgoingMessageId(input.task.threadToken, asciiDomainOf(fromEmail), deps.randomBytes);
  const bodies = withSignature(
    { text: input.bodyText, html: input.bodyHtml },
    pickSignature(
      address ? { text: address.signatureText, html: address.signatureHtml } : null,
      input.author.signature,
    ),
  );
  const from: MailboxName = fromName ? { email: fromEmail, name: fromName } : { email: fromEmail };
  const bcc = address?.bccSelf ? [{ email: fromEmail, ...(fromName ? { name: fromName } : {}) }] : [];
  // A thread of any length: the first id and the newest (SECURITY.md §3.3, RFC 5322 §3.6.4).
  const thread = cleanThreadIds(earlier.at(-1), earlier);
  const composed = await composeFor(deps, group, input.contacts, {
    from,
    to: group.map((c) => (c.name ? { email: c.email, name: c.name } : { email: c.email })),
    replyTo: address?.replyTo ? { email: address.replyTo } : null,
    bcc,
    subject,
    text: bodies.text,
    html: bodies.html,
    messageId,
    inReplyTo: thread.inReplyTo,
    references: thread.references,
    attachments: input.attachments.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      content: a.content,
    })),
    date: input.now,
  });
  return {
    addressId: option.addressId,
    senderEmail: fromEmail,
    senderName: fromName,
    messageId,
    subject,
    mime: composed.mime,
    size: composed.size,
    status: 'queued',
    failure: null,
    recipients: [
      ...to,
      ...bcc.map((b) => ({ contactId: null, email: b.email, name: b.name ?? '', kind: 'bcc' as const })),
    ],
  };
}

/**
 * Composes, turning the composer's field paths (`/to/0/email`, `/from/name`, …) into paths of
 * the request that led to them: the notified contact, or the chosen sender.
 */
async function composeFor(
  deps: Pick<EnqueueDeps, 'compose'>,
  group: NotifiedContact[],
  all: NotifiedContact[],
  draft: Parameters<ComposeOutgoing>[0],
) {
  try {
    return await deps.compose(draft);
  } catch (error) {
    if (!(error instanceof AppError) || !error.fields) throw error;
    const fields = error.fields.map((f) => {
      const to = /^\/to\/(\d+)/.exec(f.path);
      if (to) {
        const index = all.indexOf(group[Number(to[1])]!);
        return { ...f, path: `/body/notifyContactIds/${index}` };
      }
      if (f.path.startsWith('/from') || f.path.startsWith('/replyTo') || f.path.startsWith('/bcc'))
        return { ...f, path: '/body/senderAddressId' };
      if (f.path === '/subject') return { ...f, path: '/task/title' };
      if (f.path.startsWith('/text') || f.path.startsWith('/html')) return { ...f, path: '/body/body' };
      return { ...f, path: `/body${f.path}` };
    });
    throw new AppError(error.code, { fields, params: error.params, cause: error });
  }
}

/** Inserts the planned emails and their recipients (inside the comment's transaction). */
export async function insertPlanned(
  deps: Pick<EnqueueDeps, 'outbox'> & {
    recordUsage(
      workspaceId: string,
      employeeId: string,
      addressId: string,
      taskId: string,
      contactId: string | null,
      at: Date,
      tx: DbOrTx,
    ): Promise<void>;
  },
  actor: Actor,
  ids: { taskId: string; commentId: string },
  planned: PlannedEmail[],
  now: Date,
  tx: DbOrTx,
): Promise<number> {
  let queued = 0;
  for (const p of planned) {
    const { id } = await deps.outbox.insertMessage(
      {
        workspaceId: actor.workspaceId,
        taskId: ids.taskId,
        commentId: ids.commentId,
        authorEmployeeId: actor.employeeId,
        addressId: p.addressId,
        senderEmail: p.senderEmail,
        senderName: p.senderName,
        messageId: p.messageId,
        subject: p.subject,
        mime: p.mime,
        size: p.size,
        status: p.status,
        failure: p.failure as Record<string, unknown> | null,
        nextAttemptAt: now,
      },
      tx,
    );
    await deps.outbox.insertRecipients(
      p.recipients.map((r) => ({
        workspaceId: actor.workspaceId,
        outgoingMessageId: id,
        contactId: r.contactId,
        email: r.email,
        name: r.name,
        kind: r.kind,
        status: 'pending' as const,
      })),
      tx,
    );
    if (p.status === 'queued') queued++;
    if (p.addressId) {
      // M25/M27 tie-breaks: this employee used this address in this task (and with each contact).
      const contacts = p.recipients.filter((r) => r.kind === 'to' && r.contactId);
      await deps.recordUsage(actor.workspaceId, actor.employeeId, p.addressId, ids.taskId, null, now, tx);
      for (const r of contacts)
        await deps.recordUsage(
          actor.workspaceId,
          actor.employeeId,
          p.addressId,
          ids.taskId,
          r.contactId,
          now,
          tx,
        );
    }
  }
  return queued;
}

/** The sender choice input for this employee in this task (the preview's candidates, M24–M28). */
function senderContextOf(
  row: SenderContextRow,
  employeeId: string,
  task: { id: string; projectId: string },
  systemSender: { email: string; displayName: string } | null,
): SenderContext {
  const employeeName = row.employee?.name ?? '';
  return {
    employeeId,
    employeeGroupIds: row.groupIds,
    projectId: task.projectId,
    taskId: task.id,
    candidates: row.candidates.map((c) => ({
      ...c,
      // M9: the sender name defaults to the employee's name, or the workspace's for company addresses.
      displayName: visibleOr(c.displayName, c.scope === 'employee' ? employeeName : row.workspaceName),
    })),
    usage: row.usage.map((u) => ({
      addressId: u.addressId,
      taskId: u.taskKey || null,
      contactId: u.contactKey || null,
      usedAt: u.usedAt,
    })),
    systemSender,
  };
}

/** The ASCII (punycode) form of an address's domain, for our Message-ID. */
function asciiDomainOf(email: string): string {
  const domain = email.slice(email.lastIndexOf('@') + 1);
  return domainToASCII(domain).toLowerCase() || NO_SENDER_DOMAIN;
}
