import { afterEach, describe, expect, it } from 'vitest';
import { type FixtureCert, fixtureCert, testCaPem } from '../../../test/helpers/tls-fixtures.js';
import { createLoopbackResolver } from '../../../test/servers/loopback-resolver.js';
import { type SmtpSink, type SmtpSinkOptions, startSmtpSink } from '../../../test/servers/smtp-sink.js';
import type { MailSecurity, PinnedCertificate } from '../../domain/mailbox/connection.js';
import type { ProbeResult } from '../../domain/mailbox/probe.js';
import { certificateSha256 } from '../net/tls-options.js';
import { createSmtpProber } from './smtp-probe.js';

const PASSWORD = 'Tls-Secret-77';
const sinks: SmtpSink[] = [];

afterEach(async () => {
  await Promise.all(sinks.splice(0).map((s) => s.close()));
});

async function sink(opts: SmtpSinkOptions): Promise<SmtpSink> {
  const s = await startSmtpSink({ users: [{ user: 'alice', password: PASSWORD }], ...opts });
  sinks.push(s);
  return s;
}

function probe(
  port: number,
  security: MailSecurity,
  extra: { pinnedCert?: PinnedCertificate; trustCa?: boolean; greetingMs?: number } = {},
): Promise<ProbeResult> {
  const prober = createSmtpProber({
    resolver: createLoopbackResolver(),
    trustedCa: extra.trustCa === false ? [] : [testCaPem()],
    timeouts: { greetingMs: extra.greetingMs ?? 3_000 },
  });
  return prober.probe(
    {
      host: 'localhost',
      port,
      security,
      pinnedCert: extra.pinnedCert ?? null,
      address: 'alice@example.test',
      auth: { type: 'password', user: 'alice', pass: PASSWORD },
    },
    { deadline: Date.now() + 5_000 },
  );
}

const pinOf = (name: FixtureCert): PinnedCertificate => {
  const pem = fixtureCert(name).cert;
  return { pem, sha256: certificateSha256(pem) };
};
const outcome = (r: ProbeResult, id: string) => r.steps.find((s) => s.id === id)?.outcome;

describe('SMTP probe: TLS mode and port disagree (catalogue #29)', () => {
  it('SSL/TLS on a STARTTLS port → tls failure (wrong version number), no AUTH', async () => {
    const s = await sink({ mode: 'starttls' });
    const r = await probe(s.port, 'tls');
    expect(r.ok).toBe(false);
    expect(r.failure).toMatchObject({ kind: 'tls', step: 'tls', code: 'ERR_SSL_WRONG_VERSION_NUMBER' });
    expect(outcome(r, 'greeting')).toBe('skipped');
    expect(s.authAttempts).toHaveLength(0);
  });

  it('plaintext (STARTTLS mode) on an implicit-TLS port → greeting timeout', async () => {
    const s = await sink({ mode: 'tls' });
    const started = Date.now();
    const r = await probe(s.port, 'starttls', { greetingMs: 400 });
    expect(r.failure).toMatchObject({ kind: 'timeout', timeout: 'greeting', step: 'greeting' });
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(s.authAttempts).toHaveLength(0);
  });
});

describe('SMTP probe: certificate policy (M54, case 38)', () => {
  it('self-signed (implicit TLS) → certificate failure carrying the presented certificate', async () => {
    const s = await sink({ mode: 'tls', cert: 'self-signed' });
    const r = await probe(s.port, 'tls');
    expect(r.failure).toMatchObject({ kind: 'certificate', certificateProblem: 'self_signed', step: 'tls' });
    const expected = certificateSha256(fixtureCert('self-signed').cert);
    expect(r.failure?.certificate?.sha256).toBe(expected);
    expect(r.certificate?.sha256).toBe(expected);
    expect(r.certificate?.altNames).toContain('localhost');
    expect(s.authAttempts).toHaveLength(0);
  });

  it('self-signed behind STARTTLS → certificate failure at the tls step, certificate read after STARTTLS', async () => {
    const s = await sink({ mode: 'starttls', cert: 'self-signed' });
    const r = await probe(s.port, 'starttls');
    expect(r.failure).toMatchObject({ kind: 'certificate', certificateProblem: 'self_signed', step: 'tls' });
    expect(outcome(r, 'starttls')).toBe('ok');
    expect(r.certificate?.sha256).toBe(certificateSha256(fixtureCert('self-signed').cert));
    expect(s.authAttempts).toHaveLength(0);
  });

  it('the pinned self-signed certificate is accepted, over implicit TLS and STARTTLS', async () => {
    for (const mode of ['tls', 'starttls'] as const) {
      const s = await sink({ mode, cert: 'self-signed' });
      const r = await probe(s.port, mode, { pinnedCert: pinOf('self-signed'), trustCa: false });
      expect(r.ok, JSON.stringify(r.failure)).toBe(true);
      expect(r.certificate?.sha256).toBe(pinOf('self-signed').sha256);
    }
  });

  it('a changed certificate under a pin → pin_mismatch with the new certificate, no AUTH', async () => {
    const s = await sink({ mode: 'tls', cert: 'other-localhost' });
    const r = await probe(s.port, 'tls', { pinnedCert: pinOf('localhost') });
    expect(r.failure).toMatchObject({ kind: 'certificate', certificateProblem: 'pin_mismatch' });
    expect(r.failure?.certificate?.sha256).toBe(certificateSha256(fixtureCert('other-localhost').cert));
    expect(s.authAttempts).toHaveLength(0);
  });

  it('expired and wrong-name certificates are classified', async () => {
    const expired = await sink({ mode: 'tls', cert: 'expired' });
    expect((await probe(expired.port, 'tls')).failure).toMatchObject({ certificateProblem: 'expired' });
    const wrongName = await sink({ mode: 'starttls', cert: 'wrong-name' });
    const r = await probe(wrongName.port, 'starttls');
    expect(r.failure).toMatchObject({
      kind: 'certificate',
      certificateProblem: 'hostname_mismatch',
      step: 'tls',
    });
    expect(r.certificate?.altNames).toContain('mail.example.test');
  });
});
