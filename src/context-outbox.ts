import type { Logger } from 'pino';
import type { AppConfig } from './config/config.js';
import type { DatabaseHandle } from './db/database.js';
import { OUTBOX_CHANNEL } from './db/outbox-wakeup.js';
import { createOutboxRepository } from './db/repositories/outbox.repository.js';
import { createSendRateRepository } from './db/repositories/send-rate.repository.js';
import type { MailSender } from './ports/mail-sender.js';
import type { MailTargetResolver } from './ports/mail-target-resolver.js';
import type { Notifier } from './ports/notifier.js';
import type { SentCopier } from './ports/sent-copy.js';
import type { SecretBox } from './security/secret-box.js';
import type { HealthRecorder } from './services/mailbox/address-health-recorder.js';
import type { IsSandboxWorkspace } from './services/mailbox/sandbox-workspaces.js';
import type { OutboxOAuth } from './services/outbox/outbox-endpoint.js';
import {
  createOutboxSender,
  type OutboxOptions,
  type OutboxSender,
} from './services/outbox/outbox-sender.js';

export interface OutboxOverrides {
  /** Shorter leases, schedules and sweeps (tests). */
  options?: Partial<OutboxOptions>;
  sender?: MailSender;
  sentCopier?: SentCopier;
  /** Safety-net poll of the outbox loop (default 5 s). */
  pollMs?: number;
}

/**
 * Wires the outbox worker (issue 9): the repository, the SMTP sending adapter (loaded on first
 * use, with the same network policy and trust list as the probes), and a fresh sender per
 * worker start (each with its own lease token).
 */
export function createOutboxContext(
  config: AppConfig,
  deps: {
    database: DatabaseHandle;
    logger: Logger;
    secretBox: SecretBox;
    resolver: MailTargetResolver;
    trustedCa: readonly string[];
    health: Pick<HealthRecorder, 'record'>;
    notifier: Notifier;
    oauth?: OutboxOAuth;
    /** The demo workspace's addresses may dial the sandbox (decision 0010). */
    isSandboxWorkspace?: IsSandboxWorkspace;
    /** Copy in Sent (CONTRACTS.md; the delivery capability passes its IMAP copier here). */
    sentCopier?: SentCopier;
    now?: () => Date;
  },
  overrides: OutboxOverrides = {},
) {
  const repo = createOutboxRepository(deps.database.db);
  const sendRate = createSendRateRepository(deps.database.db);
  const sender =
    overrides.sender ??
    lazySender(async () =>
      (await import('./mail/smtp/smtp-sender.js')).createSmtpSender({
        resolver: deps.resolver,
        trustedCa: deps.trustedCa,
        ...(config.mail.ehloName ? { clientName: config.mail.ehloName } : {}),
      }),
    );
  let current: OutboxSender | null = null;
  return {
    repo,
    pollMs: overrides.pollMs ?? 5_000,
    /** A new worker-side sender (called by each worker start); `clock`: its own time (tests). */
    createSender(options: Partial<OutboxOptions> = {}, clock?: () => Date): OutboxSender {
      current = createOutboxSender({
        outbox: repo,
        sendRate,
        secretBox: deps.secretBox,
        ...(deps.oauth ? { oauth: deps.oauth } : {}),
        ...(deps.isSandboxWorkspace ? { isSandboxWorkspace: deps.isSandboxWorkspace } : {}),
        sender,
        health: deps.health,
        notifier: deps.notifier,
        ...((overrides.sentCopier ?? deps.sentCopier)
          ? { sentCopier: (overrides.sentCopier ?? deps.sentCopier)! }
          : {}),
        ...((clock ?? deps.now) ? { now: (clock ?? deps.now)! } : {}),
        onError: (err, context) => deps.logger.error({ err, ...context }, 'outbox send failed unexpectedly'),
        onOutcome: (fields) => deps.logger.info(fields, 'outgoing email recorded'),
        options: {
          singleProcess: deps.database.kind === 'pglite',
          // PostgreSQL: several grouped writes in flight on the pool (decision 0017).
          writeConcurrency: deps.database.kind === 'pglite' ? 1 : 3,
          leaseMs: config.outbox.leaseMs,
          giveUpAfterMs: config.outbox.giveUpAfterMs,
          ...overrides.options,
          ...options,
        },
      });
      return current;
    },
    /** Resolves once the running worker has nothing in flight or due (tests). */
    idle: (timeoutMs?: number) => current?.idle(timeoutMs) ?? Promise.resolve(),
    /** Resolves once the running worker finished a pass begun after the call (tests). */
    nextPass: (timeoutMs?: number) => current?.nextPass(timeoutMs) ?? Promise.reject(new Error('no worker')),
    /** Cross-process wake-ups (PostgreSQL LISTEN); null on PGlite. */
    listen: deps.database.listen
      ? (onNotify: () => void) => deps.database.listen!(OUTBOX_CHANNEL, onNotify)
      : null,
  };
}

export type OutboxContext = ReturnType<typeof createOutboxContext>;

function lazySender(load: () => Promise<MailSender>): MailSender {
  let loaded: Promise<MailSender> | null = null;
  return {
    async open(endpoint, options) {
      loaded ??= load();
      return (await loaded).open(endpoint, options);
    },
  };
}
