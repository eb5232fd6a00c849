import type { DbOrTx } from './db/database.js';
import { createDeliveryLogQuery } from './db/repositories/delivery-log.query.js';
import type { EmailAddressFull } from './db/repositories/email-address.repository.js';
import { messageRoutes } from './http/routes/messages.routes.js';
import type { App } from './http/routes/types.js';
import type { MailTargetResolver } from './ports/mail-target-resolver.js';
import type { OutboxWakeup } from './ports/outbox-wakeup.js';
import type { SentCopier } from './ports/sent-copy.js';
import type { RunInTransaction } from './ports/transaction.js';
import type { SecretBox } from './security/secret-box.js';
import type { AuditRecorder } from './services/audit/audit-recorder.js';
import { createDeliveryService } from './services/delivery/delivery-service.js';
import { createSentCopyTargets } from './services/delivery/sent-copy-target.js';
import type { IsSandboxWorkspace } from './services/mailbox/sandbox-workspaces.js';

/**
 * Wires the Delivery log (issue 9 item 6: the outbox's read side, retry and send again) and
 * Copy in Sent (item 4: `sentCopier`, which the outbox worker calls after an email is sent).
 */
export function createDeliveryContext(deps: {
  db: DbOrTx;
  transaction: RunInTransaction;
  outboxWakeup: OutboxWakeup;
  now?: () => Date;
  policy: {
    resolver: MailTargetResolver;
    trustedCa: readonly string[];
    isSandboxWorkspace?: IsSandboxWorkspace;
  };
  addresses: { findById(workspaceId: string, id: string): Promise<EmailAddressFull | null> };
  secretBox: SecretBox;
  audit?: Pick<AuditRecorder, 'record'>;
  oauthToken?: (
    workspaceId: string,
    addressId: string,
    signal: AbortSignal,
  ) => Promise<{ user: string; accessToken: string }>;
  /** Tests: a shorter whole-append deadline. */
  sentCopyTimeoutMs?: number;
}) {
  const log = createDeliveryLogQuery(deps.db);
  const service = createDeliveryService({
    log,
    transaction: deps.transaction,
    outboxWakeup: deps.outboxWakeup,
    ...(deps.audit ? { audit: deps.audit } : {}),
    ...(deps.now ? { now: deps.now } : {}),
  });
  const target = createSentCopyTargets({
    addresses: deps.addresses,
    secretBox: deps.secretBox,
    ...(deps.policy.isSandboxWorkspace ? { isSandboxWorkspace: deps.policy.isSandboxWorkspace } : {}),
    ...(deps.oauthToken ? { oauthToken: deps.oauthToken } : {}),
  });
  // imapflow loads on the first copy, like the probers (a web-only process never loads it).
  let copier: Promise<SentCopier> | null = null;
  const sentCopier: SentCopier = {
    append: async (...args) => {
      copier ??= import('./mail/imap/sent-copy.js').then((m) =>
        m.createImapSentCopier({
          resolver: deps.policy.resolver,
          trustedCa: deps.policy.trustedCa,
          target,
          ...(deps.sentCopyTimeoutMs ? { timeoutMs: deps.sentCopyTimeoutMs } : {}),
        }),
      );
      return (await copier).append(...args);
    },
  };
  return { log, service, sentCopier, routes: (app: App) => messageRoutes(app, service) };
}
