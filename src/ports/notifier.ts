import type { DbOrTx } from '../db/database.js';

/** Kinds of in-app notices (M33, M38, M47, M50). */
export type NotificationKind =
  /** An email is still not sent an hour after it was written (M33). */
  | 'message_late'
  /** An email failed for good (5xx, gave up) or bounced (M39). */
  | 'message_failed'
  /** An address changed health: paused for a refused login, failing, needs reconnect, back to ok (M50). */
  | 'address_health'
  /** A contact replied in a task the employee follows (M38). */
  | 'reply_received';

export interface NotificationInput {
  workspaceId: string;
  employeeIds: readonly string[];
  kind: NotificationKind;
  /** Ids and short snapshots the UI needs (task id, address email, status…); never secrets. */
  payload: Record<string, unknown>;
  /** "Told once": a second notice with the same key for the same employee is dropped. */
  dedupeKey?: string;
}

/** Writes in-app notices; pass `tx` to make them part of the change they report. */
export interface Notifier {
  notify(input: NotificationInput, tx?: DbOrTx): Promise<void>;
}
