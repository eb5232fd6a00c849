import { type Static, Type } from 'typebox';
import { Timestamp, Uuid } from './common.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

/** Collection status of one address (M36), as GET /api/email-addresses/:id/collection answers. */
export const MailboxCollection = Type.Object(
  {
    addressId: Uuid,
    /** Active and collecting replies. */
    collecting: Type.Boolean(),
    /** A poll is running right now (some worker holds the address). */
    checking: Type.Boolean(),
    nextPollAt: Nullable(Timestamp),
    lastSuccessAt: Nullable(Timestamp),
    failureStreak: Type.Integer({ minimum: 0 }),
    /** The last collection failure: kind and step only (the address health carries the explanation). */
    lastError: Nullable(
      Type.Object({
        kind: Type.String({ maxLength: 40 }),
        step: Nullable(Type.String({ maxLength: 40 })),
        at: Nullable(Timestamp),
      }),
    ),
  },
  { $id: 'MailboxCollection' },
);

export type MailboxCollectionView = Static<typeof MailboxCollection>;
