import { afterEach, describe, expect, it } from 'vitest';
import { socketsClosed } from '../../../test/helpers/sockets-closed.js';
import { testCaPem } from '../../../test/helpers/tls-fixtures.js';
import { createLoopbackResolver } from '../../../test/servers/loopback-resolver.js';
import {
  endlessContinuation,
  hugeLine,
  noGreeting,
  RAW_EHLO,
  type RawSmtpScenario,
  type RawSmtpServer,
  serveCommands,
  slowDripGreeting,
  startRawSmtpServer,
  startTlsInjection,
  stripStartTls,
} from '../../../test/servers/smtp-raw-server.js';
import type { MailSecurity } from '../../domain/mailbox/connection.js';
import type { ProbeResult } from '../../domain/mailbox/probe.js';
import { createSmtpProber } from './smtp-probe.js';

const PASSWORD = 'Hostile-Pass-9';
const servers: RawSmtpServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function raw(scenario: RawSmtpScenario): Promise<RawSmtpServer> {
  const s = await startRawSmtpServer(scenario);
  servers.push(s);
  return s;
}

function probe(port: number, security: MailSecurity, deadlineMs = 5_000): Promise<ProbeResult> {
  const prober = createSmtpProber({ resolver: createLoopbackResolver(), trustedCa: [testCaPem()] });
  return prober.probe(
    {
      host: 'localhost',
      port,
      security,
      address: 'alice@example.test',
      auth: { type: 'password', user: 'alice', pass: PASSWORD },
    },
    { deadline: Date.now() + deadlineMs },
  );
}

const step = (r: ProbeResult, id: string) => r.steps.find((s) => s.id === id);

describe('STARTTLS hazards (SECURITY.md §4.1)', () => {
  it('case 29: STARTTLS stripped from EHLO and refused → starttls_unavailable, no AUTH on the wire', async () => {
    const s = await raw(stripStartTls);
    const r = await probe(s.port, 'starttls');
    expect(r.ok).toBe(false);
    expect(r.failure).toMatchObject({ kind: 'starttls_unavailable', step: 'starttls', responseCode: 502 });
    expect(step(r, 'starttls')?.info).toBeUndefined();
    expect(step(r, 'auth')?.outcome).toBe('skipped');
    const wire = s.plaintext().toString('latin1');
    expect(wire).toContain('EHLO');
    expect(wire).not.toMatch(/AUTH/i);
    expect(wire).not.toContain(PASSWORD);
    expect(wire).not.toContain(Buffer.from(`\u0000alice\u0000${PASSWORD}`).toString('base64'));
    expect(await s.allClosed(1_000)).toBe(true);
  });

  it('case 30: plaintext injected after the STARTTLS reply is discarded', async () => {
    for (const injected of ['250-EVIL', '250-EVIL\r\n250-AUTH XEVIL\r\n250 XEVIL2\r\n']) {
      const s = await raw(startTlsInjection(injected));
      const r = await probe(s.port, 'starttls');
      expect(r.ok, JSON.stringify(r.failure)).toBe(true);
      const ehlo = step(r, 'ehlo');
      expect(ehlo?.reply).not.toMatch(/EVIL/);
      expect(ehlo?.info).toMatchObject({ authMethods: ['PLAIN', 'LOGIN'], eightBitMime: true });
      // The EHLO after the handshake went inside TLS, and the dialogue stayed in step.
      expect(s.secureLines[0]).toMatch(/^EHLO /);
      expect(s.secureLines.at(-1)).toBe('QUIT');
    }
  });
});

describe('hostile timing and sizes (case 32): bounded by the deadline, socket destroyed', () => {
  const cases: Array<[string, RawSmtpScenario, string[]]> = [
    ['no greeting', noGreeting, ['timeout']],
    ['greeting dripping one byte per 200 ms', slowDripGreeting(200), ['timeout']],
    ['10 MB reply line without CRLF', hugeLine(), ['limit', 'timeout']],
    ['100,000 250- continuation lines', endlessContinuation(), ['limit', 'timeout']],
  ];
  for (const [name, scenario, kinds] of cases) {
    it(name, async () => {
      const s = await raw(scenario);
      const started = Date.now();
      const r = await probe(s.port, 'none', 1_500);
      const elapsed = Date.now() - started;
      expect(r.ok).toBe(false);
      expect(kinds).toContain(r.failure?.kind);
      expect(elapsed).toBeLessThan(1_500 + 1_000);
      expect(await s.allClosed(1_000)).toBe(true);
      expect(JSON.stringify(r).length).toBeLessThan(20_000);
    });
  }

  it('the deadline fires as a session timeout on the step that was running', async () => {
    const s = await raw(noGreeting);
    const r = await probe(s.port, 'none', 800);
    expect(r.failure).toMatchObject({ kind: 'timeout', step: 'greeting' });
    // The greeting timer is cut to the deadline, so on a loaded machine either may fire first.
    expect(['session', 'greeting']).toContain(r.failure?.timeout);
  });
});

describe('case 39: socket errors at any point never escape the probe', () => {
  const resetAfterGreeting: RawSmtpScenario = async (conn) => {
    conn.write('220 raw.localhost ESMTP\r\n');
    await conn.readLine();
    conn.reset();
  };
  const resetDuringHandshake: RawSmtpScenario = async (conn) => {
    conn.write('220 raw.localhost ESMTP\r\n');
    await conn.readLine();
    conn.write(RAW_EHLO.withStartTls);
    await conn.readLine();
    conn.write('220 2.0.0 go ahead\r\n');
    await new Promise((r) => setTimeout(r, 5));
    conn.reset();
  };
  const resetAfterAuth: RawSmtpScenario = async (conn) => {
    conn.write('220 raw.localhost ESMTP\r\n');
    await conn.readLine();
    conn.write(RAW_EHLO.withStartTls);
    await conn.readLine();
    conn.write('220 2.0.0 go ahead\r\n');
    await conn.startTls();
    await conn.readLine();
    conn.write(RAW_EHLO.secure);
    await conn.readLine();
    conn.reset();
  };
  const garbageThenReset: RawSmtpScenario = async (conn) => {
    conn.write('220 raw.localhost ESMTP\r\n');
    await conn.readLine();
    conn.write('250 unexpected\r\n250 twice\r\n');
    await new Promise((r) => setTimeout(r, 20));
    conn.reset();
  };

  it.each([
    ['reset after the greeting', resetAfterGreeting, 'none' as const, ['closed', 'connect']],
    ['reset during the STARTTLS handshake', resetDuringHandshake, 'starttls' as const, ['tls']],
    ['reset after AUTH inside TLS', resetAfterAuth, 'starttls' as const, ['closed']],
    // The first unsolicited line answers EHLO (no AUTH offered); what matters is a clean failure.
    [
      'unsolicited replies then reset',
      garbageThenReset,
      'none' as const,
      ['protocol', 'closed', 'unsupported'],
    ],
  ])('%s', async (_name, scenario, security, kinds) => {
    const s = await raw(scenario);
    const r = await probe(s.port, security, 3_000);
    expect(r.ok).toBe(false);
    expect(kinds).toContain(r.failure?.kind);
    // Late errors would surface as unhandled errors and fail the run: once every socket is
    // closed, none can come any more.
    await socketsClosed();
  });

  it('a plaintext server behaves: sanity check for the scenarios above', async () => {
    const s = await raw(async (conn) => {
      conn.write('220 raw.localhost ESMTP\r\n');
      await serveCommands(conn, RAW_EHLO.secure);
    });
    const r = await probe(s.port, 'none');
    expect(r.ok, JSON.stringify(r.failure)).toBe(true);
  });
});
