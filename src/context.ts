import pino, { type Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { AppConfig } from './config/config.js';
import { createMailboxContext, type MailboxOverrides } from './context-mailbox.js';
import type { DatabaseHandle, DbOrTx } from './db/database.js';
import { openDatabase, pingDatabase } from './db/open-database.js';
import { createOutboxWakeup } from './db/outbox-wakeup.js';
import { disableAddressesRestrictedTo } from './db/repositories/address-narrowing.query.js';
import { createAuditRepository } from './db/repositories/audit.repository.js';
import { createAuthRepository } from './db/repositories/auth.repository.js';
import { createContactRepository } from './db/repositories/contact.repository.js';
import { createEmployeeRepository } from './db/repositories/employee.repository.js';
import { createGroupRepository } from './db/repositories/group.repository.js';
import { createNotificationRepository } from './db/repositories/notification.repository.js';
import { createProjectRepository } from './db/repositories/project.repository.js';
import { createRateLimitRepository } from './db/repositories/rate-limit.repository.js';
import { createWorkspaceRepository } from './db/repositories/workspace.repository.js';
import { type LogDestination, loggerOptions } from './http/logger.js';
import { createMetricsRegistry } from './http/plugins/metrics.js';
import type { App } from './http/routes/types.js';
import type { RunInTransaction } from './ports/transaction.js';
import type { Keyring } from './security/keyring.js';
import { loadOrCreateKeyFile, parseKeyring } from './security/keyring.js';
import { createSecretBox, type SecretBox } from './security/secret-box.js';
import { createAuditRecorder } from './services/audit/audit-recorder.js';
import { createAuthService } from './services/auth/auth-service.js';
import { createContactService } from './services/contacts/contact-service.js';
import { createEmployeeService } from './services/employees/employee-service.js';
import { createGroupService } from './services/groups/group-service.js';
import { createHealthRecorder } from './services/mailbox/address-health-recorder.js';
import { createRestrictionGuard } from './services/mailbox/restriction-guard.js';
import { createNotifier } from './services/notifications/notifier.js';
import { createProjectService } from './services/projects/project-service.js';
import { createRateLimiter } from './services/rate-limiter.js';

export interface ContextOverrides {
  /** An already-open database (tests share a migrated template). */
  database?: DatabaseHandle;
  keyring?: Keyring;
  logDestination?: LogDestination;
  now?: () => Date;
  mailbox?: MailboxOverrides;
}

/** Loads the keyring from the env value or the key file (created on first embedded start). */
export async function loadKeyring(
  config: AppConfig,
): Promise<{ keyring: Keyring; created: boolean; path: string | null }> {
  const src = config.keys.source;
  if (src.kind === 'env')
    return {
      keyring: parseKeyring(src.spec, config.keys.activeKeyId ?? undefined),
      created: false,
      path: null,
    };
  const r = await loadOrCreateKeyFile(src.path, {
    create: src.createIfMissing,
    ...(config.keys.activeKeyId ? { activeKeyId: config.keys.activeKeyId } : {}),
  });
  return { ...r, path: src.path };
}

/** The only composition root: everything the processes need, built with plain calls. */
export async function createContext(config: AppConfig, overrides: ContextOverrides = {}) {
  // The key is read before the database opens: no key, no start (M52).
  const keyring = overrides.keyring ?? (await loadKeyring(config)).keyring;
  const database = overrides.database ?? (await openDatabase(config.database));
  const db = database.db;
  const logger: Logger = pino(
    loggerOptions(config.logLevel),
    (overrides.logDestination ?? process.stdout) as pino.DestinationStream,
  );
  const metrics: Registry = createMetricsRegistry();
  const secretBox: SecretBox = createSecretBox(keyring);
  const transaction: RunInTransaction = (fn) => db.transaction((tx) => fn(tx as DbOrTx));

  const repos = {
    workspaces: createWorkspaceRepository(db),
    employees: createEmployeeRepository(db),
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
    ...(overrides.now ? { now: overrides.now } : {}),
  });
  const beforeRestrictionDeleted = createRestrictionGuard({
    disable: disableAddressesRestrictedTo,
    audit,
    ...(overrides.now ? { now: overrides.now } : {}),
  });
  const services = {
    auth,
    rateLimiter,
    employees: createEmployeeService({
      beforeRestrictionDeleted,
      employees: repos.employees,
      groups: repos.groups,
      audit,
      transaction,
      endSessionsOf: auth.endSessionsOf,
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

  const mailbox = createMailboxContext(
    config,
    {
      db,
      keyring,
      secretBox,
      audit,
      transaction,
      rateLimiter,
      repos,
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
    health,
    outboxWakeup,
    audit,
    transaction,
    /** Later capabilities register their routes here (keeps app.ts stable). */
    extraRoutes: [] as ((app: App) => void)[],
    ready: async () => {
      if (closing) return false;
      await pingDatabase(db);
      return true;
    },
    async close() {
      closing = true;
      if (!overrides.database) await database.close();
    },
  };
}

export type AppContext = Awaited<ReturnType<typeof createContext>>;
