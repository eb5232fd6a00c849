import { Type } from 'typebox';
import { Timestamp, Uuid } from './common.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

/** The states of M32 (same list as OUTGOING_STATUSES in src/db/schema/outbox.ts; a test compares). */
export const OutgoingStatus = Type.Union([
  Type.Literal('queued'),
  Type.Literal('sending'),
  Type.Literal('sent'),
  Type.Literal('deferred'),
  Type.Literal('failed'),
  Type.Literal('uncertain'),
  Type.Literal('bounced'),
]);

/**
 * Why an email is not (yet) sent, explained (M43): the plain-language cause and what to do
 * first, the server's own reply beside them, and the Common causes entry (M44) when there is one.
 */
export const OutgoingFailure = Type.Object({
  reason: Type.String({ maxLength: 50 }),
  catalogueId: Nullable(Type.String({ maxLength: 100 })),
  title: Type.String({ maxLength: 300 }),
  cause: Type.String({ maxLength: 2000 }),
  fix: Type.String({ maxLength: 2000 }),
  serverReply: Nullable(Type.String({ maxLength: 1000 })),
  helpHref: Nullable(Type.String({ maxLength: 200 })),
});

/** The copy in the mailbox's Sent folder (M57): shown beside the email, never its state. */
export const SentCopy = Type.Object({
  status: Type.Union([
    Type.Literal('pending'),
    Type.Literal('done'),
    Type.Literal('failed'),
    Type.Literal('skipped'),
  ]),
  folder: Nullable(Type.String({ maxLength: 300 })),
  note: Nullable(Type.String({ maxLength: 1000 })),
});

/** One outgoing email, as both the task thread and the Delivery log show it (CONTRACTS.md). */
export const OutgoingMessage = Type.Object(
  {
    id: Uuid,
    status: OutgoingStatus,
    to: Type.Array(
      Type.Object({
        email: Type.String({ maxLength: 320 }),
        name: Type.String({ maxLength: 300 }),
        status: Type.Union([
          Type.Literal('pending'),
          Type.Literal('accepted'),
          Type.Literal('rejected'),
          Type.Literal('bounced'),
        ]),
      }),
      { maxItems: 1000 },
    ),
    sender: Type.Object({
      addressId: Nullable(Uuid),
      email: Type.String({ maxLength: 320 }),
      name: Type.String({ maxLength: 300 }),
    }),
    subject: Type.String({ maxLength: 1000 }),
    createdAt: Timestamp,
    sentAt: Nullable(Timestamp),
    acceptedReply: Nullable(Type.String({ maxLength: 1000 })),
    attempts: Type.Integer({ minimum: 0 }),
    nextAttemptAt: Nullable(Timestamp),
    failure: Nullable(OutgoingFailure),
    sentCopy: Nullable(SentCopy),
    resendOfId: Nullable(Uuid),
    /** Set once "send again" made a new email of this one (the UI then offers it no more). */
    resentAsId: Nullable(Uuid),
    taskId: Uuid,
    commentId: Uuid,
  },
  // No $id: the task thread and the log embed it inline, so nobody has to register it first.
);
