import { afterEach, describe, expect, it } from 'vitest';
import { testCaPem } from '../../../test/helpers/tls-fixtures.js';
import { createLoopbackResolver } from '../../../test/servers/loopback-resolver.js';
import { type Pop3FakeOptions, Pop3FakeServer } from '../../../test/servers/pop3-fake-server.js';
import type { IncomingSettings, MailSecurity } from '../../domain/mailbox/connection.js';
import type { ProbeResult } from '../../domain/mailbox/probe.js';
import type { MailTargetResolver } from '../../ports/mail-target-resolver.js';
import { targetRefused } from '../net/mail-target-error.js';
import { createPop3Prober } from './pop3-probe.js';
import type { Pop3Deps } from './pop3-session.js';

const servers: Pop3FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function fake(options: Pop3FakeOptions = {}): Promise<Pop3FakeServer> {
  const s = await Pop3FakeServer.start({ messages: [Buffer.from('Subject: s\r\n\r\nx\r\n')], ...options });
  servers.push(s);
  return s;
}

const PASSWORD = 'correct-horse-battery';
const settingsFor = (server: Pop3FakeServer, security: MailSecurity, pass = PASSWORD): IncomingSettings => ({
  protocol: 'pop3',
  host: 'localhost',
  port: server.port,
  security,
  auth: { type: 'password', user: 'user', pass },
});

function probe(
  server: Pop3FakeServer,
  security: MailSecurity,
  deps: Partial<Pop3Deps> = {},
  pass = PASSWORD,
) {
  const prober = createPop3Prober({
    resolver: createLoopbackResolver(),
    trustedCa: [testCaPem()],
    timeouts: { commandMs: 1_000, connectMs: 1_000 },
    ...deps,
  });
  return prober.probe(settingsFor(server, security, pass), { deadline: Date.now() + 5_000 });
}

const outline = (r: ProbeResult): string[] => r.steps.map((s) => `${s.id}:${s.outcome}`);
const OK_TAIL = ['auth:ok', 'stat:ok', 'uidl:ok', 'quit:ok'];

describe('createPop3Prober: success', () => {
  it('tls: resolve → connect → tls → greeting → capa → auth → stat → uidl → quit', async () => {
    const server = await fake({ implicitTls: true, pass: PASSWORD });
    const result = await probe(server, 'tls');
    expect(outline(result)).toEqual([
      'resolve:ok',
      'connect:ok',
      'tls:ok',
      'greeting:ok',
      'capa:ok',
      ...OK_TAIL,
    ]);
    expect(result).toMatchObject({ ok: true, protocol: 'pop3' });
    expect(result.certificate?.subject).toContain('CN=localhost');
    const byId = Object.fromEntries(result.steps.map((s) => [s.id, s]));
    expect(byId.resolve?.info).toEqual({ address: '127.0.0.1' });
    expect(byId.greeting?.reply).toBe('mailroom fake POP3 ready');
    expect(byId.auth?.info).toEqual({ mechanism: 'user' });
    expect(byId.stat?.info).toEqual({ messages: 1, octets: 17 });
    expect(byId.uidl?.info).toEqual({ entries: 1, valid: true });
    for (const s of result.steps) expect(s.durationMs).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(result)).not.toContain(PASSWORD);
  });

  it('starttls: greeting → capa → starttls → auth, and no credential in plaintext', async () => {
    const server = await fake({ pass: PASSWORD });
    const result = await probe(server, 'starttls');
    expect(outline(result)).toEqual([
      'resolve:ok',
      'connect:ok',
      'greeting:ok',
      'capa:ok',
      'starttls:ok',
      ...OK_TAIL,
    ]);
    expect(result.certificate).toBeDefined();
    expect(server.receivedInPlaintext().toString()).toBe('CAPA\r\nSTLS\r\n');
  });

  it('none: plaintext on request (the policy layer decides when that is allowed)', async () => {
    const server = await fake({ pass: PASSWORD });
    const result = await probe(server, 'none');
    expect(outline(result)).toEqual(['resolve:ok', 'connect:ok', 'greeting:ok', 'capa:ok', ...OK_TAIL]);
    expect(result.certificate).toBeUndefined();
  });

  it('reports invalid UIDs as a fact, not a failure (content-hash fallback exists)', async () => {
    const server = await fake({
      pass: PASSWORD,
      messages: [
        { raw: Buffer.from('a\r\n'), uid: 'dup' },
        { raw: Buffer.from('b\r\n'), uid: 'dup' },
      ],
    });
    const result = await probe(server, 'none');
    expect(result.ok).toBe(true);
    expect(result.steps.find((s) => s.id === 'uidl')?.info).toEqual({ entries: 2, valid: false });
  });
});

