import type { CertificateInfo, MailFailure } from './mail-failure.js';

/** Steps of a connection probe, in the order they run (M18). */
export type ProbeStepId =
  | 'resolve'
  | 'connect'
  | 'tls'
  | 'greeting'
  | 'starttls'
  | 'ehlo'
  | 'capa'
  | 'auth'
  | 'mail_from'
  | 'rcpt_to'
  /** Sending a real message (the M23 test email): DATA and the server's queue reply. */
  | 'data'
  | 'quit'
  | 'stat'
  | 'uidl'
  | 'select'
  /** Looking for one message by its Message-ID (the M23 arrival check). */
  | 'find';

export interface ProbeStep {
  id: ProbeStepId;
  outcome: 'ok' | 'failed' | 'skipped';
  durationMs: number;
  /** Sanitised server reply for this step (never includes credentials). */
  reply?: string;
  /** Facts learnt: capabilities, message count, resolved address, UIDVALIDITY, … */
  info?: Record<string, unknown>;
  failure?: MailFailure;
}

export interface ProbeResult {
  ok: boolean;
  protocol: 'smtp' | 'pop3' | 'imap';
  steps: ProbeStep[];
  /** The certificate the server presented, when TLS got that far (for pinning, M54). */
  certificate?: CertificateInfo;
  /** The failure that ended the probe, if any. */
  failure?: MailFailure;
}
