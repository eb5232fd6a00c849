import { createHash } from 'node:crypto';
import type { DbOrTx } from '../../db/database.js';
import type { CommentRepository, CommentView } from '../../db/repositories/comment.repository.js';
import type { TaskRepository } from '../../db/repositories/task.repository.js';
import type { Actor } from '../../domain/actor.js';
import { AppError, type FieldIssue, notFound, validationFailed } from '../../domain/errors.js';
import { MAX_NOTIFIED } from '../../domain/message/comment-limits.js';
import type { OutboxWakeup } from '../../ports/outbox-wakeup.js';
import type { RunInTransaction } from '../../ports/transaction.js';
import {
  type AttachmentInput,
  type AttachmentLimits,
  DEFAULT_ATTACHMENT_LIMITS,
  decodeAttachments,
  downloadHeaders,
} from './attachment-rules.js';
import { normalizeText, textToHtml } from './comment-body.js';
import { type EnqueueDeps, insertPlanned, type NotifiedContact, planEmails } from './enqueue-emails.js';
import { requireCanComment } from './task-access.js';
import { accessView, type TaskService } from './task-service.js';

export interface CommentInput {
  body: string;
  notifyContactIds?: string[] | undefined;
  senderAddressId?: string | undefined;
  attachments?: AttachmentInput[] | undefined;
}

export { MAX_NOTIFIED };

/** Thrown inside the transaction when the idempotency key was taken concurrently. */
class KeyTaken extends Error {}

export interface CommentServiceDeps extends EnqueueDeps {
  tasks: Pick<TaskService, 'get'>;
  taskRows: Pick<TaskRepository, 'addParticipants' | 'touch'>;
  comments: CommentRepository;
  /** Contacts' names and primary emails, for the ids a comment notifies. */
  contactsForNotify(
    workspaceId: string,
    ids: readonly string[],
  ): Promise<Map<string, { name: string; email: string }>>;
  author(
    workspaceId: string,
    employeeId: string,
  ): Promise<{ name: string; signatureText: string; signatureHtml: string } | null>;
  oneEmailForAll(workspaceId: string): Promise<boolean>;
  recordUsage: Parameters<typeof insertPlanned>[0]['recordUsage'];
  outboxWakeup: OutboxWakeup;
  transaction: RunInTransaction;
  isKeyConflict(error: unknown): boolean;
  attachmentLimits?: AttachmentLimits;
  now?: () => Date;
}

