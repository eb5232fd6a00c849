/**
 * Stage 2 of configuration: defaults and cross-checks. Returns one typed AppConfig or
 * throws ConfigError listing every problem at once (the process prints it and exits).
 */
import { resolve } from 'node:path';
import type { RawEnv } from './env.js';
import { envName } from './env.js';

export type DatabaseConfig =
  | { kind: 'pglite'; dataDir: string }
  | { kind: 'postgres'; url: string; poolSize: number };

export type KeySource =
  | { kind: 'env'; spec: string }
  | { kind: 'file'; path: string; createIfMissing: boolean };

export interface AppConfig {
  http: { host: string; port: number; publicUrl: string | null; trustProxy: boolean; secureCookies: boolean };
  dataDir: string;
  database: DatabaseConfig;
  keys: { source: KeySource; activeKeyId: string | null };
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  bootstrap: { adminEmail: string; workspaceName: string };
  mail: { allowedHosts: string; extraCaFile: string | null; ehloName: string | null };
  auth: { sessionTtlHours: number; loginRateLimitPerMinute: number; testRateLimitPerMinute: number };
  workspaceDefaults: { employeesManageOwnAddresses: boolean };
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

  const trustProxy = bool('trustProxy', false);
  const config: AppConfig = {
    http: { host, port, publicUrl, trustProxy, secureCookies: publicUrl?.startsWith('https:') ?? false },
    dataDir,
    database,
    keys: { source: keySource, activeKeyId: env.activeKeyId ?? null },
    logLevel,
    bootstrap: { adminEmail, workspaceName: env.workspaceName ?? 'My company' },
    mail: {
      allowedHosts: env.allowedMailHosts ?? '',
      extraCaFile: env.extraCaFile ? resolve(cwd, env.extraCaFile) : null,
      ehloName: env.ehloName ?? null,
    },
    auth: {
      sessionTtlHours: int('sessionTtlHours', 24 * 14, 1, 24 * 365),
      loginRateLimitPerMinute: int('loginRateLimit', 10, 1, 10_000),
      testRateLimitPerMinute: int('testRateLimit', 10, 1, 10_000),
    },
    workspaceDefaults: { employeesManageOwnAddresses: bool('employeesManageOwnAddresses', true) },
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
