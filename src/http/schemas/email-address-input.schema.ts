import { type Static, Type } from 'typebox';
import { EmailString, Line, NameLine, Text, Uuid } from './common.js';
import { Protocol, Security } from './email-address.schema.js';

/**
 * Request bodies of the email address API (SPEC §9): create, PATCH and "Test account". The
 * web's `AddressInput` and `TestInput` are their `Static<>` (decision 0009).
 */
const Port = Type.Integer({ minimum: 1, maximum: 65535 });
const Host = Type.String({ minLength: 1, maxLength: 253, pattern: '^[^\\s\\u0000-\\u001f\\u007f/@]+$' });
const Sha256 = Type.String({ pattern: '^[0-9a-fA-F]{64}$' });
const PinnedCertInput = Type.Union([
  Type.Object({ sha256: Sha256, pem: Text(20_000) }, { additionalProperties: false }),
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
    testToken: Type.Optional(Line(300)),
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

export type AddressInput = Static<typeof AddressInputBody>;
export type TestInput = Static<typeof TestBody>;
