import type { MailAuth, MailSecurity, PinnedCertificate } from '../domain/mailbox/connection.js';
import type { MailFailure } from '../domain/mailbox/mail-failure.js';

/** Where and as whom one address sends (its SMTP settings, credentials already decrypted). */
export interface SenderEndpoint {
  host: string;
  port: number;
  security: MailSecurity;
  pinnedCert: PinnedCertificate | null;
  auth: MailAuth;
  /** The demo workspace's address: the sandbox's ports are allowed (decision 0010). */
  sandbox?: boolean;
}

/** What the server announced after EHLO that sending must respect. */
export interface SenderCapabilities {
  /** SIZE limit in bytes; null when not announced (0 = announced without a number). */
  size: number | null;
  smtpUtf8: boolean;
}

/** The SMTP envelope of one email: ASCII-domain addresses (punycode), BCC included. */
export interface SendEnvelope {
  from: string;
  to: string[];
  /** A non-ASCII local part somewhere: MAIL FROM needs SMTPUTF8. */
  smtpUtf8: boolean;
}

/** A recipient the server refused at RCPT TO (the message may still go to the others). */
export interface RejectedRecipient {
  address: string;
  failure: MailFailure;
}

/**
 * The outcome of one mail transaction. `phase` says whether the end of the message data (the
 * final dot) had been sent when it failed: before it, nothing was delivered and a retry is
 * safe; after it, the server may have accepted it (`uncertain`, never resent automatically).
 */
export type SendResult =
  | { ok: true; reply: string; queueId: string | null; rejected: RejectedRecipient[] }
  | {
      ok: false;
      phase: 'before_data_end' | 'after_data_end';
      failure: MailFailure;
      rejected: RejectedRecipient[];
      /** The connection cannot be used again (closed, timed out, out of sync). */
      broken: boolean;
    };

export interface SendHooks {
  /**
   * Awaited after the message body was written and before the final dot: the outbox records
   * `transmitting_at` durably here. If it throws, the dot is never sent.
   */
  beforeDataEnd(): Promise<void>;
}

/** One open, authenticated SMTP connection of an address; one transaction at a time. */
export interface SenderConnection {
  readonly capabilities: SenderCapabilities;
  /** False once the connection broke or was closed. */
  readonly usable: boolean;
  send(envelope: SendEnvelope, mime: Buffer, hooks: SendHooks, signal?: AbortSignal): Promise<SendResult>;
  /** QUIT (best effort) and close. */
  close(): Promise<void>;
}

export type OpenResult = { ok: true; connection: SenderConnection } | { ok: false; failure: MailFailure };

/** The sending adapter: opens policy-checked, TLS-verified, authenticated connections (M53–M54). */
export interface MailSender {
  open(endpoint: SenderEndpoint, options: { signal?: AbortSignal }): Promise<OpenResult>;
}
