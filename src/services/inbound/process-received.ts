import type { InboundReadingRepository } from '../../db/repositories/inbound-reading.repository.js';
import type { ParsedMessage } from '../../domain/inbound/parsed-message.js';
import { type ReceivedReading, readReceived } from '../../domain/inbound/read-received.js';
import { newThreadToken } from '../../domain/message/message-id.js';
import { visibleOr } from '../../domain/visible-text.js';
import type { RunInTransaction } from '../../ports/transaction.js';
import type { AttachmentLimits } from '../tasks/attachment-rules.js';
import { keepAttachments } from './process-attachments.js';

const MAX_TITLE = 200;

export interface ReceivedWriterDeps {
  repo: Pick<
    InboundReadingRepository,
    | 'lockInbound'
    | 'recordOutcome'
    | 'contactByEmail'
    | 'createContact'
    | 'addContactParticipant'
    | 'insertTask'
    | 'insertComment'
  >;
  transaction: RunInTransaction;
  randomBytes: (n: number) => Uint8Array;
  limits: AttachmentLimits;
}

/**
 * A received message with what its comment shows: the reading (reply split from quotes, HTML
 * sanitized) and the attachments within the caps, hashed. Pure CPU work on up to megabytes,
 * done before the transaction: between BEGIN and COMMIT it held the inbound row's lock and a
 * connection (PGlite's only one) for its whole length. Not after COMMIT: the comment is
 * inserted with it (a second write would show a comment without its text in between). Wasted
 * only when another processor took the row meanwhile.
 */
export interface ReadReceived {
  msg: ParsedMessage;
  reading: ReceivedReading;
  kept: ReturnType<typeof keepAttachments>['kept'];
  omitted: ReturnType<typeof keepAttachments>['omitted'];
}

/**
 * Writing what a received message becomes: the contact's comment with its reading view and the
 * attachments within the caps, or (M40) a new task with the sender as a (possibly new) contact.
 */
export function createReceivedWriter(deps: ReceivedWriterDeps) {
  const { repo, limits } = deps;
  return { readBody, insertReceived, newTask };

  function readBody(msg: ParsedMessage): ReadReceived {
    return { msg, reading: readReceived(msg.text, msg.html), ...keepAttachments(msg.parts, limits) };
  }

  async function insertReceived(
    ws: string,
    id: string,
    taskId: string,
    contact: { id: string; name: string } | null,
    { msg, reading, kept, omitted }: ReadReceived,
    autoReason: string | null,
    at: Date,
    tx: Parameters<Parameters<RunInTransaction>[0]>[0],
  ) {
    const fromEmail = msg.from?.email ?? '';
    return repo.insertComment(
      {
        workspaceId: ws,
        taskId,
        authorContactId: contact?.id ?? null,
        authorName: visibleOr(contact?.name, visibleOr(msg.from?.name, fromEmail)).slice(0, 200),
        source: 'email',
        kind: autoReason ? 'auto_reply' : 'reply',
        bodyText: reading.visibleText,
        bodyHtml: reading.html?.html ?? '',
        inboundMessageId: id,
        createdAt: at,
      },
      {
        workspaceId: ws,
        inboundMessageId: id,
        fromEmail: fromEmail.slice(0, 320),
        fromName: (msg.from?.name ?? '').slice(0, 200),
        subject: msg.subject.slice(0, 500),
        quotedText: reading.quotedText,
        remoteImages: reading.html?.remoteImages ?? 0,
        autoReplyReason: autoReason,
        omittedAttachments: omitted,
      },
      kept.map((a, position) => ({ workspaceId: ws, position, ...a })),
      tx,
    );
  }

  async function newTask(ws: string, id: string, projectId: string, msg: ParsedMessage, at: Date) {
    const fromEmail = msg.from!.email;
    const body = readBody(msg);
    await deps.transaction(async (tx) => {
      if ((await repo.lockInbound(ws, id, tx)) !== 'stored') return;
      const existing = await repo.contactByEmail(ws, fromEmail, tx);
      const name = visibleOr(msg.from?.name, fromEmail).slice(0, 200);
      const contactId = existing?.id ?? (await repo.createContact(ws, name, fromEmail, tx));
      const taskId = await repo.insertTask(
        {
          workspaceId: ws,
          projectId,
          title: visibleOr(msg.subject.trim(), fromEmail).slice(0, MAX_TITLE),
          threadToken: newThreadToken(deps.randomBytes),
          lastActivityAt: at,
        },
        tx,
      );
      await repo.addContactParticipant(ws, taskId, contactId, tx);
      const commentId = await insertReceived(
        ws,
        id,
        taskId,
        { id: contactId, name: existing?.name ?? name },
        body,
        null,
        at,
        tx,
      );
      await repo.recordOutcome(ws, id, { status: 'processed', kind: 'new_task', taskId, commentId }, at, tx);
    });
  }
}
