import { afterEach, describe, expect, it } from 'vitest';
import { testCaPem } from '../../../test/helpers/tls-fixtures.js';
import { createLoopbackResolver } from '../../../test/servers/loopback-resolver.js';
import { type SmtpSink, type SmtpSinkOptions, startSmtpSink } from '../../../test/servers/smtp-sink.js';
import type { MailAuth, MailSecurity } from '../../domain/mailbox/connection.js';
import type { ProbeResult } from '../../domain/mailbox/probe.js';
import { targetRefused } from '../net/mail-target-error.js';
import { createSmtpProber, type SmtpProberDeps } from './smtp-probe.js';

const PASSWORD = 'Correct-Horse-42';
const ALICE: MailAuth = { type: 'password', user: 'alice', pass: PASSWORD };
const sinks: SmtpSink[] = [];

afterEach(async () => {
  await Promise.all(sinks.splice(0).map((s) => s.close()));
});

async function sink(opts: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const s = await startSmtpSink({
    users: [{ user: 'alice', password: PASSWORD, accessToken: 'tok-alice-1' }],
    ...opts,
  });
  sinks.push(s);
  return s;
}

function probe(
  port: number,
  security: MailSecurity,
  extra: { auth?: MailAuth; address?: string; deadlineMs?: number; deps?: Partial<SmtpProberDeps> } = {},
): Promise<ProbeResult> {
  const prober = createSmtpProber({
    resolver: createLoopbackResolver(),
    trustedCa: [testCaPem()],
    ...extra.deps,
  });
  return prober.probe(
    {
      host: 'localhost',
      port,
      security,
      address: extra.address ?? 'alice@example.test',
      auth: extra.auth ?? ALICE,
    },
    { deadline: Date.now() + (extra.deadlineMs ?? 5_000) },
  );
}

const outcomes = (r: ProbeResult) => Object.fromEntries(r.steps.map((s) => [s.id, s.outcome]));
const step = (r: ProbeResult, id: string) => r.steps.find((s) => s.id === id);

/** The password (and its base64 forms) must appear nowhere in what we return (SECURITY §8.1). */
function expectNoSecret(r: ProbeResult, secret = PASSWORD): void {
  const text = JSON.stringify(r);
  expect(text).not.toContain(secret);
  expect(text).not.toContain(Buffer.from(secret).toString('base64'));
  expect(text).not.toContain(Buffer.from(`\u0000alice\u0000${secret}`).toString('base64'));
}

