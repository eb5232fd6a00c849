import { sql } from 'drizzle-orm';
import { Type } from 'typebox';
import { rowDecoder } from '../raw-rows.js';
import { INBOUND_STATUSES } from '../schema/inbound.js';
import { outgoingMessages } from '../schema/index.js';

/** Row shapes and decoders for the inbound reading repository (inbound-reading.repository.ts). */
export interface InboundRow {
  id: string;
  workspaceId: string;
  addressId: string | null;
  status: 'stored' | 'processed' | 'quarantined';
  raw: Buffer;
}

export interface OutgoingMatch {
  id: string;
  taskId: string;
  commentId: string;
  authorEmployeeId: string | null;
  messageId: string;
  subject: string;
  status: string;
}

export interface InboundOutcome {
  status: 'processed' | 'quarantined';
  kind: 'reply' | 'bounce' | 'auto_reply' | 'new_task' | 'unmatched' | 'test' | 'unreadable';
  taskId?: string | null;
  commentId?: string | null;
  outgoingMessageId?: string | null;
  processError?: Record<string, unknown> | null;
}

/** bytea: a Buffer from node-postgres, a Uint8Array from PGlite. */
export const Bytes = Type.Refine(
  Type.Unsafe<Uint8Array>({}),
  (v) => v instanceof Uint8Array,
  () => 'bytes expected',
);
export const NullableString = Type.Union([Type.String(), Type.Null()]);
export const decodeInbound = rowDecoder(
  'inbound message',
  Type.Object({
    id: Type.String(),
    workspace_id: Type.String(),
    address_id: NullableString,
    status: Type.Enum([...INBOUND_STATUSES]),
    raw: Bytes,
  }),
);
export const decodeStatus = rowDecoder('inbound status', Type.Object({ status: Type.String() }));
export const decodeTaskId = rowDecoder('inbound task', Type.Object({ task_id: Type.String() }));
export const decodeRaw = rowDecoder('inbound raw bytes', Type.Object({ raw: Bytes }));
export const asBuffer = (raw: Uint8Array) => (Buffer.isBuffer(raw) ? raw : Buffer.from(raw));
export const list = (values: readonly string[]) =>
  sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );

export const outgoingColumns = {
  id: outgoingMessages.id,
  taskId: outgoingMessages.taskId,
  commentId: outgoingMessages.commentId,
  authorEmployeeId: outgoingMessages.authorEmployeeId,
  messageId: outgoingMessages.messageId,
  subject: outgoingMessages.subject,
  status: outgoingMessages.status,
};
