import pino, { type Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { AppConfig } from './config/config.js';
import { createDeliveryContext } from './context-delivery.js';
import { createInboundContext } from './context-inbound.js';
import { createIngestContext, type IngestOverrides } from './context-ingest.js';
import { createMailboxContext, type MailboxOverrides } from './context-mailbox.js';
import { createOAuthContext } from './context-oauth.js';
import { createOutboxContext, type OutboxOverrides } from './context-outbox.js';
import { createTasksContext } from './context-tasks.js';
import type { DatabaseHandle, DbOrTx } from './db/database.js';
import { openDatabase, pingDatabase } from './db/open-database.js';
import { createOutboxWakeup } from './db/outbox-wakeup.js';
import { disableAddressesRestrictedTo } from './db/repositories/address-narrowing.query.js';
import { createAuditRepository } from './db/repositories/audit.repository.js';
import { createAuthRepository } from './db/repositories/auth.repository.js';
import { createContactRepository } from './db/repositories/contact.repository.js';
import { createEmailAddressRepository } from './db/repositories/email-address.repository.js';
import { createEmployeeRepository } from './db/repositories/employee.repository.js';
import { createGroupRepository } from './db/repositories/group.repository.js';
import { createNotificationRepository } from './db/repositories/notification.repository.js';
import { createProjectRepository } from './db/repositories/project.repository.js';
import { createRateLimitRepository } from './db/repositories/rate-limit.repository.js';
import { createWorkspaceRepository } from './db/repositories/workspace.repository.js';
import { defaultLogDestination, type LogDestination, loggerOptions } from './http/logger.js';
import { createMetricsRegistry } from './http/plugins/metrics.js';
import { commentRoutes } from './http/routes/comments.routes.js';
import { inboundRoutes } from './http/routes/inbound.routes.js';
import { ingestRoutes } from './http/routes/ingest.routes.js';
import { oauthRoutes } from './http/routes/oauth.routes.js';
import { taskRoutes } from './http/routes/tasks.routes.js';
import type { App } from './http/routes/types.js';
import type { SandboxMail } from './ports/sandbox-mail.js';
import type { RunInTransaction } from './ports/transaction.js';
import type { Keyring } from './security/keyring.js';
import { loadKeyring } from './security/load-keyring.js';
import { createSecretBox, type SecretBox } from './security/secret-box.js';
import { createAuditLogService } from './services/audit/audit-log.js';
import { createAuditRecorder } from './services/audit/audit-recorder.js';
import { createAuthService } from './services/auth/auth-service.js';
import { createContactService } from './services/contacts/contact-service.js';
import { createEmployeeService } from './services/employees/employee-service.js';
import { createGroupService } from './services/groups/group-service.js';
import { createHealthRecorder, type HealthRecorder } from './services/mailbox/address-health-recorder.js';
import { createRestrictionGuard } from './services/mailbox/restriction-guard.js';
import { createNotifier } from './services/notifications/notifier.js';
import { createProjectService } from './services/projects/project-service.js';
import { createRateLimiter } from './services/rate-limiter.js';
import { createWorkspaceSettingsService } from './services/workspace-settings.js';

export interface ContextOverrides {
  /** An already-open database (tests share a migrated template). */
  database?: DatabaseHandle;
  keyring?: Keyring;
  logDestination?: LogDestination;
  now?: () => Date;
  mailbox?: MailboxOverrides;
  /** OAuth (M47): a shorter pause between token-endpoint retries and lease polls (tests). */
  oauth?: { pauseMs?: number };
  /** The outbox worker (issue 9): shorter timings, a fake sender, a Copy in Sent. */
  outbox?: OutboxOverrides;
  /** Collecting mail: collectors and session length (tests). */
  ingest?: IngestOverrides;
  /** The built-in sandbox mail server, when `serve` runs it in this process (issue 12). */
  sandbox?: SandboxMail;
}

export { loadKeyring } from './security/load-keyring.js';

/** The only composition root: everything the processes need, built with plain calls. */
export async function createContext(config: AppConfig, overrides: ContextOverrides = {}) {
  // The key is read before the database opens: no key, no start (M52).
  const keyring = overrides.keyring ?? (await loadKeyring(config)).keyring;
  const database = overrides.database ?? (await openDatabase(config.database));
  const db = database.db;
  const logger: Logger = pino(
    loggerOptions(config.logLevel),
    (overrides.logDestination ?? defaultLogDestination(process.stdout)) as pino.DestinationStream,
  );
  const metrics: Registry = createMetricsRegistry();
  const secretBox: SecretBox = createSecretBox(keyring);
  const transaction: RunInTransaction = (fn) => db.transaction((tx) => fn(tx as DbOrTx));

  const repos = {
    workspaces: createWorkspaceRepository(db),
    employees: createEmployeeRepository(db, { pageCache: database.listPageCache ?? null }),
    groups: createGroupRepository(db),
    projects: createProjectRepository(db),
    contacts: createContactRepository(db),
    auth: createAuthRepository(db),
    audit: createAuditRepository(db),
    rateLimits: createRateLimitRepository(db),
    notifications: createNotificationRepository(db),
  };
  const notifier = createNotifier({ notifications: repos.notifications });
  const outboxWakeup = createOutboxWakeup(database.kind);
  const audit = createAuditRecorder({ audit: repos.audit });
  const rateLimiter = createRateLimiter({
    rateLimits: repos.rateLimits,
    ...(overrides.now ? { now: overrides.now } : {}),
  });
  const auth = createAuthService({
    auth: repos.auth,
    employees: repos.employees,
    workspaces: repos.workspaces,
    rateLimiter,
    sessionTtlHours: config.auth.sessionTtlHours,
    loginRateLimitPerMinute: config.auth.loginRateLimitPerMinute,
    authCachePollMs: config.auth.cachePollMs,
    ...(overrides.now ? { now: overrides.now } : {}),
  });
  const beforeRestrictionDeleted = createRestrictionGuard({
    disable: disableAddressesRestrictedTo,
    audit,
    ...(overrides.now ? { now: overrides.now } : {}),
  });
  const workspaceSettings = createWorkspaceSettingsService({
    workspaces: repos.workspaces,
    audit,
    transaction,
    ...(overrides.now ? { now: overrides.now } : {}),
  });
  const services = {
    auth,
    workspaceSettings,
    auditLog: createAuditLogService({ audit: repos.audit }),
    rateLimiter,
    employees: createEmployeeService({
      beforeRestrictionDeleted,
      employees: repos.employees,
      groups: repos.groups,
      audit,
      transaction,
      endSessionsOf: auth.endSessionsOf,
      authChanged: auth.authChanged,
      defaultLanguage: workspaceSettings.defaultLanguage,
    }),
    groups: createGroupService({
      groups: repos.groups,
      employees: repos.employees,
      audit,
      transaction,
      beforeRestrictionDeleted,
    }),
    projects: createProjectService({
      projects: repos.projects,
      audit,
      transaction,
      beforeRestrictionDeleted,
    }),
    contacts: createContactService({ contacts: repos.contacts, audit, transaction }),
  };

  // OAuth is wired before the mailbox services that test and save with it; the health
  // recorder it reports lost grants to is built right after them.
  let healthRecorder: HealthRecorder | null = null;
  const oauth = createOAuthContext(
    config,
    {
      db,
      secretBox,
      health: { record: (...args) => healthRecorder!.record(...args) },
      connect: {
        addresses: createEmailAddressRepository(db),
        workspaces: repos.workspaces,
        audit,
      },
      ...(overrides.now ? { now: overrides.now } : {}),
    },
    overrides.oauth ?? {},
  );

  const mailbox = createMailboxContext(
    config,
    {
      oauth: oauth.credentials,
      db,
      keyring,
      secretBox,
      audit,
      transaction,
      rateLimiter,
      repos,
      sandbox: overrides.sandbox ?? null,
      ...(overrides.now ? { now: overrides.now } : {}),
    },
    overrides.mailbox,
  );

  /** The one writer of address health (typed transitions, one notice per status change). */
  const health = createHealthRecorder({
    addresses: mailbox.addresses,
    employees: repos.employees,
    notifier,
    transaction,
  });

  healthRecorder = health;

  const outbox = createOutboxContext(
    config,
    {
      database,
      logger,
      secretBox,
      resolver: mailbox.resolver,
      trustedCa: mailbox.trustedCa,
      isSandboxWorkspace: mailbox.policy.isSandboxWorkspace,
      health,
      notifier,
      oauth: {
        accessTokenFor: (ws, addressId, options) => oauth.tokens.accessTokenFor(ws, addressId, options),
        async forget(ws, addressId) {
          const grant = await oauth.grants.findGrantOfAddress(ws, addressId);
          if (grant) await oauth.tokens.forget(ws, grant.id);
        },
      },
      ...(overrides.now ? { now: overrides.now } : {}),
    },
    {
      ...overrides.outbox,
      // Copy in Sent (M57): delivery's copier, built below; called only after an email is sent.
      sentCopier: overrides.outbox?.sentCopier ?? {
        append: (...args) => delivery.sentCopier.append(...args),
      },
    },
  );
  /** Tasks, comments and the outbox enqueue (issue 9). */
  const tasks = createTasksContext({
    db,
    transaction,
    outboxWakeup,
    addresses: mailbox.addresses,
    repos,
    // Loaded on first use: nodemailer's composer stays off the start-up path.
    compose: async (draft) => (await import('./mail/message/compose-outgoing.js')).composeOutgoing(draft),
    ...(overrides.now ? { now: overrides.now } : {}),
  });
  const delivery = createDeliveryContext({
    policy: mailbox.policy,
    addresses: mailbox.addresses,
    secretBox,
    audit,
    oauthToken: (ws, id, signal) => oauth.tokens.accessTokenFor(ws, id, { signal }),
    db,
    transaction,
    outboxWakeup,
    ...(overrides.now ? { now: overrides.now } : {}),
  });

  /** Collecting replies (issue 10 items 1–3): inbound store, sync state, poller, check now. */
  const ingest = createIngestContext(
    config,
    {
      db,
      secretBox,
      addresses: mailbox.addresses,
      workspaces: repos.workspaces,
      rateLimiter,
      health,
      oauth: oauth.tokens,
      onError: (err, context) => logger.warn({ err, ...context }, 'mail collection problem'),
      ...(overrides.now ? { now: overrides.now } : {}),
    },
    overrides.mailbox,
    overrides.ingest,
  );
  /** Reading stored mail into tasks (issue 10 items 4–6): the poller calls `inbound.processor.process`. */
  const inbound = createInboundContext({
    db,
    transaction,
    notifier,
    logger,
    requireTaskVisible: (actor, taskId) => tasks.tasks.get(actor, taskId),
    ...(overrides.now ? { now: overrides.now } : {}),
  });
  // Every stored row goes to reading's processor right after the store (and again if left over).
  ingest.attachProcessor(inbound.processor);

  let closing = false;
  return {
    config,
    database,
    db,
    keyring,
    secretBox,
    logger,
    logDestination: overrides.logDestination,
    metrics,
    repos,
    services,
    mailbox,
    notifier,
    /** Copy in Sent (M57) for the outbox worker: `sentCopier.append(ws, addressId, mime, signal)`. */
    sentCopier: delivery.sentCopier,
    health,
    /** OAuth mailboxes: `oauth.tokens.accessTokenFor(workspaceId, addressId, { signal })` for the outbox and poller. */
    oauth,
    outboxWakeup,
    /** The outbox worker: repository, sender per worker start, LISTEN wake-ups, `idle()` for tests. */
    outbox,
    tasks,
    inbound,
    /** Delivery log, retry / send again (issue 9 item 6). */
    delivery,
    ingest,
    audit,
    transaction,
    /** Later capabilities register their routes here (keeps app.ts stable). */
    extraRoutes: [
      (app: App) => oauthRoutes(app, oauth.connect!, { publicUrl: config.http.publicUrl }),
      (app: App) => taskRoutes(app, tasks.tasks),
      (app: App) => commentRoutes(app, tasks.comments),
      (app: App) => inboundRoutes(app, inbound.reading),
      delivery.routes,
      (app: App) => ingestRoutes(app, ingest.checkNow),
    ] as ((app: App) => void)[],
    ready: async () => {
      if (closing) return false;
      await pingDatabase(db);
      return true;
    },
    async close() {
      closing = true;
      await inbound.close();
      if (!overrides.database) await database.close();
    },
  };
}

export type AppContext = Awaited<ReturnType<typeof createContext>>;
