import type { IncomingSettings, SmtpSettings } from '../domain/mailbox/connection.js';
import type { ProbeResult } from '../domain/mailbox/probe.js';

export interface ProbeOptions {
  /** Absolute deadline (ms since epoch) for the whole probe. */
  deadline: number;
  signal?: AbortSignal;
}

/** What an incoming probe should look for after its usual steps (the M23 arrival check). */
export interface FindMessage {
  /** The Message-ID to look for, with angle brackets. */
  messageId: string;
  /** POP3 UIDs already looked at by an earlier check of the same round trip. */
  skipUids?: readonly string[];
}

/** The test email (M23): from the address to itself; the adapter composes it (MIME, CRLF). */
export interface OutgoingTestMessage {
  /** With angle brackets; how the arrival check finds it again. */
  messageId: string;
  fromName: string;
  subject: string;
  text: string;
  date: Date;
  /** Extra headers, e.g. the marker ingestion uses to ignore test emails. */
  headers: Record<string, string>;
}

/** SMTP port: verify settings without sending (M18), or send one test message to the address (M23). */
export interface SmtpProber {
  probe(settings: SmtpSettings, options: ProbeOptions): Promise<ProbeResult>;
  /** The probe's steps with a real `data` step instead of RSET; the reply says how the server queued it. */
  sendTest(settings: SmtpSettings, message: OutgoingTestMessage, options: ProbeOptions): Promise<ProbeResult>;
}

/** POP3/IMAP probe port; with `find`, a last `find` step reports `info.found` (M23). */
export interface IncomingProber {
  probe(settings: IncomingSettings, options: ProbeOptions & { find?: FindMessage }): Promise<ProbeResult>;
}
