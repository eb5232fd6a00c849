import { readFileSync } from 'node:fs';
import type { AppConfig } from './config/config.js';
import { ConfigError } from './config/config.js';
import type { DbOrTx } from './db/database.js';
import { createEmailAddressRepository } from './db/repositories/email-address.repository.js';
import type { EmployeeRepository } from './db/repositories/employee.repository.js';
import type { GroupRepository } from './db/repositories/group.repository.js';
import type { ProjectRepository } from './db/repositories/project.repository.js';
import { CompanyCandidateCache, loadSenderContext } from './db/repositories/sender-context.query.js';
import { createTestEmailRepository } from './db/repositories/test-email.repository.js';
import type { WorkspaceRepository } from './db/repositories/workspace.repository.js';
import type { TestEmailTiming } from './domain/mailbox/test-email.js';
import { lazyProber } from './mail/lazy-probers.js';
import { allowsAddress, allowsHost, parseAllowList } from './mail/net/allow-list.js';
import { parseIpLiteral } from './mail/net/ip-address.js';
import { createMailTargetResolver } from './mail/net/mail-target-policy.js';
import { certificateSha256 } from './mail/net/tls-options.js';
import type { IncomingProber, SmtpProber } from './ports/mail-probes.js';
import type { MailTargetResolver } from './ports/mail-target-resolver.js';
import type { SandboxMail } from './ports/sandbox-mail.js';
import type { RunInTransaction } from './ports/transaction.js';
import type { Keyring } from './security/keyring.js';
import type { SecretBox } from './security/secret-box.js';
import { deriveKey } from './security/tokens.js';
import type { AuditRecorder } from './services/audit/audit-recorder.js';
import { createEmailAddressService } from './services/mailbox/email-address-service.js';
import {
  type IsSandboxWorkspace,
  noSandboxWorkspace,
  sandboxWorkspaceLookup,
} from './services/mailbox/sandbox-workspaces.js';
import { createTestEmailService } from './services/mailbox/send-test-email.js';
import { createSenderPreview } from './services/mailbox/sender-preview.js';
import { createConnectionTester } from './services/mailbox/test-connection.js';
import { createEmailAddressTester } from './services/mailbox/test-email-address.js';
import type { OAuthCredentials } from './services/oauth/oauth-credentials.js';
import { createPresetDetector, systemMxResolver } from './services/presets/detect-preset.js';
import { createWorkspacePresets } from './services/presets/workspace-presets.js';
import type { RateLimiter } from './services/rate-limiter.js';

export interface MailboxOverrides {
  resolver?: MailTargetResolver;
  trustedCa?: readonly string[];
  probers?: { smtp?: SmtpProber; pop3?: IncomingProber; imap?: IncomingProber };
  resolveMx?: (domain: string, signal?: AbortSignal) => Promise<string[]>;
  /** Shorter waits for the test email round trip (tests). */
  testEmailTiming?: TestEmailTiming;
}

/**
 * Reads the operator's mail settings; a bad allow-list or CA file stops the start. The sandbox's
 * entries (`sandboxHosts`) apply only where the caller says the connection is the demo
 * workspace's (`sandbox`): every other workspace sees the operator's list alone (decision 0010).
 */
