import { afterEach, describe, expect, it } from 'vitest';
import { socketsClosed } from '../../../test/helpers/sockets-closed.js';
import { fixtureCert, testCaPem } from '../../../test/helpers/tls-fixtures.js';
import {
  fakeImap,
  IMAP_PASSWORD as PASSWORD,
  IMAP_TOKEN as TOKEN,
} from '../../../test/servers/imap-script-server.js';
import { createLoopbackResolver } from '../../../test/servers/loopback-resolver.js';
import {
  noGreeting,
  type RawSmtpScenario,
  type RawSmtpServer,
  startRawSmtpServer,
} from '../../../test/servers/smtp-raw-server.js';
import type { MailAuth, MailSecurity, PinnedCertificate } from '../../domain/mailbox/connection.js';
import type { ProbeResult } from '../../domain/mailbox/probe.js';
import { certificateSha256 } from '../net/tls-options.js';
import { createImapProber } from './imap-probe.js';

const servers: RawSmtpServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(scenario: RawSmtpScenario): Promise<RawSmtpServer> {
  const s = await startRawSmtpServer(scenario);
  servers.push(s);
  return s;
}

function probe(
  port: number,
  security: MailSecurity,
  extra: { auth?: MailAuth; deadlineMs?: number; pinnedCert?: PinnedCertificate } = {},
): Promise<ProbeResult> {
  return createImapProber({ resolver: createLoopbackResolver(), trustedCa: [testCaPem()] }).probe(
    {
      protocol: 'imap',
      host: 'localhost',
      port,
      security,
      pinnedCert: extra.pinnedCert ?? null,
      auth: extra.auth ?? { type: 'password', user: 'alice', pass: PASSWORD },
    },
    { deadline: Date.now() + (extra.deadlineMs ?? 5_000) },
  );
}

const step = (r: ProbeResult, id: string) => r.steps.find((s) => s.id === id);
const wireHasCredentials = (s: RawSmtpServer) => /LOGIN|AUTHENTICATE/i.test(s.plaintext().toString('latin1'));

describe('IMAP probe', () => {
  it('STARTTLS, AUTHENTICATE PLAIN, EXAMINE INBOX, LOGOUT: every step ok, credentials only inside TLS', async () => {
    const s = await server(fakeImap({ startTls: true }));
    const r = await probe(s.port, 'starttls');
    expect(r.ok, JSON.stringify(r.failure)).toBe(true);
    expect(r.steps.map((x) => `${x.id}:${x.outcome}`)).toEqual([
      'resolve:ok',
      'connect:ok',
      'greeting:ok',
      'starttls:ok',
      'tls:ok',
      'auth:ok',
      'select:ok',
      'quit:ok',
    ]);
    expect(step(r, 'select')?.info).toEqual({ mailbox: 'INBOX', uidValidity: '1234', uidNext: 9, exists: 3 });
    expect(step(r, 'greeting')?.reply).toBe('* OK fake ready');
    expect(r.certificate?.subject).toContain('CN=localhost');
    expect(wireHasCredentials(s)).toBe(false);
    expect(s.secureLines.some((l) => / AUTHENTICATE PLAIN\b/.test(l))).toBe(true);
    expect(s.secureLines.some((l) => / EXAMINE /.test(l))).toBe(true);
    expect(JSON.stringify(r)).not.toContain(PASSWORD);
  });

  it('XOAUTH2 with an access token (operator-enabled plain mode; the fake greets in plain text)', async () => {
    const s = await server(fakeImap());
    const r = await probe(s.port, 'none', { auth: { type: 'oauth2', user: 'alice', accessToken: TOKEN } });
    expect(r.ok, JSON.stringify(r.failure)).toBe(true);
    expect(step(r, 'auth')?.info).toMatchObject({ method: 'XOAUTH2' });
  });

  it('wrong password → auth failure with the IMAP response code, nothing echoed', async () => {
    const s = await server(fakeImap({ startTls: true }));
    const r = await probe(s.port, 'starttls', {
      auth: { type: 'password', user: 'alice', pass: 'Wrong-Imap-1' },
    });
    expect(r.failure).toMatchObject({ kind: 'auth', step: 'auth', code: 'AUTHENTICATIONFAILED' });
    expect(step(r, 'select')?.outcome).toBe('skipped');
    expect(JSON.stringify(r)).not.toContain('Wrong-Imap-1');
  });

  it('STARTTLS not offered → starttls_unavailable before any credentials', async () => {
    const s = await server(fakeImap({ startTls: true, advertiseStartTls: false }));
    const r = await probe(s.port, 'starttls');
    expect(r.failure).toMatchObject({ kind: 'starttls_unavailable', step: 'starttls' });
    expect(wireHasCredentials(s)).toBe(false);
  });

  it('plaintext injected after the STARTTLS OK → refused as protocol, no credentials sent', async () => {
    const s = await server(
      fakeImap({ startTls: true, inject: '* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] evil\r\n' }),
    );
    const r = await probe(s.port, 'starttls');
    expect(r.ok).toBe(false);
    expect(['protocol', 'tls']).toContain(r.failure?.kind);
    expect(wireHasCredentials(s)).toBe(false);
  });

  it('self-signed behind STARTTLS → certificate failure with the presented certificate; pinned → ok', async () => {
    const s = await server(fakeImap({ startTls: true, cert: 'self-signed' }));
    const r = await probe(s.port, 'starttls');
    expect(r.failure).toMatchObject({ kind: 'certificate', certificateProblem: 'self_signed', step: 'tls' });
    const pin = {
      pem: fixtureCert('self-signed').cert,
      sha256: certificateSha256(fixtureCert('self-signed').cert),
    };
    expect(r.certificate?.sha256).toBe(pin.sha256);
    const pinned = await probe(s.port, 'starttls', { pinnedCert: pin });
    expect(pinned.ok, JSON.stringify(pinned.failure)).toBe(true);
  });

  it('TLS on a plaintext IMAP port → tls failure', async () => {
    const s = await server(fakeImap());
    const r = await probe(s.port, 'tls');
    expect(r.failure).toMatchObject({ kind: 'tls', step: 'tls' });
  });

  it('no greeting → ends by the deadline, socket closed', async () => {
    const s = await server(noGreeting);
    const started = Date.now();
    const r = await probe(s.port, 'none', { deadlineMs: 1_000 });
    expect(r.failure).toMatchObject({ kind: 'timeout', step: 'greeting' });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await s.allClosed(1_000)).toBe(true);
  });

  it.each([
    ['a reset on the first command after the greeting', 'ID', 'none' as const],
    ['a reset during login', 'AUTHENTICATE', 'none' as const],
    ['a reset during EXAMINE', 'EXAMINE', 'none' as const],
  ])('case 39: %s is a clean failure, not a crash', async (_name, at, security) => {
    const s = await server(
      fakeImap({
        onCommand: (command, conn) => {
          if (command !== at) return false;
          conn.reset();
          return true;
        },
      }),
    );
    const r = await probe(s.port, security, { deadlineMs: 3_000 });
    expect(r.ok).toBe(false);
    expect(['closed', 'connect', 'protocol']).toContain(r.failure?.kind);
    await socketsClosed(); // a late socket error would fail the run as an unhandled error
  });
});
