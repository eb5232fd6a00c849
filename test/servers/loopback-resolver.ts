import type { MailProtocol } from '../../src/domain/mailbox/connection.js';
import type { MailTargetResolver, ResolvedMailTarget } from '../../src/ports/mail-target-resolver.js';

/**
 * Test resolver: every host resolves to 127.0.0.1 (where the fake servers listen), and
 * each call is recorded. Never use outside tests: it bypasses the network policy.
 */
export function createLoopbackResolver(): MailTargetResolver & {
  calls: Array<{ host: string; port: number; protocol: MailProtocol }>;
} {
  const calls: Array<{ host: string; port: number; protocol: MailProtocol }> = [];
  return {
    calls,
    async resolve(host: string, port: number, protocol: MailProtocol): Promise<ResolvedMailTarget> {
      calls.push({ host, port, protocol });
      return { host, port, address: '127.0.0.1', family: 4 };
    },
  };
}
