import { type Static, Type } from 'typebox';
import { Timestamp, Uuid } from './common.js';

/**
 * One external email address as the API shows it (M9–M14, M50); the password never leaves
 * (M51). The web's `EmailAddress` type is this schema's `Static<>` (decision 0009).
 */
export const Security = Type.Union([Type.Literal('tls'), Type.Literal('starttls'), Type.Literal('none')]);
export const Protocol = Type.Union([Type.Literal('pop3'), Type.Literal('imap')]);
export const HealthDetail = Type.Object({
  since: Type.Optional(Timestamp),
  failures: Type.Optional(Type.Integer({ minimum: 1 })),
  direction: Type.Optional(Type.Union([Type.Literal('send'), Type.Literal('receive')])),
  reason: Type.Optional(Type.String()),
  reply: Type.Optional(Type.String()),
  catalogueId: Type.Optional(Type.String()),
  previousStatus: Type.Optional(
    Type.Union([Type.Literal('failing'), Type.Literal('needs_attention'), Type.Literal('needs_reconnect')]),
  ),
  code: Type.Optional(Type.Union([Type.Literal('access_list_emptied'), Type.Literal('projects_emptied')])),
  removed: Type.Optional(Type.String()),
  removedKind: Type.Optional(
    Type.Union([Type.Literal('group'), Type.Literal('employee'), Type.Literal('project')]),
  ),
});
export const Health = Type.Enum(['ok', 'failing', 'needs_attention', 'needs_reconnect', 'disabled']);

export const EndpointView = Type.Object({
  host: Type.String(),
  port: Type.Integer(),
  security: Security,
  pinnedCertSha256: Type.Union([Type.String(), Type.Null()]),
});

export const EmailAddress = Type.Object(
  {
    id: Uuid,
    scope: Type.Union([Type.Literal('company'), Type.Literal('employee')]),
    ownerEmployeeId: Type.Union([Uuid, Type.Null()]),
    email: Type.String(),
    emailAscii: Type.String(),
    displayName: Type.String(),
    replyTo: Type.Union([Type.String(), Type.Null()]),
    signatureHtml: Type.String(),
    signatureText: Type.String(),
    presetId: Type.Union([Type.String(), Type.Null()]),
    login: Type.String(),
    authType: Type.String(),
    passwordSet: Type.Boolean(),
    smtp: EndpointView,
    incoming: Type.Object({ ...EndpointView.properties, protocol: Protocol }),
    options: Type.Object({
      collectReplies: Type.Boolean(),
      leaveOnServer: Type.Boolean(),
      deleteAfterDays: Type.Union([Type.Integer(), Type.Null()]),
      createTasksFromNewMail: Type.Boolean(),
      newMailProjectId: Type.Union([Uuid, Type.Null()]),
      bccSelf: Type.Boolean(),
    }),
    projectIds: Type.Array(Uuid),
    access: Type.Object({ employeeIds: Type.Array(Uuid), groupIds: Type.Array(Uuid) }),
    active: Type.Boolean(),
    health: Health,
    healthDetail: Type.Union([HealthDetail, Type.Null()]),
    lastTestOkAt: Type.Union([Timestamp, Type.Null()]),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'EmailAddress' },
);

export type EmailAddressView = Static<typeof EmailAddress>;
export type EndpointView = Static<typeof EndpointView>;
export type AddressHealthStatus = Static<typeof Health>;
