import type { MailSecurity, PinnedCertificate } from '../../domain/mailbox/connection.js';

/** Caps that bound what a hostile server can make us hold (SECURITY.md §4.2). */
export interface Pop3Limits {
  /** Longest status or listing line, CRLF included (RFC 1939 says 512; we allow more). */
  maxLineBytes: number;
  /** Largest message RETR/TOP will deliver; also checked against LIST before RETR. */
  maxMessageBytes: number;
  /** Most entries a LIST/UIDL listing (or CAPA) may have. */
  maxListingEntries: number;
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
  maxLineBytes: 8 * 1024,
  maxMessageBytes: 50 * 1024 * 1024,
  maxListingEntries: 100_000,
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
}
