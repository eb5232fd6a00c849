/**
 * Connection settings of one mailbox, as data. Every mail adapter takes these on each
 * call (STYLE rule 4): nothing about a mailbox lives in a long-lived transport.
 */
export type MailSecurity = 'tls' | 'starttls' | 'none';
export type IncomingProtocol = 'pop3' | 'imap';
export type MailProtocol = 'smtp' | IncomingProtocol;

/** Credentials, already decrypted: only ever built inside a worker/test service right before AUTH. */
export type MailAuth =
  | { type: 'password'; user: string; pass: string }
  | { type: 'oauth2'; user: string; accessToken: string };

/**
 * A pinned certificate: its SHA-256 (what the user confirms) and the PEM it hashes to.
 * The PEM is trusted as the only extra anchor for this endpoint, so the handshake still
 * verifies signature, validity and host name; a different certificate fails (pin_mismatch).
 */
export interface PinnedCertificate {
  /** Lower-case hex SHA-256 of the DER certificate. */
  sha256: string;
  pem: string;
}

export interface ServerEndpoint {
  host: string;
  port: number;
  security: MailSecurity;
  /** The certificate the user chose to trust after a test showed it (M14, M54). */
  pinnedCert?: PinnedCertificate | null;
  /**
   * The mailbox belongs to the demo workspace (`workspaces.sandbox`): the built-in sandbox's
   * loopback ports are allowed for it, and for no other workspace (decision 0010).
   */
  sandbox?: boolean;
}

export interface SmtpSettings extends ServerEndpoint {
  auth: MailAuth;
  /** The mailbox address: used for `MAIL FROM`/`RCPT TO` in the probe. */
  address: string;
}

export interface IncomingSettings extends ServerEndpoint {
  protocol: IncomingProtocol;
  auth: MailAuth;
}

/** Default mail ports per protocol and security mode. */
export const DEFAULT_PORTS: Record<MailProtocol, Record<MailSecurity, number>> = {
  smtp: { tls: 465, starttls: 587, none: 25 },
  pop3: { tls: 995, starttls: 110, none: 110 },
  imap: { tls: 993, starttls: 143, none: 143 },
};
