import { type Static, Type } from 'typebox';
import {
  base64Length,
  DEFAULT_ATTACHMENT_LIMITS,
  MAX_NOTIFIED,
} from '../../domain/message/comment-limits.js';
import { Line, Text, Timestamp, Uuid } from './common.js';
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
    q: Type.Optional(Line(200)),
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

export type TaskView = Static<typeof Task>;
export type TaskParticipantView = Static<typeof TaskParticipant>;
export type TaskListParams = Static<typeof TaskListQuery>;
export type TaskCreateInput = Static<typeof TaskCreateBody>;
export type TaskPatchInput = Static<typeof TaskPatchBody>;
export type CommentView = Static<typeof Comment>;
export type CommentCreateInput = Static<typeof CommentCreateBody>;
