import { X509Certificate } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureCert } from '../../../test/helpers/tls-fixtures.js';
import { blankLineFlood } from '../../../test/servers/smtp-flood.js';
import {
  type RawSmtpConnection,
  type RawSmtpServer,
  startRawSmtpServer,
} from '../../../test/servers/smtp-raw-server.js';
import { fetchImapStartTlsCertificate } from '../imap/imap-starttls-certificate.js';
import { fetchSmtpStartTlsCertificate } from '../smtp/smtp-starttls-certificate.js';

/**
 * The certificate helpers (greeting → EHLO/CAPABILITY → STARTTLS in plain text) against a
 * server flooding blank lines: each gives up with null and closes while the flood goes on,
 * so the server gets onto its socket no more than the reader's caps plus what the loopback
 * buffers hold (the flood itself never ends). A blank line ends a reply here, so they gave up
 * before the reader counted blank lines too; they fail if blank lines are ever skipped (as
 * nodemailer does). The caps themselves: probe-line-reader.test.ts.
 */
const FLOOD_BOUND = 16 * 1024 * 1024;
const servers: RawSmtpServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(scenario: (conn: RawSmtpConnection) => Promise<void>): Promise<RawSmtpServer> {
  const server = await startRawSmtpServer(scenario);
  servers.push(server);
  return server;
}

/** CRLF from the first byte, until the client hangs up. */
function floodFromStart() {
  let sent = 0;
  const chunk = '\r\n'.repeat(32 * 1024);
  const scenario = async (conn: RawSmtpConnection): Promise<void> => {
    await conn.writeMany(
      (function* () {
        for (;;) {
          sent += chunk.length;
          yield chunk;
        }
      })(),
    );
  };
  return { scenario, sent: () => sent };
}

const smtp = (port: number) =>
  fetchSmtpStartTlsCertificate({
    address: '127.0.0.1',
    port,
    servername: 'localhost',
    clientName: 'probe.localhost',
    timeoutMs: 20_000,
  });
const imap = (port: number) =>
  fetchImapStartTlsCertificate({ address: '127.0.0.1', port, servername: 'localhost', timeoutMs: 20_000 });

describe('fetchSmtpStartTlsCertificate', () => {
  it('reads the certificate a STARTTLS server presents', async () => {
    // This one floods only after an EHLO inside TLS, which the helper never sends.
    const server = await serve(blankLineFlood('starttls-ehlo').scenario);
    const cert = await smtp(server.port);
    expect(cert?.sha256).toBe(
      new X509Certificate(fixtureCert('localhost').cert).fingerprint256.replace(/:/g, '').toLowerCase(),
    );
  });

  it.each([
    ['from the first byte', () => floodFromStart()],
    ['after the greeting', () => blankLineFlood('greeting')],
    ['instead of the EHLO reply', () => blankLineFlood('ehlo')],
  ] as const)('gives up on a blank-line flood %s', async (_name, make) => {
    const flood = make();
    const server = await serve(flood.scenario);
    expect(await smtp(server.port)).toBeNull();
    expect(await server.allClosed(2_000)).toBe(true);
    expect(flood.sent()).toBeLessThan(FLOOD_BOUND);
  });
});

describe('fetchImapStartTlsCertificate', () => {
  it('gives up on a blank-line flood from the first byte, and after the greeting', async () => {
    const fromStart = floodFromStart();
    const first = await serve(fromStart.scenario);
    expect(await imap(first.port)).toBeNull();
    expect(await first.allClosed(2_000)).toBe(true);
    expect(fromStart.sent()).toBeLessThan(FLOOD_BOUND);

    const afterGreeting = floodFromStart();
    const second = await serve(async (conn) => {
      conn.write('* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n');
      await conn.readLine();
      await afterGreeting.scenario(conn);
    });
    expect(await imap(second.port)).toBeNull();
    expect(await second.allClosed(2_000)).toBe(true);
    expect(afterGreeting.sent()).toBeLessThan(FLOOD_BOUND);
  });
});