describe('SMTP probe against a healthy sink', () => {
  it('passes every step over STARTTLS and reports capabilities and the certificate', async () => {
    const s = await sink({ mode: 'starttls', size: 10_485_760 });
    const r = await probe(s.port, 'starttls');
    expect(r.ok).toBe(true);
    expect(r.steps.map((x) => x.id)).toEqual([
      'resolve',
      'connect',
      'greeting',
      'starttls',
      'tls',
      'ehlo',
      'auth',
      'mail_from',
      'rcpt_to',
      'quit',
    ]);
    expect(r.steps.every((x) => x.outcome === 'ok')).toBe(true);
    expect(step(r, 'resolve')?.info).toMatchObject({ address: '127.0.0.1' });
    expect(step(r, 'starttls')?.info).toEqual({ advertised: true });
    expect(step(r, 'ehlo')?.info).toMatchObject({
      authMethods: ['PLAIN', 'LOGIN', 'XOAUTH2'],
      size: 10_485_760,
      smtpUtf8: true,
      pipelining: true,
      eightBitMime: true,
    });
    expect(step(r, 'auth')?.info).toEqual({ method: 'PLAIN' });
    expect(step(r, 'mail_from')?.reply).toMatch(/^250/);
    expect(step(r, 'quit')?.reply).toMatch(/^221/);
    expect(r.certificate?.subject).toContain('CN=localhost');
    expect(r.certificate?.sha256).toMatch(/^[0-9a-f]{64}$/);
    // Nothing is sent: no DATA, no message.
    expect(s.messages).toHaveLength(0);
    expect(s.transcript.some((l) => /^C: DATA/.test(l))).toBe(false);
    expect(s.authAttempts).toEqual([
      { method: 'PLAIN', username: 'alice', password: PASSWORD, accepted: true },
    ]);
    expectNoSecret(r);
  });

  it('passes over implicit TLS', async () => {
    const s = await sink({ mode: 'tls' });
    const r = await probe(s.port, 'tls');
    expect(r.ok).toBe(true);
    expect(r.steps.map((x) => x.id)).toEqual([
      'resolve',
      'connect',
      'tls',
      'greeting',
      'ehlo',
      'auth',
      'mail_from',
      'rcpt_to',
      'quit',
    ]);
    expect(step(r, 'tls')?.info).toMatchObject({ protocol: expect.stringMatching(/^TLSv1\.[23]$/) });
    expect(r.certificate?.subject).toContain('CN=localhost');
  });

  it('passes in plain mode (operator-enabled none) and uses LOGIN when PLAIN is not offered', async () => {
    const s = await sink({ mode: 'plain', authMethods: ['LOGIN'] });
    const r = await probe(s.port, 'none');
    expect(r.ok).toBe(true);
    expect(step(r, 'auth')?.info).toEqual({ method: 'LOGIN' });
    expect(r.certificate).toBeUndefined();
    expectNoSecret(r);
  });

  it('authenticates with XOAUTH2 for oauth2 credentials, and reports a bad token as auth 535', async () => {
    const s = await sink({ mode: 'tls' });
    const good = await probe(s.port, 'tls', {
      auth: { type: 'oauth2', user: 'alice', accessToken: 'tok-alice-1' },
    });
    expect(good.ok).toBe(true);
    expect(step(good, 'auth')?.info).toEqual({ method: 'XOAUTH2' });
    const bad = await probe(s.port, 'tls', {
      auth: { type: 'oauth2', user: 'alice', accessToken: 'tok-wrong-9' },
    });
    expect(bad.ok).toBe(false);
    expect(bad.failure).toMatchObject({ kind: 'auth', step: 'auth', responseCode: 535, code: 'EAUTH' });
    // The token went over the wire exactly once per attempt.
    expect(s.authAttempts.filter((a) => a.accessToken === 'tok-wrong-9')).toHaveLength(1);
    expectNoSecret(bad, 'tok-wrong-9');
  });

  it('reports the EHLO extensions when STARTTLS is not advertised but still works (never opportunistic)', async () => {
    const s = await sink({ mode: 'starttls', hideStartTls: true });
    const r = await probe(s.port, 'starttls');
    expect(r.ok).toBe(true);
    expect(step(r, 'starttls')?.info).toEqual({ advertised: false });
    expect(s.transcript).toContain('C: STARTTLS');
  });
});

