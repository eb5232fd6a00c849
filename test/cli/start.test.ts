import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/** Runs the real CLI (from source via tsx) as a separate process, like `npm start` does. */
function startCli(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/cli.ts', ...args], {
    env: { PATH: process.env.PATH ?? '', MAILROOM_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  child.stderr!.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? -1)));
  // Generous: a cold tsx start on a busy 2-core machine can take most of a minute.
  const waitFor = async (pattern: RegExp, ms = 120_000) => {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      const m = out.match(pattern);
      if (m) return m;
      if (child.exitCode !== null) throw new Error(`process exited early:\n${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${pattern}:\n${out}`);
  };
  return { child, exited, waitFor, output: () => out };
}

const children: ChildProcess[] = [];
// The first test initialises this data dir; later ones reuse it (an existing dir starts fast).
let sharedDataDir = '';
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
});

describe('mailroom serve (process level)', { timeout: 180_000 }, () => {
  it('starts on a fresh data dir, prints URL and the first admin login once, refuses a second process, and stops gracefully', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mr-cli-'));
    sharedDataDir = dataDir;
    const env = { MAILROOM_DATA_DIR: dataDir, MAILROOM_PORT: '0' };
    const first = startCli(['serve'], env);
    children.push(first.child);
    const [, url] = (await first.waitFor(/mailroom is running at (http:\/\/\S+)/)) as RegExpMatchArray;
    const [, email] = (await first.waitFor(/ {2}email: +(\S+)/)) as RegExpMatchArray;
    const [, password] = (await first.waitFor(/ {2}password: +(\S+)/)) as RegExpMatchArray;
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    const login = await fetch(`${url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    expect(login.status).toBe(200);
    // Process metrics join the registry once the server listens (serve.ts, decision 0012).
    expect(await (await fetch(`${url}/metrics`)).text()).toMatch(
      /^mailroom_process_cpu_user_seconds_total /m,
    );
    // The key file was created with 0600 on first start.
    expect(readFileSync(join(dataDir, 'secret.key'), 'utf8')).toMatch(/^[a-z0-9][\w-]*:/m);

    const second = startCli(['serve'], env);
    children.push(second.child);
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(/in use by another mailroom process/);

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    // Restart on the same data dir: no new admin is printed.
    const again = startCli(['serve'], env);
    children.push(again.child);
    await again.waitFor(/mailroom is running at/);
    expect(again.output()).not.toMatch(/password:/);
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  });

  it('runs the worker role alone (no HTTP) and the web role alone, each stopping cleanly', async () => {
    const dataDir = sharedDataDir || mkdtempSync(join(tmpdir(), 'mr-cli-roles-'));
    const worker = startCli(['serve', '--role', 'worker'], {
      MAILROOM_DATA_DIR: dataDir,
      MAILROOM_PORT: '0',
    });
    children.push(worker.child);
    await worker.waitFor(/mailroom worker is running/);
    expect(worker.output()).not.toMatch(/running at http/);
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    const web = startCli(['serve', '--role', 'web'], { MAILROOM_DATA_DIR: dataDir, MAILROOM_PORT: '0' });
    children.push(web.child);
    const [, url] = (await web.waitFor(/mailroom is running at (http:\/\/\S+)/)) as RegExpMatchArray;
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    web.child.kill('SIGTERM');
    expect(await web.exited).toBe(0);
    const bad = startCli(['serve', '--role', 'everything'], { MAILROOM_DATA_DIR: dataDir });
    children.push(bad.child);
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toMatch(/--role must be all, web or worker/);
  });

  it('refuses to start when the key cannot be read (M52) and names the problem', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mr-cli-key-'));
    writeFileSync(join(dataDir, 'secret.key'), 'garbage-without-colon\n', { mode: 0o600 });
    const r = startCli(['serve'], { MAILROOM_DATA_DIR: dataDir, MAILROOM_PORT: '0' });
    children.push(r.child);
    expect(await r.exited).toBe(1);
    expect(r.output()).toMatch(/mailroom: Key file/);
    const bad = startCli(['serve'], {
      MAILROOM_DATA_DIR: dataDir,
      MAILROOM_PORT: '0',
      MAILROOM_SECRET_KEY: 'k1:c2hvcnQ=',
    });
    children.push(bad.child);
    expect(await bad.exited).toBe(1);
    expect(bad.output()).not.toMatch(/c2hvcnQ/);
  });

  it('refuses invalid configuration listing every problem', async () => {
    const r = startCli(['serve'], { MAILROOM_PORT: 'x', MAILROOM_LOG_LEVEL: 'loud' });
    children.push(r.child);
    expect(await r.exited).toBe(1);
    expect(r.output()).toMatch(/MAILROOM_PORT[\s\S]*MAILROOM_LOG_LEVEL/);
  });
});
