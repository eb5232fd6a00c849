import { type Static, Type } from 'typebox';
import { DiagnosisView } from './catalogue.schema.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

/** Steps as the UI sees them; `address_allowed` replaces the step the network policy refused. */
export const STEP_IDS = [
  'resolve',
  'address_allowed',
  'connect',
  'tls',
  'greeting',
  'starttls',
  'ehlo',
  'capa',
  'auth',
  'mail_from',
  'rcpt_to',
  'data',
  'quit',
  'stat',
  'uidl',
  'select',
  'find',
] as const;

/**
 * Facts a step learnt (resolved address, capabilities, message counts, TLS version…): flat,
 * values are scalars or lists of strings. Nested objects are not serialized.
 */
export const StepInfoView = Type.Record(
  Type.String({ maxLength: 64 }),
  Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null(), Type.Array(Type.String())]),
);

export const StepView = Type.Object({
  id: Type.Enum(STEP_IDS),
  outcome: Type.Union([Type.Literal('ok'), Type.Literal('failed'), Type.Literal('skipped')]),
  durationMs: Type.Number(),
  reply: Nullable(Type.String()),
  info: Nullable(StepInfoView),
  failure: Nullable(
    Type.Object({
      kind: Type.String(),
      code: Nullable(Type.String()),
      responseCode: Nullable(Type.Integer()),
      enhancedCode: Nullable(Type.String()),
      certificateProblem: Nullable(Type.String()),
    }),
  ),
  diagnosis: Nullable(DiagnosisView),
});

export const CertificateView = Type.Object({
  subject: Type.String(),
  issuer: Type.String(),
  validFrom: Type.String(),
  validTo: Type.String(),
  sha256: Type.String(),
  altNames: Type.Array(Type.String()),
  pem: Type.String(),
});

/** One direction (SMTP, or POP3/IMAP) of "Test account" or of a test email (M18, M19, M23). */
export const DirectionView = Type.Object({
  ok: Type.Boolean(),
  protocol: Type.Union([Type.Literal('smtp'), Type.Literal('pop3'), Type.Literal('imap')]),
  steps: Type.Array(StepView),
  certificate: Nullable(CertificateView),
  diagnosis: Nullable(DiagnosisView),
});

/** POST /api/email-addresses/test (M18–M22). */
export const ConnectionTestView = Type.Object({
  ok: Type.Boolean(),
  durationMs: Type.Integer(),
  smtp: DirectionView,
  incoming: DirectionView,
  testToken: Type.Optional(Type.String()),
});

export type StepId = (typeof STEP_IDS)[number];
export type StepInfo = Static<typeof StepInfoView>;
export type TestStep = Static<typeof StepView>;
export type StepFailure = NonNullable<TestStep['failure']>;
export type CertificateInfo = Static<typeof CertificateView>;
export type DirectionResult = Static<typeof DirectionView>;
export type TestResult = Static<typeof ConnectionTestView>;