describe('SMTP probe: server refusals (M19)', () => {
  it('wrong password: 535 5.7.8 with the gsmtp text, sanitised, no password anywhere', async () => {
    const s = await sink({
      mode: 'starttls',
      script: { auth: '535 5.7.8 Username and Password not accepted. gsmtp' },
    });
    const r = await probe(s.port, 'starttls', {
      auth: { type: 'password', user: 'alice', pass: 'Wrong-Pass-1' },
    });
    expect(r.ok).toBe(false);
    expect(r.failure).toMatchObject({
      kind: 'auth',
      protocol: 'smtp',
      step: 'auth',
      code: 'EAUTH',
      responseCode: 535,
      enhancedCode: '5.7.8',
      host: 'localhost',
      response: '535 5.7.8 Username and Password not accepted. gsmtp',
    });
    expect(outcomes(r)).toMatchObject({
      ehlo: 'ok',
      auth: 'failed',
      mail_from: 'skipped',
      rcpt_to: 'skipped',
      quit: 'skipped',
    });
    expect(step(r, 'auth')?.reply).toBe('535 5.7.8 Username and Password not accepted. gsmtp');
    expectNoSecret(r, 'Wrong-Pass-1');
  });

  it('a rejected password is reported as auth even without a scripted reply', async () => {
    const s = await sink({ mode: 'tls' });
    const r = await probe(s.port, 'tls', { auth: { type: 'password', user: 'alice', pass: 'nope-nope' } });
    expect(r.failure).toMatchObject({ kind: 'auth', responseCode: 535 });
  });

  it('app password required: 534 5.7.9', async () => {
    const s = await sink({
      mode: 'tls',
      script: { auth: '534 5.7.9 Application-specific password required. gsmtp' },
    });
    const r = await probe(s.port, 'tls');
    expect(r.failure).toMatchObject({ kind: 'auth', responseCode: 534, enhancedCode: '5.7.9' });
  });

  it('MAIL FROM refused: 553 5.7.1 sender not owned by user', async () => {
    const s = await sink({
      mode: 'starttls',
      script: {
        mailFrom: '553 5.7.1 <alice@example.test>: Sender address rejected: not owned by user alice',
      },
    });
    const r = await probe(s.port, 'starttls');
    expect(r.ok).toBe(false);
    expect(r.failure).toMatchObject({
      kind: 'reply',
      step: 'mail_from',
      responseCode: 553,
      enhancedCode: '5.7.1',
    });
    expect(r.failure?.response).toContain('not owned by user');
    expect(outcomes(r)).toMatchObject({
      auth: 'ok',
      mail_from: 'failed',
      rcpt_to: 'skipped',
      quit: 'skipped',
    });
  });

  it('RCPT TO greylisted: 451 4.7.1 (temporary)', async () => {
    const s = await sink({ mode: 'tls', script: { greylist: 1 } });
    const r = await probe(s.port, 'tls');
    expect(r.failure).toMatchObject({
      kind: 'reply',
      step: 'rcpt_to',
      responseCode: 451,
      enhancedCode: '4.7.1',
    });
  });

  it('server offers no AUTH → unsupported, nothing sent', async () => {
    const s = await sink({ mode: 'tls', disabledCommands: ['AUTH'] });
    const r = await probe(s.port, 'tls');
    expect(r.failure).toMatchObject({ kind: 'unsupported', step: 'auth' });
    expect(s.authAttempts).toHaveLength(0);
  });

  it('internationalised address: MAIL FROM with SMTPUTF8 when offered, unsupported when not (case 23)', async () => {
    const address = 'пользователь@example.test';
    const withUtf8 = await sink({ mode: 'tls' });
    const ok = await probe(withUtf8.port, 'tls', { address });
    expect(ok.ok).toBe(true);
    expect(withUtf8.transcript).toContain(`C: MAIL FROM:<${address}> SMTPUTF8`);
    const without = await sink({ mode: 'tls', hideSmtpUtf8: true });
    const r = await probe(without.port, 'tls', { address });
    expect(r.failure).toMatchObject({ kind: 'unsupported', step: 'mail_from', code: 'SMTPUTF8' });
    expect(without.transcript.some((l) => l.startsWith('C: MAIL'))).toBe(false);
  });

  it('an address with a space or CRLF never reaches the wire (M55 backstop)', async () => {
    const s = await sink({ mode: 'tls' });
    for (const address of ['bad address@example.test', 'a@example.test>\r\nRCPT TO:<x@evil.test']) {
      const r = await probe(s.port, 'tls', { address });
      expect(r.failure).toMatchObject({ step: 'mail_from', detail: 'Invalid mailbox address' });
    }
    expect(s.transcript.some((l) => l.startsWith('C: MAIL') || l.startsWith('C: RCPT'))).toBe(false);
  });
});

describe('SMTP probe: network and policy failures', () => {
  it('connection refused → connect failure, later steps skipped', async () => {
    const s = await sink({ mode: 'tls' });
    const port = s.port;
    await s.close();
    sinks.length = 0;
    const r = await probe(port, 'tls');
    expect(r.failure).toMatchObject({ kind: 'connect', step: 'connect', code: 'ECONNREFUSED' });
    expect(outcomes(r)).toMatchObject({ resolve: 'ok', connect: 'failed', tls: 'skipped', quit: 'skipped' });
  });

  it('a policy refusal from the resolver is reported as is, and nothing is dialled', async () => {
    const prober = createSmtpProber({
      resolver: {
        resolve: async (host) => {
          throw targetRefused('smtp', host, 'loopback');
        },
      },
    });
    const r = await prober.probe(
      { host: 'internal.example', port: 587, security: 'starttls', address: 'a@b.test', auth: ALICE },
      { deadline: Date.now() + 2_000 },
    );
    expect(r.failure).toMatchObject({ kind: 'policy', step: 'resolve', protocol: 'smtp' });
    expect(outcomes(r)).toMatchObject({ resolve: 'failed', connect: 'skipped' });
  });

  it('an aborted signal ends the probe as a session timeout', async () => {
    const s = await sink({ mode: 'tls' });
    const controller = new AbortController();
    controller.abort();
    const prober = createSmtpProber({ resolver: createLoopbackResolver(), trustedCa: [testCaPem()] });
    const r = await prober.probe(
      { host: 'localhost', port: s.port, security: 'tls', address: 'a@b.test', auth: ALICE },
      { deadline: Date.now() + 5_000, signal: controller.signal },
    );
    expect(r.ok).toBe(false);
    expect(r.failure).toMatchObject({ kind: 'timeout', timeout: 'session' });
  });
});
