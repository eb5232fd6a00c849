import { afterEach, describe, expect, it } from 'vitest';
import { type FixtureCert, fixtureCert } from '../../../test/helpers/tls-fixtures.js';
import { type Pop3FakeOptions, Pop3FakeServer } from '../../../test/servers/pop3-fake-server.js';
import { dialFake, openFake, type TestClientOptions } from '../../../test/servers/pop3-test-helpers.js';
import type { PinnedCertificate } from '../../domain/mailbox/connection.js';
import { certificateSha256 } from '../net/tls-options.js';

const servers: Pop3FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function fake(options: Pop3FakeOptions = {}): Promise<Pop3FakeServer> {
  const s = await Pop3FakeServer.start(options);
  servers.push(s);
  return s;
}

const pinOf = (name: FixtureCert): PinnedCertificate => {
  const pem = fixtureCert(name).cert;
  return { sha256: certificateSha256(pem), pem };
};
const shaOf = (name: FixtureCert): string => certificateSha256(fixtureCert(name).cert);

/** Dial + the TLS step of the mode (+ greeting and CAPA for STLS), returning the failure if any. */
async function tlsAttempt(server: Pop3FakeServer, o: TestClientOptions) {
  const client = await dialFake(server, o);
  try {
    if (o.security === 'tls') {
      const cert = await client.startTls();
      await client.readGreeting();
      return { cert, client };
    }
    await client.readGreeting();
    await client.capa();
    const { certificate } = await client.stls();
    return { cert: certificate, client };
  } catch (err) {
    client.destroy();
    return { err: err as { failure: Record<string, unknown> & { certificate?: { sha256: string } } } };
  }
}

describe('Pop3Client: implicit TLS', () => {
  it('verifies the certificate against the typed host while dialling the IP', async () => {
    const server = await fake({ implicitTls: true, messages: [Buffer.from('Subject: s\r\n\r\nx\r\n')] });
    const client = await openFake(server, { security: 'tls' });
    expect(client.isEncrypted).toBe(true);
    expect((await client.stat()).count).toBe(1);
    await client.quit();
    expect(server.receivedInPlaintext().length).toBe(0);
  });

  it('reports the verified certificate', async () => {
    const server = await fake({ implicitTls: true });
    const { cert, client } = await tlsAttempt(server, { security: 'tls' });
    expect(cert?.sha256).toBe(shaOf('localhost'));
    expect(cert?.subject).toContain('CN=localhost');
    client?.destroy();
  });

  it('fails with kind tls when the port speaks plain POP3 (SSL on a plain port)', async () => {
    const server = await fake();
    const { err } = await tlsAttempt(server, { security: 'tls' });
    expect(err?.failure).toMatchObject({ kind: 'tls', step: 'tls' });
  });

  it('times out waiting for a greeting when a plain client reaches a TLS port', async () => {
    const server = await fake({ implicitTls: true });
    const client = await dialFake(server, { timeouts: { commandMs: 300 } });
    await expect(client.readGreeting()).rejects.toMatchObject({
      failure: { kind: 'timeout', timeout: 'greeting' },
    });
  });
});

describe('Pop3Client: certificates (case 38)', () => {
  it.each([
    ['self-signed', 'self_signed', true],
    ['wrong-name', 'hostname_mismatch', true],
    ['expired', 'expired', true],
    ['localhost', 'untrusted_issuer', false],
  ] as const)('%s → %s, with the presented certificate', async (cert, problem, trustCa) => {
    for (const security of ['tls', 'starttls'] as const) {
      const server = await fake({ implicitTls: security === 'tls', certs: [cert] });
      const { err } = await tlsAttempt(server, { security, trustCa });
      expect(err?.failure).toMatchObject({ kind: 'certificate', certificateProblem: problem });
      expect(err?.failure.certificate?.sha256).toBe(shaOf(cert));
      // Nothing but the STLS preamble ever crossed in plaintext.
      expect(server.receivedInPlaintext().toString()).toBe(
        security === 'tls' ? '' : 'CAPA\r\nSTLS\r\nSTLS\r\n',
      );
    }
  });

  it('accepts a pinned self-signed certificate, and reports pin_mismatch after the server swaps it', async () => {
    const server = await fake({ implicitTls: true, certs: ['self-signed', 'self-signed-2'] });
    const pinnedCert = pinOf('self-signed');
    const first = await openFake(server, { security: 'tls', pinnedCert, trustCa: false });
    await first.quit();
    const { err } = await tlsAttempt(server, { security: 'tls', pinnedCert, trustCa: false });
    expect(err?.failure).toMatchObject({ kind: 'certificate', certificateProblem: 'pin_mismatch' });
    expect(err?.failure.certificate?.sha256).toBe(shaOf('self-signed-2'));
  });

  it('reports pin_mismatch when a pinned endpoint presents another CA-valid certificate', async () => {
    const server = await fake({ certs: ['other-localhost'] });
    const { err } = await tlsAttempt(server, { security: 'starttls', pinnedCert: pinOf('localhost') });
    expect(err?.failure).toMatchObject({ kind: 'certificate', certificateProblem: 'pin_mismatch' });
  });
});

describe('Pop3Client: STLS (RFC 2595)', () => {
  it('re-issues CAPA inside TLS and forgets the plaintext capabilities', async () => {
    const server = await fake();
    const client = await dialFake(server, { security: 'starttls' });
    await client.readGreeting();
    expect((await client.capa())?.names.has('STLS')).toBe(true);
    const { capabilities } = await client.stls();
    expect(capabilities?.names.has('STLS')).toBe(false);
    expect(client.capabilities).toBe(capabilities);
    expect(server.connections[0]?.commands).toEqual([
      { secure: false, line: 'CAPA' },
      { secure: false, line: 'STLS' },
      { secure: true, line: 'CAPA' },
    ]);
    client.destroy();
  });

  it('ignores bytes injected after the +OK in the same packet (response injection)', async () => {
    const server = await fake({ stls: 'inject', messages: [Buffer.from('Subject: s\r\n\r\nx\r\n')] });
    const client = await openFake(server, { security: 'starttls' });
    expect(client.capabilities?.names.has('EVIL-CAPABILITY')).toBe(false);
    expect(client.capabilities?.names.has('UIDL')).toBe(true);
    expect((await client.stat()).count).toBe(1);
    await client.quit();
  });

  it.each([
    ['absent from CAPA', { stls: 'absent' }],
    ['refused with -ERR', { stls: 'refuse' }],
    ['CAPA unsupported', { capa: false }],
  ] as const)('STLS %s: aborts before USER/PASS/AUTH (case 31)', async (_label, options) => {
    const server = await fake(options);
    const client = await dialFake(server, { security: 'starttls' });
    await client.readGreeting();
    await client.capa();
    const err = await client.stls().catch((e) => e);
    expect(err.failure.kind).toBe('starttls_unavailable');
    expect(client.isAlive).toBe(false);
    await expect(client.login({ type: 'password', user: 'user', pass: 'secret' })).rejects.toThrow();
    const wire = server.received().toString('latin1');
    expect(wire).not.toMatch(/USER|PASS|AUTH/);
    if ('stls' in options && options.stls === 'refuse') {
      expect(err.failure.response).toBe('-ERR [SYS/TEMP] TLS not available right now');
    }
  });
});
