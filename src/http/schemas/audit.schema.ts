import { type Static, Type } from 'typebox';
import { Timestamp, Uuid } from './common.js';
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

export type AuditEntryView = Static<typeof AuditEntry>;
