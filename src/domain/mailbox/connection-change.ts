import type { IncomingProtocol, MailSecurity } from './connection.js';

/**
 * The one rule for "which changes need a new test, and which need the password again"
 * (M20, M21), used by the web form, the server's input merge and the test token
 * (issue 8 item 12). Both sides map their own shapes onto this one.
 */
export interface EndpointShape {
  host: string;
  port: number | '';
  security: MailSecurity;
  pinnedCertSha256: string | null;
}

export interface ConnectionShape {
  email: string;
  /** The login actually used (the typed one, or the address itself). */
  login: string;
  smtp: EndpointShape;
  incoming: EndpointShape & { protocol: IncomingProtocol };
}

/** Host names compare without case and without a trailing dot. */
export const normalHost = (host: string): string => host.trim().toLowerCase().replace(/\.$/, '');

const endpoint = (e: EndpointShape) => ({
  host: normalHost(e.host),
  port: e.port,
  security: e.security,
  pinnedCertSha256: e.pinnedCertSha256 ?? null,
});

/** The canonical fields a passing test vouches for (M20), in a fixed order. */
export function connectionIdentity(c: ConnectionShape) {
  return {
    email: c.email.trim().toLowerCase(),
    login: c.login.trim(),
    smtp: endpoint(c.smtp),
    incoming: { protocol: c.incoming.protocol, ...endpoint(c.incoming) },
  };
}

/**
 * M21: the stored password (or OAuth grant) only goes to the login, hosts, ports, security and
 * pinned certificates it was saved for, and only for the address (From) it was saved for: a
 * new pin could be an interceptor's certificate, and a new address would send as someone else
 * with the old mailbox's credentials (SECURITY.md §1.2 item 10, §3.3).
 */
export function endpointChanged(before: ConnectionShape, after: ConnectionShape): boolean {
  return JSON.stringify(connectionIdentity(before)) !== JSON.stringify(connectionIdentity(after));
}

/** M20: any vouched-for field changed (endpoints, pins, email, login): the last test no longer counts. */
export function connectionChanged(before: ConnectionShape, after: ConnectionShape): boolean {
  return JSON.stringify(connectionIdentity(before)) !== JSON.stringify(connectionIdentity(after));
}

export interface ConnectionChange {
  /** The stored password may not be sent to the new endpoint: it must be typed again. */
  needsPassword: boolean;
  /** Saving needs a passing "Test account" for these settings. */
  needsTest: boolean;
}

/**
 * What a change of a saved address (or a new one: `before` null) requires. A new password
 * or a new OAuth grant always needs a test; a changed endpoint needs the password again.
 */
export function connectionChange(
  before: ConnectionShape | null,
  after: ConnectionShape,
  credentials: { passwordChanged: boolean; newGrant?: boolean } = { passwordChanged: false },
): ConnectionChange {
  // A new address types its credentials anyway: nothing to type "again".
  if (!before) return { needsPassword: false, needsTest: true };
  const needsPassword = endpointChanged(before, after);
  return {
    needsPassword,
    needsTest:
      needsPassword ||
      connectionChanged(before, after) ||
      credentials.passwordChanged ||
      Boolean(credentials.newGrant),
  };
}
