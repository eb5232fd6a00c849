import type { IncomingSettings, SmtpSettings } from '../domain/mailbox/connection.js';
import type { ProbeResult } from '../domain/mailbox/probe.js';

export interface ProbeOptions {
  /** Absolute deadline (ms since epoch) for the whole probe. */
  deadline: number;
  signal?: AbortSignal;
}

/** SMTP port: verify settings without sending (M18); `send` arrives with the outbox issue. */
export interface SmtpProber {
  probe(settings: SmtpSettings, options: ProbeOptions): Promise<ProbeResult>;
}

/** POP3/IMAP probe port. */
export interface IncomingProber {
  probe(settings: IncomingSettings, options: ProbeOptions): Promise<ProbeResult>;
}
