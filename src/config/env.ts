/**
 * Stage 1 of configuration: read raw environment values into typed optionals.
 * No defaults here (config.ts applies them); this is the only place that reads process.env.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

export interface RawEnv {
  host?: string;
  port?: string;
  publicUrl?: string;
  trustProxy?: string;
  dataDir?: string;
  databaseUrl?: string;
  dbPoolSize?: string;
  secretKey?: string;
  secretKeyFile?: string;
  activeKeyId?: string;
  logLevel?: string;
  adminEmail?: string;
  workspaceName?: string;
  allowedMailHosts?: string;
  extraCaFile?: string;
  sessionTtlHours?: string;
  loginRateLimit?: string;
  authCachePollMs?: string;
  testRateLimit?: string;
  ehloName?: string;
  employeesManageOwnAddresses?: string;
  oauthGoogleClientId?: string;
  oauthGoogleClientSecret?: string;
  oauthGoogleIssuer?: string;
  oauthGoogleMailHosts?: string;
  oauthMicrosoftClientId?: string;
  oauthMicrosoftClientSecret?: string;
  oauthMicrosoftTenant?: string;
  oauthMicrosoftIssuer?: string;
  oauthMicrosoftMailHosts?: string;
  outboxLeaseSeconds?: string;
  outboxGiveUpHours?: string;
  pollIntervalSeconds?: string;
  idleMaxConnections?: string;
  sandbox?: string;
  metricsPort?: string;
  metricsHost?: string;
}

const NAMES: Record<keyof RawEnv, string> = {
  host: 'MAILROOM_HOST',
  port: 'MAILROOM_PORT',
  publicUrl: 'MAILROOM_PUBLIC_URL',
  trustProxy: 'MAILROOM_TRUST_PROXY',
  dataDir: 'MAILROOM_DATA_DIR',
  databaseUrl: 'DATABASE_URL',
  dbPoolSize: 'MAILROOM_DB_POOL_SIZE',
  secretKey: 'MAILROOM_SECRET_KEY',
  secretKeyFile: 'MAILROOM_SECRET_KEY_FILE',
  activeKeyId: 'MAILROOM_ACTIVE_KEY_ID',
  logLevel: 'MAILROOM_LOG_LEVEL',
  adminEmail: 'MAILROOM_ADMIN_EMAIL',
  workspaceName: 'MAILROOM_WORKSPACE_NAME',
  allowedMailHosts: 'MAILROOM_ALLOWED_MAIL_HOSTS',
  extraCaFile: 'MAILROOM_EXTRA_CA_FILE',
  sessionTtlHours: 'MAILROOM_SESSION_TTL_HOURS',
  loginRateLimit: 'MAILROOM_LOGIN_RATE_LIMIT',
  authCachePollMs: 'MAILROOM_AUTH_CACHE_POLL_MS',
  testRateLimit: 'MAILROOM_TEST_RATE_LIMIT',
  ehloName: 'MAILROOM_EHLO_NAME',
  employeesManageOwnAddresses: 'MAILROOM_EMPLOYEES_MANAGE_OWN_ADDRESSES',
  oauthGoogleClientId: 'MAILROOM_OAUTH_GOOGLE_CLIENT_ID',
  oauthGoogleClientSecret: 'MAILROOM_OAUTH_GOOGLE_CLIENT_SECRET',
  oauthGoogleIssuer: 'MAILROOM_OAUTH_GOOGLE_ISSUER',
  oauthGoogleMailHosts: 'MAILROOM_OAUTH_GOOGLE_MAIL_HOSTS',
  oauthMicrosoftClientId: 'MAILROOM_OAUTH_MICROSOFT_CLIENT_ID',
  oauthMicrosoftClientSecret: 'MAILROOM_OAUTH_MICROSOFT_CLIENT_SECRET',
  oauthMicrosoftTenant: 'MAILROOM_OAUTH_MICROSOFT_TENANT',
  oauthMicrosoftIssuer: 'MAILROOM_OAUTH_MICROSOFT_ISSUER',
  oauthMicrosoftMailHosts: 'MAILROOM_OAUTH_MICROSOFT_MAIL_HOSTS',
  outboxLeaseSeconds: 'MAILROOM_OUTBOX_LEASE_SECONDS',
  outboxGiveUpHours: 'MAILROOM_OUTBOX_GIVE_UP_HOURS',
  pollIntervalSeconds: 'MAILROOM_POLL_INTERVAL_SECONDS',
  idleMaxConnections: 'MAILROOM_IDLE_MAX_CONNECTIONS',
  sandbox: 'MAILROOM_SANDBOX',
  metricsPort: 'MAILROOM_METRICS_PORT',
  metricsHost: 'MAILROOM_METRICS_HOST',
};

export const envName = (key: keyof RawEnv): string => NAMES[key];

/**
 * Reads `source` (default process.env), merged over an optional `.env` file in `cwd`
 * (real environment wins). Empty strings count as unset.
 */
export function readEnv(source: NodeJS.ProcessEnv = process.env, dotenvPath?: string): RawEnv {
  let fileVars: Record<string, string | undefined> = {};
  const path = dotenvPath ?? (source === process.env ? '.env' : undefined);
  if (path && existsSync(path)) fileVars = parseEnv(readFileSync(path, 'utf8'));
  const out: RawEnv = {};
  for (const [key, name] of Object.entries(NAMES) as [keyof RawEnv, string][]) {
    const value = source[name] ?? fileVars[name];
    if (value !== undefined && value.trim() !== '') out[key] = value.trim();
  }
  return out;
}
