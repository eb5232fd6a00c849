import { type Static, Type } from 'typebox';
import { Timestamp, Uuid } from './common.js';
import { DirectionView } from './connection-test.schema.js';

export const TEST_EMAIL_STATUSES = [
  'sending',
  'waiting',
  'arrived',
  'failed',
  'not_arrived',
  'interrupted',
] as const;

/** One "send a test email" round trip (M23); the web's `TestEmail` is its `Static<>`. */
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const TestEmail = Type.Object(
  {
    id: Uuid,
    addressId: Uuid,
    status: Type.Enum(TEST_EMAIL_STATUSES),
    messageId: Type.String(),
    createdAt: Timestamp,
    sentAt: Nullable(Timestamp),
    arrivedAt: Nullable(Timestamp),
    finishedAt: Nullable(Timestamp),
    deadlineAt: Timestamp,
    /** Arrival checks made so far. */
    checks: Type.Integer(),
    /** From the server accepting the message to finding it in the mailbox. */
    arrivalMs: Nullable(Type.Integer()),
    send: Nullable(DirectionView),
    arrival: Nullable(DirectionView),
  },
  { $id: 'TestEmail' },
);

export type TestEmailView = Static<typeof TestEmail>;
export type TestEmailStatus = (typeof TEST_EMAIL_STATUSES)[number];
