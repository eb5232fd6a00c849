import type { MailProtocol } from '../domain/mailbox/connection.js';

/** A validated dial target: connect to `address`, verify TLS against `host` (M53). */
export interface ResolvedMailTarget {
  host: string;
  port: number;
  address: string;
  family: 4 | 6;
}

/**
 * Network policy port (SECURITY.md §1.2). Resolves once and refuses any non-public answer
 * unless the operator allow-listed it. Throws `MailTargetError` (mail/net) on refusal.
 */
export interface MailTargetResolver {
  resolve(host: string, port: number, protocol: MailProtocol): Promise<ResolvedMailTarget>;
}
