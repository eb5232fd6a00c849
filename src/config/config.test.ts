import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildConfig, ConfigError } from './config.js';
import { readEnv } from './env.js';

describe('configuration', () => {
  it('applies defaults for an empty environment (embedded database, key file created)', () => {
    const c = buildConfig({}, '/srv/mailroom');
    expect(c.database).toEqual({ kind: 'pglite', dataDir: '/srv/mailroom/data' });
    expect(c.keys.source).toEqual({
      kind: 'file',
      path: '/srv/mailroom/data/secret.key',
      createIfMissing: true,
    });
    expect(c.http).toMatchObject({ host: '127.0.0.1', port: 3000, secureCookies: false });
  });

  it('a worker metrics endpoint is off unless a port is given, and on loopback unless a host is', () => {
    expect(buildConfig({}).metrics).toEqual({ port: null, host: '127.0.0.1' });
    expect(buildConfig({ metricsPort: '9101' }).metrics).toEqual({ port: 9101, host: '127.0.0.1' });
    expect(buildConfig({ metricsPort: '0', metricsHost: '10.0.0.5' }).metrics).toEqual({
      port: 0,
      host: '10.0.0.5',
    });
    expect(() => buildConfig({ metricsPort: 'on' })).toThrow(/MAILROOM_METRICS_PORT/);
  });

  it('lists every problem at once', () => {
    let error: ConfigError | undefined;
    try {
      buildConfig({
        port: 'eighty',
        databaseUrl: 'mysql://x',
        logLevel: 'loud',
        publicUrl: 'ftp://x',
        trustProxy: 'maybe',
      });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.problems).toHaveLength(5);
    expect(error!.message).toContain('MAILROOM_PORT');
    expect(error!.message).toContain('DATABASE_URL');
    expect(error!.message).toContain('MAILROOM_LOG_LEVEL');
    expect(error!.message).toContain('MAILROOM_PUBLIC_URL');
    expect(error!.message).toContain('MAILROOM_TRUST_PROXY');
  });

  it('requires an explicit key with PostgreSQL (the key must not be created beside a shared database)', () => {
    expect(() => buildConfig({ databaseUrl: 'postgres://u:p@127.0.0.1/db' })).toThrow(/MAILROOM_SECRET_KEY/);
    const c = buildConfig({ databaseUrl: 'postgres://u:p@127.0.0.1/db', secretKey: 'k1:abc' });
    expect(c.database.kind).toBe('postgres');
    expect(c.keys.source).toEqual({ kind: 'env', spec: 'k1:abc' });
  });

  it('starts the sandbox mail server on the embedded database only (MAILROOM_SANDBOX)', () => {
    expect(buildConfig({}).sandbox.enabled).toBe(true);
    expect(buildConfig({ sandbox: 'off' }).sandbox.enabled).toBe(false);
    const pg = { databaseUrl: 'postgres://u:p@127.0.0.1/db', secretKey: 'k1:x' };
    expect(() => buildConfig(pg)).not.toThrow(/MAILROOM_SANDBOX/);
    expect(
      buildConfig({ ...pg, secretKey: `k1:${Buffer.alloc(32).toString('base64')}` }).sandbox.enabled,
    ).toBe(false);
    expect(() => buildConfig({ ...pg, sandbox: 'on' })).toThrow(
      /MAILROOM_SANDBOX works only on the embedded database/,
    );
  });

  it('uses Secure cookies and HSTS when the public URL is https', () => {
    expect(buildConfig({ publicUrl: 'https://mail.example.com/' }).http).toMatchObject({
      secureCookies: true,
      publicUrl: 'https://mail.example.com',
    });
  });

  it('reads a .env file, with the real environment winning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mr-env-'));
    writeFileSync(join(dir, '.env'), 'MAILROOM_PORT=4000\nMAILROOM_HOST=0.0.0.0\n');
    const env = readEnv({ MAILROOM_PORT: '5000' }, join(dir, '.env'));
    expect(env).toMatchObject({ port: '5000', host: '0.0.0.0' });
  });
});
