import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildConfig } from '../config/config.js';
import { DataDirLockedError } from '../db/data-dir-lock.js';
import { SANDBOX_BOUNCING_CONTACT, SANDBOX_PERSONAS } from '../sandbox/sandbox-world.js';
import { openHolds } from './hold-event-loop.js';
import { serve } from './serve.js';

/**
 * The sandbox as `npm start` runs it (issue 12 item 1): `serve` on a fresh embedded database
 * seeds the demo workspace and prints its login beside the admin's; signed in with it, a
 * comment to the simulated client is sent through the sandbox, his reply lands in the task,
 * and a comment to the bouncing contact comes back explained.
 */
type Running = Awaited<ReturnType<typeof serve>>;
let dir: string;
let running: Running;
let url: string;
let printed = '';
/** Event-loop holds open when the URL line was printed (hold-event-loop.ts). */
let holdsAtUrlLine = -1;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mailroom-serve-sandbox-'));
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    printed += `${args.join(' ')}\n`;
    if (String(args[0]).includes('is running at')) holdsAtUrlLine = openHolds();
  });
  try {
    running = await serve(
      buildConfig({ dataDir: dir, port: '0', logLevel: 'silent', pollIntervalSeconds: '600' }),
      'all',
    );
  } finally {
    log.mockRestore();
  }
  const address = running.app!.server.address() as { port: number };
  url = `http://127.0.0.1:${address.port}`;
}, 240_000);

afterAll(async () => {
  await running?.stop('test');
  rmSync(dir, { recursive: true, force: true });
});

