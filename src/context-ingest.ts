import type { AppConfig } from './config/config.js';
import {
  type MailboxOverrides,
  mailPolicyFromConfig,
  sandboxWorkspacesFromConfig,
} from './context-mailbox.js';
import type { DbOrTx } from './db/database.js';
import type { EmailAddressRepository } from './db/repositories/email-address.repository.js';
import { createInboundRepository } from './db/repositories/inbound.repository.js';
import { createMailboxSyncRepository } from './db/repositories/mailbox-sync.repository.js';
import type { WorkspaceRepository } from './db/repositories/workspace.repository.js';
import { createImapMailbox } from './mail/imap/imap-session.js';
import { createMailTargetResolver } from './mail/net/mail-target-policy.js';
import { createPop3Mailbox } from './mail/pop3/pop3-mailbox.js';
import type { InboundProcessor } from './ports/inbound-processor.js';
import type { SecretBox } from './security/secret-box.js';
import { createCheckNowService } from './services/inbound/collect-check-now.js';
import { createIdleWatchers } from './services/inbound/collect-idle.js';
import { imapCollector } from './services/inbound/collect-imap.js';
import { type MailboxCollector, pop3Collector } from './services/inbound/mailbox-collector.js';
import { createMailboxPoller } from './services/inbound/poll-mailboxes.js';
import type { HealthRecorder } from './services/mailbox/address-health-recorder.js';
import type { RateLimiter } from './services/rate-limiter.js';

export interface IngestOverrides {
  /** Collectors to use instead of the real POP3/IMAP ones (tests of the poller alone). */
  collectors?: { pop3?: MailboxCollector; imap?: MailboxCollector };
  sessionMs?: number;
}

/**
 * Collecting mail (issue 10 items 1–3): the inbound store, the per-address sync state, and the
 * poller the worker runs. Reading's processor is attached with `attachProcessor` where it exists.
 */
export function createIngestContext(
  config: AppConfig,
  deps: {
    db: DbOrTx;
    secretBox: SecretBox;
    addresses: Pick<EmailAddressRepository, 'findById'>;
    workspaces: Pick<WorkspaceRepository, 'findById'>;
    rateLimiter: Pick<RateLimiter, 'consume'>;
    health: Pick<HealthRecorder, 'record'>;
    oauth?: {
      accessTokenFor(
        ws: string,
        addressId: string,
        o: { signal?: AbortSignal },
      ): Promise<{ user: string; accessToken: string }>;
      /** The server refused a token we believed valid: drop it so the next call refreshes. */
      forgetAddress?(ws: string, addressId: string): Promise<void>;
    };
    now?: () => Date;
    /** Where collection problems that are not the mailbox's fault are reported. */
    onError?: (err: unknown, context: Record<string, unknown>) => void;
  },
  mailboxOverrides: MailboxOverrides = {},
  overrides: IngestOverrides = {},
) {
  const policy = mailPolicyFromConfig(config);
  const resolver =
    mailboxOverrides.resolver ??
    createMailTargetResolver({ allowList: policy.allowList, sandboxAllowList: policy.sandboxAllowList });
  const trustedCa = mailboxOverrides.trustedCa ?? policy.trustedCa;
  const inbound = createInboundRepository(deps.db);
  const sync = createMailboxSyncRepository(deps.db);
  const now = deps.now ?? (() => new Date());
  let processor: InboundProcessor | null = null;
  const pop3 = createPop3Mailbox({ resolver, trustedCa });
  const imap = createImapMailbox({ resolver, trustedCa });
  const poller = createMailboxPoller({
    sync,
    inbound,
    addresses: deps.addresses,
    secretBox: deps.secretBox,
    ...(deps.oauth ? { oauth: deps.oauth } : {}),
    isSandboxWorkspace: sandboxWorkspacesFromConfig(config, deps.workspaces),
    collectors: {
      pop3: overrides.collectors?.pop3 ?? pop3Collector(pop3, inbound, now),
      imap: overrides.collectors?.imap ?? imapCollector(imap, inbound, now),
    },
    health: deps.health,
    processor: () => processor,
    intervalMs: config.inbound.pollIntervalMs,
    ...(deps.onError ? { onError: deps.onError } : {}),
    ...(overrides.sessionMs ? { sessionMs: overrides.sessionMs } : {}),
    now,
  });
  const idle = createIdleWatchers({
    sync,
    addresses: deps.addresses,
    poller,
    imap,
    maxConnections: config.inbound.idleMaxConnections,
    now,
    ...(deps.onError ? { onError: deps.onError } : {}),
  });
  const checkNow = createCheckNowService({
    addresses: deps.addresses,
    workspaces: deps.workspaces,
    sync,
    poller,
    rateLimiter: deps.rateLimiter,
    now,
  });
  return {
    inbound,
    checkNow,
    idle,
    sync,
    poller,
    resolver,
    trustedCa,
    imap,
    /** Attaches reading's processor (stored rows are handed to it after each store). */
    attachProcessor(p: InboundProcessor | null) {
      processor = p;
    },
  };
}

export type IngestContext = ReturnType<typeof createIngestContext>;
