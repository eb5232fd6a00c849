import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateKeyEntry } from '../../src/security/keyring.js';
import { throwawayPostgres } from '../helpers/throwaway-postgres.js';

/**
 * Decision 0011: a `--role worker` process loads no HTTP stack, so with MAILROOM_METRICS_PORT
 * it serves its metrics (the worker loops' counters, the process metrics) on an endpoint of its
 * own, on loopback. On PostgreSQL when DATABASE_URL is set, else on a fresh embedded data dir.
 */

const children: ChildProcess[] = [];
const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const c of cleanups.reverse()) await c();
});

async function databaseEnv(): Promise<Record<string, string>> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const dir = mkdtempSync(join(tmpdir(), 'mailroom-worker-metrics-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return { MAILROOM_DATA_DIR: dir, MAILROOM_SANDBOX: 'off' };
  }
  const db = await throwawayPostgres(url, 'mailroom_wm');
  cleanups.push(() => db.drop());
  return { DATABASE_URL: db.url };
}

function startWorker(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/cli.ts', 'serve', '--role', 'worker'], {
    env: {
      PATH: process.env.PATH ?? '',
      MAILROOM_LOG_LEVEL: 'warn',
      MAILROOM_SECRET_KEY: generateKeyEntry('wm1'),
      MAILROOM_ADMIN_EMAIL: 'admin@firma.example',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  return {
    output: () => out,
    async waitFor(pattern: RegExp, ms = 90_000) {
      const until = Date.now() + ms;
      for (;;) {
        const m = out.match(pattern);
        if (m) return m;
        if (child.exitCode !== null) throw new Error(`worker exited early:\n${out}`);
        if (Date.now() > until) throw new Error(`worker: no ${pattern} after ${ms} ms:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

describe('metrics of a --role worker process', () => {
  it('with MAILROOM_METRICS_PORT it serves /metrics on loopback: loop counters and process metrics; nothing else', {
    timeout: 180_000,
  }, async () => {
    const worker = startWorker({ ...(await databaseEnv()), MAILROOM_METRICS_PORT: '0' });
    const [, url] = await worker.waitFor(/metrics at (http:\/\/\S+\/metrics)/);
    expect(new URL(url!).hostname).toBe('127.0.0.1');

    // The loops pass as soon as the worker starts; wait for the outbox loop's first pass.
    let text = '';
    for (let i = 0; i < 200 && !/mailroom_worker_loop_passes_total\{[^}]*loop="outbox"/.test(text); i++) {
      const res = await fetch(url!);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain');
      text = await res.text();
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(text).toMatch(/mailroom_worker_loop_passes_total\{[^}]*loop="outbox"[^}]*\} [1-9]/);
    expect(text).toContain('mailroom_process_resident_memory_bytes');
    // No HTTP metrics (a worker serves no API) and no other path.
    expect(text).not.toContain('mailroom_http_requests_total{');
    expect((await fetch(url!.replace('/metrics', '/healthz'))).status).toBe(404);
    expect((await fetch(url!, { method: 'POST' })).status).toBe(404);
    await worker.stop();
  });

  it('without MAILROOM_METRICS_PORT a worker announces no metrics endpoint', {
    timeout: 180_000,
  }, async () => {
    const worker = startWorker(await databaseEnv());
    const [line] = await worker.waitFor(/mailroom worker is running[^\n]*/);
    expect(line).not.toContain('metrics at');
    await worker.stop();
  });
});
