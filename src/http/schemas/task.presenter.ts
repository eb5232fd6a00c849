import type { CommentView } from '../../db/repositories/comment.repository.js';
import type { TaskWithParticipants } from '../../db/repositories/task.repository.js';
import type { Lang } from '../i18n/language.js';
import { presentOutgoingMessage } from './outgoing-message.presenter.js';

/** Presenters of src/http/schemas/task.schema.ts: what a task and a comment look like outside. */
export const presentTask = (t: TaskWithParticipants) => ({
  id: t.id,
  projectId: t.projectId,
  projectName: t.projectName,
  title: t.title,
  status: t.status,
  participants: t.participants,
  createdByEmployeeId: t.createdByEmployeeId,
  lastActivityAt: t.lastActivityAt.toISOString(),
  createdAt: t.createdAt.toISOString(),
  updatedAt: t.updatedAt.toISOString(),
});

export const presentComment = (c: CommentView, lang: Lang) => ({
  id: c.id,
  taskId: c.taskId,
  author: c.authorEmployeeId
    ? { kind: 'employee' as const, id: c.authorEmployeeId, name: c.authorName }
    : c.authorContactId
      ? { kind: 'contact' as const, id: c.authorContactId, name: c.authorName }
      : { kind: null, id: null, name: c.authorName },
  source: c.source,
  kind: c.kind,
  bodyText: c.bodyText,
  bodyHtml: c.bodyHtml,
  createdAt: c.createdAt.toISOString(),
  attachments: c.attachments.map((a) => ({
    id: a.id,
    filename: a.filename,
    contentType: a.contentType,
    size: a.size,
    url: `/api/attachments/${a.id}`,
  })),
  emails: c.emails.map((e) => presentOutgoingMessage(e, e.recipients, lang)),
});
