import { Type } from 'typebox';
import type { CommentView } from '../../db/repositories/comment.repository.js';
import type { TaskWithParticipants } from '../../db/repositories/task.repository.js';
import { base64Length, DEFAULT_ATTACHMENT_LIMITS } from '../../services/tasks/attachment-rules.js';
import { MAX_NOTIFIED } from '../../services/tasks/comment-service.js';
import type { Lang } from '../i18n/language.js';
import { Line, Text, Timestamp, Uuid } from './common.js';
import { presentOutgoingMessage } from './outgoing-message.presenter.js';
import { OutgoingMessage } from './outgoing-message.schema.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const MAX_PARTICIPANTS = 200;

export const TaskParticipant = Type.Object({
  kind: Type.Union([Type.Literal('employee'), Type.Literal('contact')]),
  id: Uuid,
  name: Type.String(),
  email: Type.String(),
});

export const Task = Type.Object(
  {
    id: Uuid,
    projectId: Uuid,
    projectName: Type.String(),
    title: Type.String(),
    status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
    participants: Type.Array(TaskParticipant),
    createdByEmployeeId: Nullable(Uuid),
    lastActivityAt: Timestamp,
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'Task' },
);

export const TaskListQuery = Type.Object(
  {
    projectId: Type.Optional(Uuid),
    status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed')])),
    q: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 50 }),
    offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
  },
  { additionalProperties: false },
);

const taskFields = {
  title: Line(300, 1),
  employeeIds: Type.Array(Uuid, { maxItems: MAX_PARTICIPANTS }),
  contactIds: Type.Array(Uuid, { maxItems: MAX_PARTICIPANTS }),
};
export const TaskCreateBody = Type.Object(
  {
    projectId: Uuid,
    title: taskFields.title,
    employeeIds: Type.Optional(taskFields.employeeIds),
    contactIds: Type.Optional(taskFields.contactIds),
  },
  { additionalProperties: false },
);
export const TaskPatchBody = Type.Partial(
  Type.Object({ ...taskFields, status: Type.Union([Type.Literal('open'), Type.Literal('closed')]) }),
  { additionalProperties: false },
);

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

export const CommentAttachment = Type.Object({
  id: Uuid,
  filename: Type.String(),
  contentType: Type.String(),
  size: Type.Integer(),
  url: Type.String(),
});

export const Comment = Type.Object(
  {
    id: Uuid,
    taskId: Uuid,
    author: Type.Object({
      kind: Type.Union([Type.Literal('employee'), Type.Literal('contact'), Type.Null()]),
      id: Nullable(Uuid),
      name: Type.String(),
    }),
    source: Type.Union([Type.Literal('app'), Type.Literal('email')]),
    kind: Type.String(),
    bodyText: Type.String(),
    bodyHtml: Type.String(),
    createdAt: Timestamp,
    attachments: Type.Array(CommentAttachment),
    emails: Type.Array(OutgoingMessage),
  },
  { $id: 'Comment' },
);

export const CommentListQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 100 }),
    offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
  },
  { additionalProperties: false },
);

const limits = DEFAULT_ATTACHMENT_LIMITS;
export const CommentAttachmentInput = Type.Object(
  {
    filename: Line(255, 1),
    contentType: Type.Optional(Line(255)),
    /** Base64; the decoded size is checked against the per-file and total caps (413). */
    content: Type.String({ maxLength: base64Length(limits.perFileBytes) + 4 }),
  },
  { additionalProperties: false },
);

export const CommentCreateBody = Type.Object(
  {
    /** Plain text; the HTML part is derived from it. */
    body: Text(100_000),
    notifyContactIds: Type.Optional(Type.Array(Uuid, { maxItems: MAX_NOTIFIED })),
    senderAddressId: Type.Optional(Uuid),
    attachments: Type.Optional(Type.Array(CommentAttachmentInput, { maxItems: limits.maxFiles })),
  },
  { additionalProperties: false },
);

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({ minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]+$' }),
  ),
});

/** Room for every attachment at the total cap in base64, plus the text body. */
export const COMMENT_BODY_LIMIT = base64Length(limits.totalBytes) + 1024 * 1024;

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
