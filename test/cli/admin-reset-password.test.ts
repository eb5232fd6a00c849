import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/** The real CLI (from source via tsx) as its own process. */
function run(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/cli.ts', ...args], {
    env: { PATH: process.env.PATH ?? '', MAILROOM_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
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
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

const login = (url: string, email: string, password: string) =>
  fetch(`${url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });

describe('mailroom admin reset-password (issue 8 item 2)', { timeout: 300_000 }, () => {
  it('prints the first login as a framed block, then a new password once, ending the old sessions', async () => {
    const env = { MAILROOM_DATA_DIR: mkdtempSync(join(tmpdir(), 'mr-cli-reset-')), MAILROOM_PORT: '0' };
    const first = run(['serve'], env);
    const [, url] = (await first.waitFor(/mailroom is running at (http:\/\/\S+)/)) as RegExpMatchArray;
    const [, email] = (await first.waitFor(/ {2}email: +(\S+)/)) as RegExpMatchArray;
    const [, oldPassword] = (await first.waitFor(/ {2}password: +(\S+)/)) as RegExpMatchArray;
    // The block stands alone: between two rules, and no JSON log line inside it.
    const [, block] = (await first.waitFor(/\n═{20,}\n([\s\S]*?)\n═{20,}\n/)) as RegExpMatchArray;
    expect(block).toMatch(/^ {2}First start: created workspace "Mailroom"/);
    expect(block).toMatch(/shown only once/);
    expect(block).not.toMatch(/"level"/);
    // stdout is a pipe here, so the log lines are JSON (a terminal gets readable lines).
    expect(first.output()).toMatch(/^\{"level":30,/m);

    const signedIn = await login(url!, email!, oldPassword!);
    expect(signedIn.status).toBe(200);
    const cookie = signedIn.headers.get('set-cookie')!.split(';')[0]!;
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const unknown = run(['admin', 'reset-password', '--email', 'nobody@example.com'], env);
    expect(await unknown.exited).toBe(1);
    expect(unknown.output()).toMatch(/no account has the email nobody@example.com/);

    const reset = run(['admin', 'reset-password', '--email', email!.toUpperCase()], env);
    expect(await reset.exited).toBe(0);
    const newPassword = reset.output().match(/ {2}password: +(\S+)/)?.[1];
    expect(newPassword).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(reset.output()).toMatch(/shown only once/);
    expect(reset.output()).toMatch(/\n═{20,}\n {2}New password for/);

    const again = run(['serve'], env);
    const [, url2] = (await again.waitFor(/mailroom is running at (http:\/\/\S+)/)) as RegExpMatchArray;
    expect(again.output()).not.toMatch(/password:/);
    // The session from before the reset has ended; the old password no longer works.
    expect((await fetch(`${url2}/api/session`, { headers: { cookie } })).status).toBe(401);
    expect((await login(url2!, email!, oldPassword!)).status).toBe(401);
    const fresh = await login(url2!, email!, newPassword!);
    expect(fresh.status).toBe(200);
    const cookie2 = fresh.headers.get('set-cookie')!.split(';')[0]!;
    const audit = await fetch(`${url2}/api/audit-log?action=employee.password_reset`, {
      headers: { cookie: cookie2 },
    });
    const entries = ((await audit.json()) as { items: { action: string }[] }).items;
    expect(entries.map((e) => e.action)).toContain('employee.password_reset');
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  });
});
