import { type Static, Type } from 'typebox';
import { ItemsOf, Language, Line, Timestamp, Uuid } from './common.js';
import type { EmployeeView } from './resources.schema.js';

/** The workspace as every session names it (the sandbox flag drives the "mail stays here" banner). */
export const SessionWorkspace = Type.Object({ id: Uuid, name: Type.String(), sandbox: Type.Boolean() });

/** Body of POST/GET/PATCH /api/session. `Employee` is registered by the employee routes. */
export const Session = Type.Object({
  employee: Type.Ref('Employee'),
  workspace: SessionWorkspace,
  csrfToken: Type.String(),
});

export const LoginBody = Type.Object(
  {
    email: Line(254, 1),
    password: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export const SessionLanguageBody = Type.Object({ language: Language }, { additionalProperties: false });

export const ApiToken = Type.Object({
  id: Uuid,
  name: Type.String(),
  prefix: Type.String(),
  employeeId: Uuid,
  createdAt: Timestamp,
  expiresAt: Type.Union([Timestamp, Type.Null()]),
  lastUsedAt: Type.Union([Timestamp, Type.Null()]),
});
/** The token itself is in this answer only (shown once). */
export const CreatedApiToken = Type.Intersect([ApiToken, Type.Object({ token: Type.String() })]);
export const ApiTokenList = ItemsOf(ApiToken);
export const ApiTokenCreateBody = Type.Object(
  { name: Line(100, 1), expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })) },
  { additionalProperties: false },
);

export type SessionWorkspaceView = Static<typeof SessionWorkspace>;
/** `Static<>` of a `$ref` knows nothing of its target: the employee is the Employee schema's type. */
export type SessionResponse = Omit<Static<typeof Session>, 'employee'> & { employee: EmployeeView };
export type LoginInput = Static<typeof LoginBody>;
export type SessionLanguageInput = Static<typeof SessionLanguageBody>;
export type ApiTokenView = Static<typeof ApiToken>;
export type CreatedApiTokenView = Static<typeof CreatedApiToken>;
export type ApiTokenCreateInput = Static<typeof ApiTokenCreateBody>;
export type ApiTokenListView = Static<typeof ApiTokenList>;
