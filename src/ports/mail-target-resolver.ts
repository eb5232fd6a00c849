import type { MailProtocol } from '../domain/mailbox/connection.js';

/** A validated dial target: connect to `address`, verify TLS against `host` (M53). */
export interface ResolvedMailTarget {
  host: string;
  port: number;
  address: string;
  family: 4 | 6;
}

/** Who the connection is for: the sandbox's own entries apply to the demo workspace only. */
export interface MailTargetScope {
  sandbox?: boolean;
}

/**
 * Network policy port (SECURITY.md §1.2). Resolves once and refuses any non-public answer
 * unless the operator allow-listed it (or, for the demo workspace, the sandbox's ports).
 * Throws `MailTargetError` (mail/net) on refusal.
 */
export interface MailTargetResolver {
  resolve(
    host: string,
    port: number,
    protocol: MailProtocol,
    scope?: MailTargetScope,
  ): Promise<ResolvedMailTarget>;
}
