import type { MailSecurity, PinnedCertificate } from '../../domain/mailbox/connection.js';
import type { BufferMeter } from './pop3-reader.js';

/**
 * Caps that bound what a hostile server can make us hold (SECURITY.md §4.2). Every
 * reply kind has its own cap, so a connection test holds at most a few KiB until the
 * listing (bounded by the message count) and a message (bounded by the message cap).
 */
export interface Pop3Limits {
  /** One status line (greeting, +OK/-ERR, SASL challenge, single LIST/UIDL reply), CRLF included. */
  maxReplyBytes: number;
  /** The whole CAPA reply: every capability line together. */
  maxCapaBytes: number;
  /** One LIST/UIDL listing line, CRLF included (RFC 1939 §3 allows 512 octets). */
  maxListingLineBytes: number;
  /** Most entries a LIST/UIDL listing may have; once STAT ran, also at most its message count. */
  maxListingEntries: number;
  /** A whole LIST/UIDL listing in bytes. */
  maxListingBytes: number;
  /** Largest message RETR/TOP will deliver; also checked against LIST before RETR. */
  maxMessageBytes: number;
}

/** Deadlines. The session deadline is wall-clock and also bounds slow-drip servers. */
export interface Pop3Timeouts {
  /** TCP connect plus TLS handshake. */
  connectMs: number;
  /** One command and its whole response (greeting included); while a RETR/TOP body
   *  streams, the longest time without any progress (paused back-pressure excluded). */
  commandMs: number;
  /** The whole session, from dial to close. */
  sessionMs: number;
}

export const DEFAULT_POP3_LIMITS: Pop3Limits = {
  maxReplyBytes: 4 * 1024,
  maxCapaBytes: 4 * 1024,
  maxListingLineBytes: 512,
  maxListingEntries: 100_000,
  // 100,000 UIDL lines of the longest valid form ("n" + 70-octet id) fit.
  maxListingBytes: 10 * 1024 * 1024,
  maxMessageBytes: 50 * 1024 * 1024,
};

export const DEFAULT_POP3_TIMEOUTS: Pop3Timeouts = {
  connectMs: 15_000,
  commandMs: 30_000,
  sessionMs: 5 * 60_000,
};

/** Where to dial: the client never resolves names (SECURITY.md §1.2 item 5). */
export interface Pop3Target {
  /** The host the user typed: used for SNI and certificate verification only. */
  host: string;
  /** The validated IP address to dial. */
  address: string;
  port: number;
}

/** Everything one POP3 connection needs. */
export interface Pop3ConnectOptions {
  target: Pop3Target;
  security: MailSecurity;
  pinnedCert?: PinnedCertificate | null;
  /** Extra trusted CA certificates (PEM): an operator's internal CA, or the test CA. */
  trustedCa?: readonly string[];
  limits?: Partial<Pop3Limits>;
  timeouts?: Partial<Pop3Timeouts>;
  /** Absolute session deadline (ms since epoch); the earlier of this and `sessionMs` wins. */
  deadline?: number;
  signal?: AbortSignal;
  /** Records the most reply bytes held at once (memory tests, diagnostics). */
  meter?: BufferMeter;
}
