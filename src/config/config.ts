/**
 * Stage 2 of configuration: defaults and cross-checks. Returns one typed AppConfig or
 * throws ConfigError listing every problem at once (the process prints it and exits).
 */
import { resolve } from 'node:path';
import { oauthMailHosts } from '../domain/presets/oauth-mail-hosts.js';
import type { OAuthProvider } from '../domain/presets/preset.types.js';
import type { RawEnv } from './env.js';
import { envName } from './env.js';

/** Reads the same in Polish and English; the UI invites the admin to set the real name. */
export const DEFAULT_WORKSPACE_NAME = 'Mailroom';

export type DatabaseConfig =
  | { kind: 'pglite'; dataDir: string }
  | { kind: 'postgres'; url: string; poolSize: number };

export type KeySource =
  | { kind: 'env'; spec: string }
  | { kind: 'file'; path: string; createIfMissing: boolean };

/** One OAuth client the operator registered (M47); `issuer` is discovered (/.well-known). */
export interface OAuthProviderConfig {
  clientId: string;
  clientSecret: string;
  issuer: string;
  /**
   * The only mail servers its tokens go to (host names, lower case): the provider's preset
   * hosts unless the operator lists others (a sovereign cloud; a test's loopback servers).
   */
  mailHosts: string[];
}

export interface OAuthConfig {
  google: OAuthProviderConfig | null;
  microsoft: OAuthProviderConfig | null;
}

export interface AppConfig {
  http: { host: string; port: number; publicUrl: string | null; trustProxy: boolean; secureCookies: boolean };
  dataDir: string;
  database: DatabaseConfig;
  keys: { source: KeySource; activeKeyId: string | null };
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  bootstrap: { adminEmail: string; workspaceName: string };
  mail: {
    allowedHosts: string;
    extraCaFile: string | null;
    ehloName: string | null;
    /** The built-in sandbox's ports, set by `serve` in memory (never from the environment): demo workspace only. */
    sandboxHosts?: string;
  };
  auth: {
    sessionTtlHours: number;
    loginRateLimitPerMinute: number;
    testRateLimitPerMinute: number;
    /** How soon another process's revocation reaches this one's authentication cache (decision 0012). */
    cachePollMs: number;
  };
  workspaceDefaults: { employeesManageOwnAddresses: boolean };
  oauth: OAuthConfig;
  /** Outbox worker (issue 9): claim lease and the retry window (M33: four days by default). */
  outbox: { leaseMs: number; giveUpAfterMs: number };
  /** Collecting replies (M36): poll interval and IMAP IDLE connections held per worker process. */
  inbound: { pollIntervalMs: number; idleMaxConnections: number };
  /** The built-in sandbox mail server on loopback (issue 12): embedded database only. */
  sandbox: { enabled: boolean };
  /**
   * A `--role worker` process's own metrics endpoint (it serves no other HTTP): off (null) by
   * default; bound to loopback unless a host is given.
   */
  metrics: { port: number | null; host: string };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function buildConfig(env: RawEnv, cwd = process.cwd()): AppConfig {
  const problems: string[] = [];
  const int = (key: keyof RawEnv, fallback: number, min: number, max: number): number => {
    const raw = env[key];
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${envName(key)} must be an integer from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return n;
  };
  const bool = (key: keyof RawEnv, fallback: boolean): boolean => {
    const raw = env[key]?.toLowerCase();
    if (raw === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
    if (['0', 'false', 'no', 'off'].includes(raw)) return false;
    problems.push(`${envName(key)} must be true or false (got "${env[key]}")`);
    return fallback;
  };

  const dataDir = resolve(cwd, env.dataDir ?? 'data');
  const port = int('port', 3000, 0, 65535);
  const host = env.host ?? '127.0.0.1';

  let publicUrl: string | null = null;
  if (env.publicUrl) {
    try {
      const u = new URL(env.publicUrl);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
      publicUrl = u.toString().replace(/\/$/, '');
    } catch {
      problems.push(`${envName('publicUrl')} must be an http(s) URL (got "${env.publicUrl}")`);
    }
  }

  let database: DatabaseConfig = { kind: 'pglite', dataDir };
  if (env.databaseUrl) {
    if (!/^postgres(ql)?:\/\//.test(env.databaseUrl)) {
      problems.push(`${envName('databaseUrl')} must start with postgres:// or postgresql://`);
    } else {
      database = { kind: 'postgres', url: env.databaseUrl, poolSize: int('dbPoolSize', 10, 1, 200) };
    }
  }

  if (env.secretKey && env.secretKeyFile) {
    problems.push(`set only one of ${envName('secretKey')} and ${envName('secretKeyFile')}`);
  }
  let keySource: KeySource;
  if (env.secretKey) keySource = { kind: 'env', spec: env.secretKey };
  else if (env.secretKeyFile)
    keySource = { kind: 'file', path: resolve(cwd, env.secretKeyFile), createIfMissing: false };
  else {
    // The key file is created on first start only for the embedded setup; with PostgreSQL
    // the database outlives this machine, so the operator must provide the key explicitly.
    if (database.kind === 'postgres') {
      problems.push(
        `${envName('secretKey')} or ${envName('secretKeyFile')} is required with ${envName('databaseUrl')} (the key must live outside the database; generate one with "mailroom keys generate")`,
      );
    }
    keySource = {
      kind: 'file',
      path: resolve(dataDir, 'secret.key'),
      createIfMissing: database.kind === 'pglite',
    };
  }

  const logLevel = (env.logLevel ?? 'info') as AppConfig['logLevel'];
  if (!LOG_LEVELS.includes(logLevel))
    problems.push(`${envName('logLevel')} must be one of ${LOG_LEVELS.join(', ')}`);

  const adminEmail = env.adminEmail ?? 'admin@mailroom.local';
  if (!/^[^\s@]+@[^\s@]+$/.test(adminEmail))
    problems.push(`${envName('adminEmail')} is not an email address`);

  const oauthClient = (
    id: keyof RawEnv,
    secret: keyof RawEnv,
    issuerKey: keyof RawEnv,
    defaultIssuer: string,
    hostsKey: keyof RawEnv,
    provider: OAuthProvider,
  ): OAuthProviderConfig | null => {
    const clientId = env[id];
    const clientSecret = env[secret];
    if (!clientId && !clientSecret) return null;
    if (!clientId || !clientSecret) {
      problems.push(`set both ${envName(id)} and ${envName(secret)} (or neither)`);
      return null;
    }
    const issuer = env[issuerKey] ?? defaultIssuer;
    try {
      const u = new URL(issuer);
      const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
      if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback)) throw new Error('protocol');
    } catch {
      problems.push(`${envName(issuerKey)} must be an https URL (http only on loopback) (got "${issuer}")`);
      return null;
    }
    const listed = (env[hostsKey] ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean);
    const mailHosts = listed.length > 0 ? listed : oauthMailHosts(provider);
    return { clientId, clientSecret, issuer: issuer.replace(/\/$/, ''), mailHosts };
  };
  const tenant = env.oauthMicrosoftTenant ?? 'organizations';
  if (!/^[A-Za-z0-9.-]{1,100}$/.test(tenant))
    problems.push(
      `${envName('oauthMicrosoftTenant')} must be a tenant id, domain, "common" or "organizations"`,
    );
  const oauth: OAuthConfig = {
    google: oauthClient(
      'oauthGoogleClientId',
      'oauthGoogleClientSecret',
      'oauthGoogleIssuer',
      'https://accounts.google.com',
      'oauthGoogleMailHosts',
      'google',
    ),
    microsoft: oauthClient(
      'oauthMicrosoftClientId',
      'oauthMicrosoftClientSecret',
      'oauthMicrosoftIssuer',
      `https://login.microsoftonline.com/${tenant}/v2.0`,
      'oauthMicrosoftMailHosts',
      'microsoft',
    ),
  };