/** What a repeated request is compared on (M31): the same key with another request is refused. */
function fingerprint(taskId: string, input: CommentInput, attachmentHashes: string[]): string {
  const canonical = JSON.stringify({
    taskId,
    body: input.body,
    notify: [...new Set(input.notifyContactIds ?? [])].sort(),
    sender: input.senderAddressId ?? null,
    attachments: (input.attachments ?? []).map((a, i) => [
      a.filename,
      a.contentType ?? '',
      attachmentHashes[i],
    ]),
  });
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * Comments in a task (M29–M31): the comment, its attachments and one outgoing email per
 * notified contact (or one for all) are committed in ONE transaction; MIME is composed
 * before it, SMTP happens later in the worker. A client `Idempotency-Key` makes a repeated
 * POST return the first comment.
 */
export function createCommentService(deps: CommentServiceDeps) {
  const now = deps.now ?? (() => new Date());
  const limits = deps.attachmentLimits ?? DEFAULT_ATTACHMENT_LIMITS;

  const view = async (actor: Actor, id: string): Promise<CommentView> => {
    const v = await deps.comments.findView(actor.workspaceId, id);
    if (!v) throw notFound('comment', id);
    return v;
  };

  /** The first comment under this key, or a refusal when the request differs (M31). */
  const replay = async (actor: Actor, key: string, print: string) => {
    const first = await deps.comments.findByIdempotencyKey(actor.workspaceId, actor.employeeId, key);
    if (!first) return null;
    if (first.idempotencyFingerprint !== print)
      throw new AppError('IDEMPOTENCY_KEY_REUSED', {
        fields: [{ path: '/headers/idempotency-key', code: 'reused' }],
      });
    return view(actor, first.id);
  };

  /** Notified contacts must exist in this workspace and have an email address. */
  const notifiedContacts = async (actor: Actor, ids: string[]): Promise<NotifiedContact[]> => {
    if (ids.length > MAX_NOTIFIED)
      throw validationFailed([
        { path: '/body/notifyContactIds', code: 'maxItems', params: { limit: MAX_NOTIFIED } },
      ]);
    const found = await deps.contactsForNotify(actor.workspaceId, ids);
    const issues: FieldIssue[] = [];
    const out: NotifiedContact[] = [];
    ids.forEach((id, i) => {
      const c = found.get(id);
      if (!c) issues.push({ path: `/body/notifyContactIds/${i}`, code: 'unknown_reference' });
      else if (!c.email) issues.push({ path: `/body/notifyContactIds/${i}`, code: 'no_email' });
      else out.push({ id, name: c.name, email: c.email });
    });
    if (issues.length > 0) throw validationFailed(issues);
    return out;
  };

  return {
    async list(actor: Actor, taskId: string, page: { limit: number; offset: number }) {
      await deps.tasks.get(actor, taskId);
      return deps.comments.listByTask(actor.workspaceId, taskId, page);
    },

    /** Creates the comment (201), or returns the first one for a repeated key (`replayed`). */
    async post(
      actor: Actor,
      taskId: string,
      input: CommentInput,
      idempotencyKey: string | null,
    ): Promise<{ comment: CommentView; replayed: boolean; queued: number }> {
      const task = await deps.tasks.get(actor, taskId);
      requireCanComment(actor, accessView(task));
      const attachments = decodeAttachments(input.attachments ?? [], limits);
      const print = fingerprint(
        taskId,
        input,
        attachments.map((a) => a.sha256),
      );
      if (idempotencyKey) {
        const first = await replay(actor, idempotencyKey, print);
        if (first) return { comment: first, replayed: true, queued: 0 };
      }
      const bodyText = normalizeText(input.body);
      if (!bodyText && attachments.length === 0)
        throw validationFailed([{ path: '/body/body', code: 'minLength', params: { limit: 1 } }]);
      const contactIds = [...new Set(input.notifyContactIds ?? [])];
      const contacts = await notifiedContacts(actor, contactIds);
      const author = await deps.author(actor.workspaceId, actor.employeeId);
      const at = now();
      const bodyHtml = textToHtml(bodyText);
      const planned = await planEmails(deps, actor, {
        task,
        author: {
          name: author?.name ?? actor.name,
          signature: { text: author?.signatureText ?? '', html: author?.signatureHtml ?? '' },
        },
        bodyText,
        bodyHtml,
        contacts,
        oneForAll: contacts.length > 1 && (await deps.oneEmailForAll(actor.workspaceId)),
        senderAddressId: input.senderAddressId ?? null,
        attachments,
        now: at,
      });

      let result: { id: string; queued: number };
      try {
        result = await deps.transaction(async (tx: DbOrTx) => {
          let comment: { id: string };
          try {
            comment = await deps.comments.insert(
              {
                workspaceId: actor.workspaceId,
                taskId,
                authorEmployeeId: actor.employeeId,
                authorName: author?.name ?? actor.name,
                source: 'app',
                kind: 'comment',
                bodyText,
                bodyHtml,
                idempotencyKey,
                idempotencyFingerprint: idempotencyKey ? print : null,
                createdAt: at,
              },
              tx,
            );
          } catch (error) {
            if (idempotencyKey && deps.isKeyConflict(error)) throw new KeyTaken();
            throw error;
          }
          await deps.comments.insertAttachments(
            attachments.map((a, position) => ({
              workspaceId: actor.workspaceId,
              position,
              commentId: comment.id,
              filename: a.filename,
              contentType: a.contentType,
              size: a.size,
              sha256: a.sha256,
              content: a.content,
            })),
            tx,
          );
          // The contacts it notified join the task; its author does not: taking part grants
          // edit rights (task-access.ts), which a comment must not. Replies still reach them.
          await deps.taskRows.addParticipants(
            actor.workspaceId,
            taskId,
            { contactIds: contacts.map((c) => c.id) },
            tx,
          );
          await deps.taskRows.touch(actor.workspaceId, taskId, at, tx);
          const queued = await insertPlanned(deps, actor, { taskId, commentId: comment.id }, planned, at, tx);
          // On PostgreSQL a NOTIFY, delivered to other processes' workers only at commit.
          if (queued > 0) await deps.outboxWakeup.queued(tx);
          return { id: comment.id, queued };
        });
      } catch (error) {
        if (error instanceof KeyTaken && idempotencyKey) {
          // A concurrent request with the same key committed first: answer as its repeat.
          const first = await replay(actor, idempotencyKey, print);
          if (first) return { comment: first, replayed: true, queued: 0 };
        }
        throw error;
      }
      if (result.queued > 0) deps.outboxWakeup.committed();
      return { comment: await view(actor, result.id), replayed: false, queued: result.queued };
    },

    /** An attachment's bytes with safe download headers; visible to whoever may see its task. */
    async attachment(actor: Actor, id: string) {
      const row = await deps.comments.attachment(actor.workspaceId, id);
      if (!row) throw notFound('attachment', id);
      await deps.tasks.get(actor, row.taskId);
      return { content: row.content, headers: downloadHeaders(row.filename, row.contentType) };
    },
  };
}

export type CommentService = ReturnType<typeof createCommentService>;