describe('createPop3Prober: failures', () => {
  const skipped = (r: ProbeResult): string[] =>
    r.steps.filter((s) => s.outcome === 'skipped').map((s) => s.id);

  it('resolve refused by policy → generic policy failure, nothing dialled', async () => {
    const server = await fake();
    const resolver: MailTargetResolver = {
      resolve: async (host) => {
        throw targetRefused('pop3', host, 'loopback');
      },
    };
    const result = await probe(server, 'tls', { resolver });
    expect(outline(result)[0]).toBe('resolve:failed');
    expect(skipped(result)).toEqual(['connect', 'tls', 'greeting', 'capa', 'auth', 'stat', 'uidl', 'quit']);
    expect(result.failure).toMatchObject({ kind: 'policy', protocol: 'pop3', step: 'resolve' });
    expect(server.connections).toHaveLength(0);
  });

  it('connection refused → connect failed', async () => {
    const server = await fake();
    const settings = settingsFor(server, 'tls');
    await server.close();
    servers.splice(servers.indexOf(server), 1);
    const result = await createPop3Prober({ resolver: createLoopbackResolver() }).probe(settings, {
      deadline: Date.now() + 3_000,
    });
    expect(outline(result).slice(0, 2)).toEqual(['resolve:ok', 'connect:failed']);
    expect(result.failure).toMatchObject({ kind: 'connect', code: 'ECONNREFUSED' });
  });

  it('untrusted certificate → tls failed, with the presented certificate to pin', async () => {
    const server = await fake({ implicitTls: true, certs: ['self-signed'] });
    const result = await probe(server, 'tls');
    expect(outline(result).slice(0, 3)).toEqual(['resolve:ok', 'connect:ok', 'tls:failed']);
    expect(result.failure).toMatchObject({
      kind: 'certificate',
      certificateProblem: 'self_signed',
      step: 'tls',
    });
    expect(result.certificate?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(result.failure?.certificate?.sha256).toBe(result.certificate?.sha256);
  });

  it('STLS missing in starttls mode → starttls failed, no credentials sent (case 31)', async () => {
    const server = await fake({ stls: 'absent' });
    const result = await probe(server, 'starttls');
    expect(outline(result)).toEqual([
      'resolve:ok',
      'connect:ok',
      'greeting:ok',
      'capa:ok',
      'starttls:failed',
      'auth:skipped',
      'stat:skipped',
      'uidl:skipped',
      'quit:skipped',
    ]);
    expect(result.failure?.kind).toBe('starttls_unavailable');
    expect(server.received().toString()).not.toMatch(/USER|PASS|AUTH/);
  });

  it("wrong password → auth failed with the server's sanitised reply, never the password", async () => {
    const server = await fake({
      pass: 'something-else',
      loginError: `[AUTH] Web login required <b>${PASSWORD}</b>\u0007`,
    });
    const plain = await probe(server, 'none');
    const auth = plain.steps.find((s) => s.id === 'auth');
    expect(auth).toMatchObject({ outcome: 'failed', reply: '-ERR [AUTH] Web login required <b>***</b>' });
    expect(plain.failure).toMatchObject({ kind: 'auth', code: 'AUTH' });
    expect(skipped(plain)).toEqual(['stat', 'uidl', 'quit']);
    expect(JSON.stringify(plain)).not.toContain(PASSWORD);
  });

  it('UIDL unsupported → uidl failed (kind unsupported)', async () => {
    const server = await fake({ pass: PASSWORD, noUidl: true });
    const result = await probe(server, 'none');
    expect(outline(result).slice(-3)).toEqual(['stat:ok', 'uidl:failed', 'quit:skipped']);
    expect(result.failure).toMatchObject({ kind: 'unsupported', step: 'uidl' });
  });

  it('no greeting → greeting timeout within the probe deadline', async () => {
    const server = await fake({ greeting: null });
    const started = Date.now();
    const result = await createPop3Prober({ resolver: createLoopbackResolver() }).probe(
      settingsFor(server, 'none'),
      {
        deadline: Date.now() + 600,
      },
    );
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(outline(result).slice(0, 3)).toEqual(['resolve:ok', 'connect:ok', 'greeting:failed']);
    expect(result.failure).toMatchObject({ kind: 'timeout', timeout: 'session' });
  });
});