export function mailPolicyFromConfig(config: AppConfig) {
  const allow = parseAllowList(config.mail.allowedHosts);
  const sandboxAllow = parseAllowList(config.mail.sandboxHosts ?? '');
  const problems = [
    ...allow.errors.map((e) => `MAILROOM_ALLOWED_MAIL_HOSTS: ${e}`),
    ...sandboxAllow.errors.map((e) => `sandbox ports: ${e}`),
  ];
  let trustedCa: string[] = [];
  if (config.mail.extraCaFile) {
    try {
      trustedCa = [readFileSync(config.mail.extraCaFile, 'utf8')];
    } catch {
      problems.push(`MAILROOM_EXTRA_CA_FILE: cannot read ${config.mail.extraCaFile}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const withSandbox = [...allow.entries, ...sandboxAllow.entries];
  const isPlaintextAllowed = (host: string, port: number, sandbox = false) => {
    const entries = sandbox ? withSandbox : allow.entries;
    const ip = parseIpLiteral(host);
    return ip ? allowsAddress(entries, ip, port) : allowsHost(entries, host, port);
  };
  return { allowList: allow.entries, sandboxAllowList: sandboxAllow.entries, trustedCa, isPlaintextAllowed };
}

/**
 * Which workspaces may dial the sandbox's ports: with the sandbox running, the one marked
 * `workspaces.sandbox`; without it, none, and nothing is asked of the database.
 */
export function sandboxWorkspacesFromConfig(
  config: AppConfig,
  workspaces: Pick<WorkspaceRepository, 'findById'>,
): IsSandboxWorkspace {
  return config.mail.sandboxHosts
    ? sandboxWorkspaceLookup((id) => workspaces.findById(id))
    : noSandboxWorkspace;
}

/** Wires the external-address capability: policy, probers, test gate, CRUD, senders, presets. */
export function createMailboxContext(
  config: AppConfig,
  deps: {
    db: DbOrTx;
    keyring: Keyring;
    secretBox: SecretBox;
    audit: AuditRecorder;
    transaction: RunInTransaction;
    rateLimiter: RateLimiter;
    repos: {
      employees: EmployeeRepository;
      projects: ProjectRepository;
      groups: GroupRepository;
      workspaces: WorkspaceRepository;
    };
    now?: () => Date;
    /** OAuth mailboxes (M47), when wired. */
    oauth?: OAuthCredentials;
    /** The sandbox mail server running in this process: its preset for the demo workspace. */
    sandbox?: SandboxMail | null;
  },
  overrides: MailboxOverrides = {},
) {
  const policy = mailPolicyFromConfig(config);
  const trustedCa = overrides.trustedCa ?? policy.trustedCa;
  const resolver =
    overrides.resolver ??
    createMailTargetResolver({ allowList: policy.allowList, sandboxAllowList: policy.sandboxAllowList });
  const probers = {
    smtp:
      overrides.probers?.smtp ??
      lazyProber(async () =>
        (await import('./mail/smtp/smtp-probe.js')).createSmtpProber({
          resolver,
          trustedCa,
          ...(config.mail.ehloName ? { clientName: config.mail.ehloName } : {}),
        }),
      ),
    pop3:
      overrides.probers?.pop3 ??
      lazyProber(async () =>
        (await import('./mail/pop3/pop3-probe.js')).createPop3Prober({ resolver, trustedCa }),
      ),
    imap:
      overrides.probers?.imap ??
      lazyProber(async () =>
        (await import('./mail/imap/imap-probe.js')).createImapProber({ resolver, trustedCa }),
      ),
  };
  const tester = createConnectionTester(probers);
  const isSandboxWorkspace = sandboxWorkspacesFromConfig(config, deps.repos.workspaces);
  const addresses = createEmailAddressRepository(deps.db);
  const companyCandidates = new CompanyCandidateCache();
  const testTokenKey = () => deriveKey(deps.keyring.keys.get(deps.keyring.activeKeyId)!, 'test-token');
  const sha = (pem: string) => {
    try {
      return certificateSha256(pem);
    } catch {
      return null;
    }
  };
  const now = deps.now ? { now: deps.now } : {};
  const oauth = deps.oauth ? { oauth: deps.oauth } : {};
  return {
    addresses,
    /** The network policy and trust list every mail connection goes through (the outbox reuses them). */
    resolver,
    trustedCa,
    tester,
    /** The network and TLS policy every mail connection dials through (Copy in Sent too). */
    policy: { resolver, trustedCa, isSandboxWorkspace },
    emailAddresses: createEmailAddressService({
      addresses,
      employees: deps.repos.employees,
      projects: deps.repos.projects,
      groups: deps.repos.groups,
      workspaces: deps.repos.workspaces,
      employeeIds: (ws, ids) => deps.repos.employees.existingIds(ws, ids),
      secretBox: deps.secretBox,
      testTokenKey,
      audit: deps.audit,
      transaction: deps.transaction,
      isPlaintextAllowed: policy.isPlaintextAllowed,
      certificateSha256: sha,
      ...oauth,
      ...now,
    }),
    addressTester: createEmailAddressTester({
      addresses,
      employees: deps.repos.employees,
      workspaces: deps.repos.workspaces,
      secretBox: deps.secretBox,
      tester,
      rateLimiter: deps.rateLimiter,
      perEmployeePerMinute: config.auth.testRateLimitPerMinute,
      perWorkspacePerHour: Math.max(60, config.auth.testRateLimitPerMinute * 6),
      testTokenKey,
      audit: deps.audit,
      isPlaintextAllowed: policy.isPlaintextAllowed,
      certificateSha256: sha,
      ...oauth,
      ...now,
    }),
    testEmails: createTestEmailService({
      addresses,
      testEmails: createTestEmailRepository(deps.db),
      workspaces: deps.repos.workspaces,
      secretBox: deps.secretBox,
      ...probers,
      isSandboxWorkspace,
      rateLimiter: deps.rateLimiter,
      perEmployeePerMinute: config.auth.testRateLimitPerMinute,
      ...oauth,
      audit: deps.audit,
      ...(overrides.testEmailTiming ? { timing: overrides.testEmailTiming } : {}),
      ...now,
    }),
    senders: createSenderPreview({
      loadContext: (ws, e, p) => loadSenderContext(deps.db, ws, e, p, companyCandidates),
      systemSender: null,
    }),
    /** Presets per workspace: the catalogue, and the sandbox's in the demo workspace (issue 12). */
    presets: createWorkspacePresets({
      detector: createPresetDetector({ resolveMx: overrides.resolveMx ?? systemMxResolver() }),
      workspaces: deps.repos.workspaces,
      sandbox: deps.sandbox ?? null,
    }),
  };
}