async function signIn(email: string, password: string) {
  const r = await fetch(`${url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  expect(r.status).toBe(200);
  const session = (await r.json()) as { csrfToken: string; workspace: { name: string; sandbox: boolean } };
  const cookie = r.headers.get('set-cookie')!.split(';')[0]!;
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: {
        cookie,
        'x-csrf-token': session.csrfToken,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return JSON.parse(text) as T;
  };
  const status = async (path: string) => (await fetch(`${url}${path}`, { headers: { cookie } })).status;
  /** The status and body of a call that may fail (`call` throws on any error). */
  const attempt = async (method: string, path: string, body: unknown) => {
    try {
      return { status: 200, body: await call<unknown>(method, path, body) };
    } catch (err) {
      const m = /: (\d{3}) (.*)$/s.exec((err as Error).message)!;
      return { status: Number(m[1]), body: JSON.parse(m[2]!) as unknown };
    }
  };
  return { session, call, status, attempt };
}

interface CommentView {
  id: string;
  author: { kind: string | null; name: string };
  source: string;
  kind: string;
  bodyText: string;
  emails: { id: string; status: string; failure: { title: string; cause: string } | null }[];
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('sandbox out of the box (serve on a fresh data dir)', { timeout: 180_000 }, () => {
  it('prints the demo login next to the admin login, in one framed block', () => {
    const admin = /^ {4}email: +(\S+)$/m.exec(printed);
    const demo = /^ {4}demo email: +(\S+)$/m.exec(printed);
    expect(admin?.[1]).toBe('admin@mailroom.local');
    expect(demo?.[1]).toBe('anna.nowak@firma-demo.test');
    expect(printed.indexOf('demo email')).toBeGreaterThan(printed.indexOf('  password:'));
    expect(printed).toMatch(/Piaskownica — e-maile nie opuszczają tego komputera/);
  });

  it('keeps the event loop held until the URL line, and lets go once the start is done or has failed', async () => {
    expect(holdsAtUrlLine).toBe(1);
    expect(openHolds()).toBe(0);
    // A start that fails (its data dir in use by another live process) releases its hold too.
    const locked = mkdtempSync(join(tmpdir(), 'mailroom-serve-locked-'));
    try {
      writeFileSync(join(locked, 'mailroom.lock'), `${process.ppid}\n`);
      await expect(
        serve(buildConfig({ dataDir: locked, port: '0', logLevel: 'silent' }), 'all'),
      ).rejects.toBeInstanceOf(DataDirLockedError);
      expect(openHolds()).toBe(0);
    } finally {
      rmSync(locked, { recursive: true, force: true });
    }
  });

  it('the real workspace is not a sandbox; the demo one is, with tested active sandbox addresses', async () => {
    const adminPassword = /^ {4}password: +(\S+)$/m.exec(printed)![1]!;
    const admin = await signIn('admin@mailroom.local', adminPassword);
    expect(admin.session.workspace.sandbox).toBe(false);
    const demo = await signIn('anna.nowak@firma-demo.test', /demo password: +(\S+)/.exec(printed)![1]!);
    expect(demo.session.workspace).toMatchObject({ name: 'Firma Demo (piaskownica)', sandbox: true });
    const company = await demo.call<{
      items: { email: string; presetId: string; active: boolean; health: string }[];
    }>('GET', '/api/company/email-addresses');
    expect(company.items).toEqual([
      expect.objectContaining({
        email: 'biuro@firma-demo.test',
        presetId: 'sandbox',
        active: true,
        incoming: expect.objectContaining({ protocol: 'imap', host: '127.0.0.1' }),
      }),
    ]);
  });

  it('writes to the simulated client from a task: sent, and his reply lands in the task', async () => {
    const demo = await signIn('anna.nowak@firma-demo.test', /demo password: +(\S+)/.exec(printed)![1]!);
    const tasks = await demo.call<{ items: { id: string; title: string }[] }>('GET', '/api/tasks');
    const task = tasks.items.find((t) => t.title === 'Harmonogram wdrożenia')!;
    const contacts = await demo.call<{ items: { id: string; emails: { email: string }[] }[] }>(
      'GET',
      '/api/contacts?limit=100',
    );
    const idOf = (email: string) => contacts.items.find((c) => c.emails.some((e) => e.email === email))!.id;
    const client = SANDBOX_PERSONAS.find((p) => p.behaviour === 'replies')!;

    await demo.call('POST', `/api/tasks/${task.id}/comments`, {
      body: 'Dzień dobry, przesyłam harmonogram wdrożenia.',
      notifyContactIds: [idOf(client.email)],
    });
    const list = () => demo.call<{ items: CommentView[] }>('GET', `/api/tasks/${task.id}/comments`);
    await waitFor('sent', async () =>
      (await list()).items.find((c) => c.emails.some((e) => e.status === 'sent')) ? true : undefined,
    );
    const reply = await waitFor('the reply in the task', async () =>
      (await list()).items.find((c) => c.author.kind === 'contact' && c.source === 'email'),
    );
    expect(reply.author.name).toBe('Jan Kowalski');
    expect(reply.bodyText).toContain('dziękuję za wiadomość');
    expect(reply.bodyText).not.toContain('> Dzień dobry, przesyłam');

    await demo.call('POST', `/api/tasks/${task.id}/comments`, {
      body: 'Do osoby, której adres nie istnieje.',
      notifyContactIds: [idOf(SANDBOX_BOUNCING_CONTACT.email)],
    });
    const bounced = await waitFor('the bounce explained', async () =>
      (await list()).items.flatMap((c) => c.emails).find((e) => e.status === 'bounced' && e.failure),
    );
    expect(bounced.failure!.title).not.toBe('');

    // Zofia's server puts the first try off (451): deferred, explained; "try now" sends it.
    const zofia = SANDBOX_PERSONAS.find((p) => p.behaviour === 'defers_once')!;
    await demo.call('POST', `/api/tasks/${task.id}/comments`, {
      body: 'Pani Zofio, proszę o termin.',
      notifyContactIds: [idOf(zofia.email)],
    });
    const emailTo = async (text: string) =>
      (await list()).items.find((c) => c.bodyText.includes(text))?.emails[0];
    const deferred = await waitFor('deferred', async () => {
      const e = await emailTo('proszę o termin');
      return e?.status === 'deferred' ? e : undefined;
    });
    expect(deferred.failure!.title).not.toBe('');
    await demo.call('POST', `/api/messages/${deferred.id}/retry`);
    await waitFor('sent after the retry', async () =>
      (await emailTo('proszę o termin'))?.status === 'sent' ? true : undefined,
    );
  });
});

interface PresetView {
  id: string;
  smtp: { host: string; port: number; security: string }[];
  pop3: { host: string; port: number; security: string } | null;
}
interface TestView {
  ok: boolean;
  testToken?: string;
  smtp: { ok: boolean; diagnosis: { title: string; id: string } | null };
}

describe('an address of your own in the sandbox (demo workspace only)', { timeout: 120_000 }, () => {
  const katarzyna = 'katarzyna.wojcik@firma-demo.test';
  const demoLogin = () => signIn('anna.nowak@firma-demo.test', /demo password: +(\S+)/.exec(printed)![1]!);

  it('the real workspace on the same server: no sandbox preset, firma-demo.test not recognised, no password', async () => {
    const admin = await signIn('admin@mailroom.local', /^ {4}password: +(\S+)$/m.exec(printed)![1]!);
    const presets = await admin.call<{ items: PresetView[] }>('GET', '/api/mail-presets');
    expect(presets.items.map((p) => p.id)).not.toContain('sandbox');
    expect(await admin.call('GET', `/api/mail-presets/detect?email=${katarzyna}`)).toEqual({
      presetId: null,
      via: 'none',
    });
    expect(await admin.status('/api/sandbox/newcomer')).toBe(404);
  });

  it('the real workspace typing 127.0.0.1 and a sandbox port is refused as for any loopback address', async () => {
    const admin = await signIn('admin@mailroom.local', /^ {4}password: +(\S+)$/m.exec(printed)![1]!);
    const sandbox = running.sandbox!;
    const intruder = 'tomasz.intruz@firma-demo.test';
    // Even the newcomer password (which this workspace never sees) opens nothing.
    const at = (smtpPort: number, pop3Port: number, security: string) =>
      admin.attempt('POST', '/api/email-addresses/test', {
        email: intruder,
        login: intruder,
        password: sandbox.store.newcomerPassword(),
        smtp: { host: '127.0.0.1', port: smtpPort, security },
        incoming: { protocol: 'pop3', host: '127.0.0.1', port: pop3Port, security },
        scope: 'company',
      });
    // As the sandbox's ports are (plain text): refused before any connection, as 127.0.0.1:25 is.
    const fields = (r: { status: number; body: unknown }) => [
      r.status,
      (r.body as { error?: { details?: { fields?: unknown } } }).error?.details?.fields,
    ];
    const plain = fields(await at(sandbox.smtpPort, sandbox.pop3Port, 'none'));
    expect(plain).toEqual(fields(await at(25, 110, 'none')));
    expect(JSON.stringify(plain)).toMatch(/^\[400,.*plaintext_not_allowed/);
    // With STARTTLS the probe runs and the network policy refuses the address, as it does 127.0.0.1:587.
    const entries = (r: { body: unknown }) => {
      const v = r.body as TestView & { incoming: TestView['smtp'] };
      return [v.ok, v.smtp.diagnosis?.id, v.incoming.diagnosis?.id];
    };
    const tls = await at(sandbox.smtpPort, sandbox.pop3Port, 'starttls');
    expect(entries(tls)).toEqual([false, 'server-address-not-allowed', 'server-address-not-allowed']);
    expect(entries(tls)).toEqual(entries(await at(587, 110, 'starttls')));
    expect(sandbox.store.hasAccount(intruder)).toBe(false);
  });

  it('the demo workspace: the preset fills the running ports; a wrong password fails explained, the shown one passes', async () => {
    const demo = await demoLogin();
    const sandbox = running.sandbox!;
    const presets = await demo.call<{ items: PresetView[] }>('GET', '/api/mail-presets');
    const preset = presets.items.find((p) => p.id === 'sandbox')!;
    expect(preset.smtp).toEqual([{ host: '127.0.0.1', port: sandbox.smtpPort, security: 'none' }]);
    expect(preset.pop3).toEqual({ host: '127.0.0.1', port: sandbox.pop3Port, security: 'none' });
    expect(await demo.call('GET', `/api/mail-presets/detect?email=${katarzyna}`)).toEqual({
      presetId: 'sandbox',
      via: 'domain',
    });
    const newcomer = await demo.call<{ domain: string; password: string }>('GET', '/api/sandbox/newcomer');
    expect(newcomer).toEqual({ domain: 'firma-demo.test', password: sandbox.store.newcomerPassword() });

    const employees = await demo.call<{ items: { id: string; email: string }[] }>('GET', '/api/employees');
    const owner = employees.items.find((e) => e.email === katarzyna)!;
    const input = (password: string) => ({
      email: katarzyna,
      presetId: 'sandbox',
      login: katarzyna,
      password,
      smtp: preset.smtp[0],
      incoming: { protocol: 'pop3', ...preset.pop3 },
      scope: 'employee',
      ownerEmployeeId: owner.id,
    });
    const wrong = await demo.call<TestView>('POST', '/api/email-addresses/test', input('zle-haslo'));
    expect(wrong.ok).toBe(false);
    expect(wrong.smtp.diagnosis?.title).toBeTruthy();
    expect(sandbox.store.hasAccount(katarzyna)).toBe(false);
    const right = await demo.call<TestView>('POST', '/api/email-addresses/test', input(newcomer.password));
    expect(right.ok).toBe(true);
    expect(sandbox.store.hasAccount(katarzyna)).toBe(true);
    const { scope: _s, ownerEmployeeId: _o, ...body } = input(newcomer.password);
    const saved = await demo.call<{ active: boolean; presetId: string }>(
      'POST',
      `/api/employees/${owner.id}/email-addresses`,
      { ...body, testToken: right.testToken },
    );
    expect(saved).toMatchObject({ active: true, presetId: 'sandbox' });
  });
});
