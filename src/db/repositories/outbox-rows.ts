import { type Static, type TSchema, Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { rowDecoder } from '../raw-rows.js';
import type { emailAddresses } from '../schema/index.js';

/** One recipient of a claimed email, with what it accepted recently (M34; pending ones only). */
export interface ClaimedRecipient {
  id: string;
  email: string;
  status: string;
  /** Emails this recipient accepted from the workspace since the claim's window start. */
  recent: { count: number; oldest: Date | null };
}

/** A claimed email, with what sending it needs (the MIME and the recipients still pending). */
export interface ClaimedMessage {
  id: string;
  /** The claim's lease token: every later write of this attempt names it. */
  lease: string;
  workspaceId: string;
  addressId: string | null;
  /** The address row's version at the claim (null when the address is gone). */
  addressVersion: string | null;
  taskId: string;
  commentId: string;
  authorEmployeeId: string | null;
  messageId: string;
  subject: string;
  mime: Buffer | null;
  size: number;
  attempts: number;
  createdAt: Date;
  recipients: ClaimedRecipient[];
}

/** A `sent` outcome for `recordProgress`. */
export interface SentRecord {
  id: string;
  lease: string;
  reply: string;
  queueId: string | null;
  sentCopy: 'pending' | null;
}

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
/** A timestamp: text from PGlite's raw execute, a Date from node-postgres. */
const Timestamp = Type.Union([
  Type.String(),
  Type.Refine(
    Type.Unsafe<Date>({}),
    (v) => v instanceof Date,
    () => 'a Date expected',
  ),
]);
/** int/bigint columns: node-postgres hands bigint over as text. */
const Count = Type.Union([Type.Number(), Type.String()]);

/**
 * One claimed row. The validators are compiled once; checking a row allocates nothing, so the
 * claim (the sending hot path) pays only the checks. `recipients` is json (text on PGlite) and
 * is checked after parsing, by `decodeClaimRecipients`.
 */
export const decodeClaim = rowDecoder(
  'outbox claim',
  Type.Object({
    id: Type.String(),
    workspace_id: Type.String(),
    address_id: Nullable(Type.String()),
    address_version: Nullable(Type.String()),
    task_id: Type.String(),
    comment_id: Type.String(),
    author_employee_id: Nullable(Type.String()),
    message_id: Type.String(),
    subject: Type.String(),
    mime: Nullable(Type.String()),
    size: Count,
    attempts: Count,
    created_at: Timestamp,
    recipients: Type.Unknown(),
  }),
);
const ClaimRecipientList = Type.Array(
  Type.Object({
    id: Type.String(),
    email: Type.String(),
    status: Type.String(),
    recent: Nullable(Type.Number()),
    oldest: Nullable(Type.String()),
  }),
);
const ClaimRecipients = Compile(ClaimRecipientList);
export const decodeClaimRecipients = (v: unknown): Static<typeof ClaimRecipientList> => {
  const list = typeof v === 'string' ? JSON.parse(v) : v;
  if (!ClaimRecipients.Check(list)) throw new Error('outbox claim: recipients do not match');
  return list;
};
/** A checked claim row as the worker uses it, under the claim's lease. */
export const toClaimed = (r: ReturnType<typeof decodeClaim>[number], leaseToken: string): ClaimedMessage => ({
  id: r.id,
  lease: leaseToken,
  workspaceId: r.workspace_id,
  addressId: r.address_id,
  addressVersion: r.address_version,
  taskId: r.task_id,
  commentId: r.comment_id,
  authorEmployeeId: r.author_employee_id,
  messageId: r.message_id,
  subject: r.subject,
  mime: r.mime === null ? null : Buffer.from(r.mime, 'base64'),
  size: Number(r.size),
  attempts: Number(r.attempts),
  createdAt: new Date(r.created_at),
  recipients: decodeClaimRecipients(r.recipients).map((x) => ({
    id: x.id,
    email: x.email,
    status: x.status,
    recent: { count: Number(x.recent ?? 0), oldest: x.oldest ? new Date(x.oldest) : null },
  })),
});
const ProgressList = Type.Array(Type.Object({ kind: Type.Enum(['t', 's']), id: Type.String() }));
const ProgressCheck = Compile(ProgressList);
/** What a grouped mark/outcome write changed: its one JSON text value, checked. */
export const decodeProgressJson = (text: string | null): Static<typeof ProgressList> => {
  const list: unknown = JSON.parse(text ?? '[]');
  if (!ProgressCheck.Check(list)) throw new Error('outbox progress: rows do not match');
  return list;
};
export const decodeNextDue = rowDecoder('outbox next due', Type.Object({ at: Nullable(Timestamp) }));

/** An email the worker gave up on or lost track of: who to tell about it. */
export interface NoticeRow {
  id: string;
  workspaceId: string;
  authorEmployeeId: string | null;
  taskId: string;
  subject: string;
  status: string;
}

export interface RecipientOutcome {
  id: string;
  status: 'accepted' | 'rejected' | 'pending';
  reply?: string | null;
  failure?: Record<string, unknown> | null;
}

/** An address row as the worker reads it for sending. */
export type SendingAddress = typeof emailAddresses.$inferSelect;
