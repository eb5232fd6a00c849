import type { MailFailure } from '../mailbox/mail-failure.js';

/** States of an outgoing email (M32). */
export type OutgoingStatus = 'queued' | 'sending' | 'sent' | 'deferred' | 'failed' | 'uncertain' | 'bounced';

/** Why an email is not (yet) sent, beyond what the server said. */
export type OutgoingFailureReason =
  /** The server refused or the connection failed: see `failure` and `catalogueId`. */
  | 'smtp'
  /** No address applied to the author in the project (M25): saved, never sent. */
  | 'no_sender'
  /** The sender was deleted, disabled or paused after the email was queued. */
  | 'sender_unavailable'
  /** The connection broke after the message data was sent, before the reply (M32). */
  | 'connection_lost_after_data'
  /** Retries exhausted (M33: four days by default). */
  | 'gave_up'
  /** Bigger than the server's announced SIZE (SECURITY.md §7 case 27). */
  | 'too_large'
  /** A non-ASCII recipient address and a server without SMTPUTF8 (M9, case 23). */
  | 'smtputf8_required';

/**
 * What the outbox records about the last failed attempt (stored in `outgoing_messages.failure`
 * and per recipient). The UI explains it with the catalogue entry first and the server's reply
 * beside it (M43).
 */
export interface OutgoingFailureRecord {
  reason: OutgoingFailureReason;
  /** Normalised server/network failure (sanitised texts, never credentials). */
  failure?: MailFailure;
  /** The error-catalogue entry that explains it (M42). */
  catalogueId?: string;
  /** ISO time of the attempt. */
  at: string;
  /** Which attempt (1-based) failed. */
  attempt: number;
}