  const trustProxy = bool('trustProxy', false);
  // On by default on the embedded database; never with PostgreSQL (a production setup).
  const sandbox = bool('sandbox', database.kind === 'pglite');
  if (sandbox && database.kind === 'postgres')
    problems.push(
      `${envName('sandbox')} works only on the embedded database (unset ${envName('databaseUrl')})`,
    );
  const config: AppConfig = {
    http: { host, port, publicUrl, trustProxy, secureCookies: publicUrl?.startsWith('https:') ?? false },
    dataDir,
    database,
    keys: { source: keySource, activeKeyId: env.activeKeyId ?? null },
    logLevel,
    bootstrap: { adminEmail, workspaceName: env.workspaceName ?? DEFAULT_WORKSPACE_NAME },
    mail: {
      allowedHosts: env.allowedMailHosts ?? '',
      extraCaFile: env.extraCaFile ? resolve(cwd, env.extraCaFile) : null,
      ehloName: env.ehloName ?? null,
    },
    auth: {
      sessionTtlHours: int('sessionTtlHours', 24 * 14, 1, 24 * 365),
      loginRateLimitPerMinute: int('loginRateLimit', 10, 1, 10_000),
      testRateLimitPerMinute: int('testRateLimit', 10, 1, 10_000),
      cachePollMs: int('authCachePollMs', 1_000, 50, 60_000),
    },
    workspaceDefaults: { employeesManageOwnAddresses: bool('employeesManageOwnAddresses', true) },
    oauth,
    outbox: {
      leaseMs: int('outboxLeaseSeconds', 300, 1, 3600) * 1000,
      giveUpAfterMs: int('outboxGiveUpHours', 96, 1, 24 * 30) * 3600_000,
    },
    inbound: {
      pollIntervalMs: int('pollIntervalSeconds', 120, 1, 24 * 3600) * 1000,
      idleMaxConnections: int('idleMaxConnections', 20, 0, 1000),
    },
    sandbox: { enabled: sandbox && database.kind === 'pglite' },
    metrics: {
      port: env.metricsPort === undefined ? null : int('metricsPort', 0, 0, 65535),
      host: env.metricsHost ?? '127.0.0.1',
    },
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
