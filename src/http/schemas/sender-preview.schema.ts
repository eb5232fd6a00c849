import { type Static, Type } from 'typebox';
import { Uuid } from './common.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const EXCLUSION_REASONS = [
  'disabled',
  'needs_attention',
  'needs_reconnect',
  'bound_to_other_projects',
  'no_access',
  'not_owner',
] as const;

/** One sender the composer may offer (M26), with the rule that put it there (M25, M27). */
export const SenderOptionView = Type.Object({
  kind: Type.Enum(['address', 'system']),
  addressId: Nullable(Uuid),
  email: Type.String(),
  displayName: Type.String(),
  step: Type.Enum([1, 2, 3, 4, 5]),
  because: Type.Object({
    rule: Type.Enum([
      'thread_continuation',
      'own_bound_to_project',
      'own_all_projects',
      'company_bound_to_project',
      'company_all_projects',
      'system_sender',
    ]),
    employeeId: Uuid,
    projectId: Nullable(Uuid),
    tieBreak: Type.Optional(Type.Enum(['last_used_in_task', 'last_used', 'oldest', 'id_order'])),
    tiedCount: Type.Optional(Type.Integer()),
    lastUsedAt: Nullable(Type.String({ format: 'date-time' })),
    taskId: Type.Optional(Nullable(Uuid)),
    contactId: Type.Optional(Nullable(Uuid)),
  }),
});

/** GET /api/senders: "employee X in project Y will send as …, because …" (M28). */
export const SenderPreviewView = Type.Object({
  employeeId: Uuid,
  projectId: Nullable(Uuid),
  default: Nullable(SenderOptionView),
  choices: Type.Array(SenderOptionView),
  excluded: Type.Array(
    Type.Object({
      addressId: Uuid,
      email: Type.String(),
      displayName: Type.String(),
      scope: Type.Enum(['company', 'employee']),
      reasons: Type.Array(Type.Enum(EXCLUSION_REASONS)),
    }),
  ),
  excludedTotal: Type.Integer(),
  excludedOffset: Type.Integer(),
  excludedLimit: Type.Integer(),
  systemSenderUsed: Type.Boolean(),
  sentences: Type.Array(Type.String()),
});

export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];
export type SenderOption = Static<typeof SenderOptionView>;
export type SenderPreview = Static<typeof SenderPreviewView>;
