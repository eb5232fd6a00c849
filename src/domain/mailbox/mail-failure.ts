import type { MailProtocol } from './connection.js';

/**
 * A normalised description of a mail-protocol failure. Adapters (SMTP, POP3, IMAP, network
 * policy) turn library errors into this shape; the error catalogue classifies it
 * (domain/catalogue). Texts in it come from remote servers: already sanitised.
 */
export type MailFailureKind =
  | 'policy' // target refused by our network policy (never says why in detail)
  | 'dns' // host not found / DNS failure
  | 'connect' // refused, unreachable, reset before greeting
  | 'timeout' // a deadline fired (see `timeout`)
  | 'tls' // TLS handshake failed (wrong version number, alert, …)
  | 'certificate' // certificate not trusted / expired / wrong name / pin changed
  | 'starttls_unavailable' // STARTTLS/STLS required but not offered or refused
  | 'auth' // server refused the credentials
  | 'reply' // server answered a command with an error reply
  | 'protocol' // server broke the protocol (garbage, bad framing, bad UIDL)
  | 'limit' // one of our caps was hit (line length, size, count)
  | 'closed' // server closed the connection unexpectedly
  | 'unsupported'; // a needed capability is missing (UIDL, AUTH method, …)

export type CertificateProblem =
  | 'self_signed'
  | 'untrusted_issuer'
  | 'expired'
  | 'not_yet_valid'
  | 'hostname_mismatch'
  | 'pin_mismatch'
  | 'other';

export interface CertificateInfo {
  subject: string;
  issuer: string;
  validFrom: string; // ISO 8601
  validTo: string; // ISO 8601
  /** Lower-case hex SHA-256 of the DER certificate, what a pin stores. */
  sha256: string;
  altNames: string[];
  /** PEM of the leaf certificate, so the user can pin exactly what they saw. */
  pem: string;
}

export interface MailFailure {
  kind: MailFailureKind;
  protocol: MailProtocol;
  /** The probe/command step where it happened, e.g. `connect`, `tls`, `auth`, `mail_from`. */
  step?: string;
  /** Library or system error code: `ECONNREFUSED`, `EAUTH`, `ERR_SSL_WRONG_VERSION_NUMBER`, … */
  code?: string;
  /** SMTP reply code (e.g. 535) when there was a reply. */
  responseCode?: number;
  /** RFC 3463 enhanced status code (e.g. `5.7.8`) when present. */
  enhancedCode?: string;
  /** The server's reply line(s), sanitised and length-capped. */
  response?: string;
  /** The host the user typed (for provider recognition). */
  host?: string;
  certificateProblem?: CertificateProblem;
  certificate?: CertificateInfo;
  timeout?: 'connect' | 'greeting' | 'command' | 'session';
  /** Free technical detail for logs (never a secret). */
  detail?: string;
}

const MAX_REPLY = 300;

/**
 * Server text is untrusted (SECURITY.md §3.3): strip control and bidi characters,
 * collapse whitespace, cap the length. Callers must also redact credentials they sent.
 */
export function sanitizeServerText(text: string, max = MAX_REPLY): string {
  const cleaned = text
    .replace(
      /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g,
      '',
    )
    .replace(/\s+/g, ' ')
    .trim();
  return cleaned.length > max ? `${cleaned.slice(0, max - 1)}…` : cleaned;
}

/** Removes every occurrence of each secret (and its base64 forms used by AUTH) from text. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    if (!s || s.length < 3) continue;
    for (const form of [s, Buffer.from(s).toString('base64')]) out = out.split(form).join('***');
  }
  return out;
}
