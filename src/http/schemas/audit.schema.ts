import { type Static, Type } from 'typebox';
import { Line, Timestamp, Uuid } from './common.js';
import { FlatJsonView } from './flat-json.js';

/** One row of the audit log (M49); the web's `AuditEntry` is its `Static<>`. */
export const AuditEntry = Type.Object({
  id: Uuid,
  actorEmployeeId: Type.Union([Uuid, Type.Null()]),
  actorName: Type.String(),
  action: Type.String(),
  targetType: Type.String(),
  targetId: Type.Union([Uuid, Type.Null()]),
  /** Free-form per action, flattened to two levels (older rows included). */
  details: FlatJsonView,
  createdAt: Timestamp,
});

/** Filters of GET /api/audit-log. */
export const AuditQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
    offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
    action: Type.Optional(Line(100)),
    targetType: Type.Optional(Line(50)),
    targetId: Type.Optional(Uuid),
    actorEmployeeId: Type.Optional(Uuid),
    from: Type.Optional(Timestamp),
    to: Type.Optional(Timestamp),
  },
  { additionalProperties: false },
);

export type AuditEntryView = Static<typeof AuditEntry>;
export type AuditQueryParams = Static<typeof AuditQuery>;
