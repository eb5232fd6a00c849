import { type Static, Type } from 'typebox';
import type { EmailAddressFull } from '../../db/repositories/email-address.repository.js';
import { parseEmailAddress } from '../../domain/email-address.js';
import type { AddressHealth } from '../../domain/mailbox/address-health.js';
import { decodeHealth } from '../../domain/mailbox/address-health-codec.js';
import { EmailString, Line, NameLine, Text, Uuid } from '../schemas/common.js';
import { EmailAddress, type HealthDetail, Protocol, Security } from '../schemas/email-address.schema.js';

export { EmailAddress };

const Port = Type.Integer({ minimum: 1, maximum: 65535 });
const Host = Type.String({ minLength: 1, maxLength: 253, pattern: '^[^\\s\\u0000-\\u001f\\u007f/@]+$' });
const Sha256 = Type.String({ pattern: '^[0-9a-fA-F]{64}$' });
const PinnedCertInput = Type.Union([
  Type.Object({ sha256: Sha256, pem: Type.String({ maxLength: 20_000 }) }, { additionalProperties: false }),
  Type.Null(),
]);
const endpointFields = {
  host: Type.Optional(Host),
  port: Type.Optional(Port),
  security: Type.Optional(Security),
  pinnedCert: Type.Optional(PinnedCertInput),
};
const SmtpInput = Type.Object(endpointFields, { additionalProperties: false });
const IncomingInput = Type.Object(
  { ...endpointFields, protocol: Type.Optional(Protocol) },
  { additionalProperties: false },
);

/** Body of create, PATCH and test: everything optional here, required-ness checked by the service with field paths. */
export const AddressInputBody = Type.Object(
  {
    email: Type.Optional(EmailString),
    displayName: Type.Optional(NameLine(200)),
    replyTo: Type.Optional(Type.Union([EmailString, Type.Null(), Type.Literal('')])),
    signatureHtml: Type.Optional(Text(50_000)),
    signatureText: Type.Optional(Text(10_000)),
    presetId: Type.Optional(Type.Union([Line(50), Type.Null()])),
    login: Type.Optional(Line(254)),
    // Any characters but CR/LF/NUL (M55); spaces and Unicode round-trip exactly.
    password: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, pattern: '^[^\\r\\n\\u0000]*$' })),
    smtp: Type.Optional(SmtpInput),
    incoming: Type.Optional(IncomingInput),
    options: Type.Optional(
      Type.Object(
        {
          collectReplies: Type.Optional(Type.Boolean()),
          leaveOnServer: Type.Optional(Type.Boolean()),
          deleteAfterDays: Type.Optional(
            Type.Union([Type.Integer({ minimum: 0, maximum: 3650 }), Type.Null()]),
          ),
          createTasksFromNewMail: Type.Optional(Type.Boolean()),
          newMailProjectId: Type.Optional(Type.Union([Uuid, Type.Null()])),
          bccSelf: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
    ),
    projectIds: Type.Optional(Type.Array(Uuid, { maxItems: 1000 })),
    access: Type.Optional(
      Type.Object(
        {
          employeeIds: Type.Optional(Type.Array(Uuid, { maxItems: 10_000 })),
          groupIds: Type.Optional(Type.Array(Uuid, { maxItems: 1000 })),
        },
        { additionalProperties: false },
      ),
    ),
    active: Type.Optional(Type.Boolean()),
    testToken: Type.Optional(Type.String({ maxLength: 300 })),
    oauthGrantId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);

export const TestBody = Type.Object(
  {
    ...AddressInputBody.properties,
    addressId: Type.Optional(Uuid),
    scope: Type.Optional(Type.Union([Type.Literal('company'), Type.Literal('employee')])),
    ownerEmployeeId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);

/**
 * What the lists and the status tooltip show about health (M50): flat facts, present only when
 * they say something. The stored state (AddressHealth) stays an internal shape.
 */
function presentHealthDetail(h: AddressHealth): Static<typeof HealthDetail> | null {
  const shown = h.status === 'disabled' ? h.previous : h;
  const problem = shown?.problem ?? null;
  const failures = h.status === 'disabled' ? 0 : Math.max(h.streak.send, h.streak.receive);
  const out: Static<typeof HealthDetail> = {
    ...(h.status !== 'ok' && h.since ? { since: h.since } : {}),
    ...(failures > 0 ? { failures } : {}),
    ...(problem
      ? {
          direction: problem.direction,
          reason: problem.summary,
          ...(problem.reply ? { reply: problem.reply } : {}),
          ...(problem.catalogueId ? { catalogueId: problem.catalogueId } : {}),
        }
      : {}),
    ...(h.status === 'disabled' && h.previous && h.previous.status !== 'ok'
      ? { previousStatus: h.previous.status }
      : {}),
    ...(h.restriction
      ? { code: h.restriction.code, removed: h.restriction.removed, removedKind: h.restriction.removedKind }
      : {}),
  };
  return Object.keys(out).length > 0 ? out : null;
}

/** Presenter: what an address looks like outside; the encrypted password never leaves (M51). */
export function presentAddress(r: EmailAddressFull) {
  const parsed = parseEmailAddress(r.email);
  return {
    id: r.id,
    scope: r.scope,
    ownerEmployeeId: r.ownerEmployeeId,
    email: r.email,
    emailAscii: parsed.ok ? parsed.ascii : r.email,
    displayName: r.displayName,
    replyTo: r.replyTo,
    signatureHtml: r.signatureHtml,
    signatureText: r.signatureText,
    presetId: r.presetId,
    login: r.login,
    authType: r.authType,
    passwordSet: r.passwordEnc !== null,
    smtp: {
      host: r.smtpHost,
      port: r.smtpPort,
      security: r.smtpSecurity,
      pinnedCertSha256: r.smtpPinnedCert?.sha256 ?? null,
    },
    incoming: {
      protocol: r.incomingProtocol,
      host: r.incomingHost,
      port: r.incomingPort,
      security: r.incomingSecurity,
      pinnedCertSha256: r.incomingPinnedCert?.sha256 ?? null,
    },
    options: {
      collectReplies: r.collectReplies,
      leaveOnServer: r.leaveOnServer,
      deleteAfterDays: r.deleteAfterDays,
      createTasksFromNewMail: r.createTasksFromNewMail,
      newMailProjectId: r.newMailProjectId,
      bccSelf: r.bccSelf,
    },
    projectIds: r.projectIds,
    access: { employeeIds: r.accessEmployeeIds, groupIds: r.accessGroupIds },
    active: r.active,
    health: r.health,
    healthDetail: presentHealthDetail(decodeHealth(r.health, r.healthDetail)),
    lastTestOkAt: r.lastTestOkAt ? r.lastTestOkAt.toISOString() : null,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}
