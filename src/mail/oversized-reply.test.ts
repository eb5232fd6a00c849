import { afterEach, describe, expect, it } from 'vitest';
import { testCaPem } from '../../test/helpers/tls-fixtures.js';
import { createLoopbackResolver } from '../../test/servers/loopback-resolver.js';
import {
  type RawSmtpScenario,
  type RawSmtpServer,
  startRawSmtpServer,
} from '../../test/servers/smtp-raw-server.js';
import { classify } from '../domain/catalogue/index.js';
import { createImapProber } from './imap/imap-probe.js';
import { createPop3Prober } from './pop3/pop3-probe.js';
import { createSmtpProber } from './smtp/smtp-probe.js';

/**
 * Issue 8 item 14: a greeting or reply longer than any mail server sends is explained as
 * such ("the server sent a reply too long for a mail server"), never as "message too large",
 * through the real libraries (nodemailer, ImapFlow) and our adapters and classifier.
 */
const servers: RawSmtpServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function raw(scenario: RawSmtpScenario): Promise<RawSmtpServer> {
  const s = await startRawSmtpServer(scenario);
  servers.push(s);
  return s;
}

/** Writes `bytes` of one never-ending line (64 KB chunks), after `before`. */
function endlessLine(
  before: (c: Parameters<RawSmtpScenario>[0]) => Promise<void>,
  prefix: string,
): RawSmtpScenario {
  return async (conn) => {
    await before(conn);
    const chunk = `${prefix}${'x'.repeat(64 * 1024 - prefix.length)}`;
    await conn.writeMany(
      (function* () {
        for (let sent = 0; sent < 8 * 1024 * 1024; sent += chunk.length) yield chunk;
      })(),
    );
    await conn.closed;
  };
}

function smtpProbe(port: number) {
  return createSmtpProber({ resolver: createLoopbackResolver(), trustedCa: [testCaPem()] }).probe(
    {
      host: 'localhost',
      port,
      security: 'none',
      address: 'alice@example.test',
      auth: { type: 'password', user: 'alice', pass: 'pw-123456' },
    },
    { deadline: Date.now() + 10_000 },
  );
}

describe('an over-long reply is not "message too large"', () => {
  it('SMTP: an endless greeting', async () => {
    const s = await raw(endlessLine(async () => {}, '220 '));
    const r = await smtpProbe(s.port);
    expect(r.failure?.kind).toBe('limit');
    expect(classify(r.failure!).entry.id).toBe('server-reply-oversized');
    expect(classify(r.failure!).entry.title.en).toBe('The server sent a reply too long for a mail server');
  });

  it('SMTP: an endless EHLO reply', async () => {
    const s = await raw(
      endlessLine(async (conn) => {
        conn.write('220 raw.localhost ESMTP\r\n');
        await conn.readLine();
      }, '250-'),
    );
    const r = await smtpProbe(s.port);
    expect(r.failure?.kind).toBe('limit');
    expect(classify(r.failure!).entry.id).toBe('server-reply-oversized');
  });

  it('IMAP: a 2 GB literal announced in the LOGIN answer', async () => {
    const s = await raw(async (conn) => {
      conn.write('* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] ready\r\n');
      for (;;) {
        const line = await conn.readLine();
        if (line === null) return;
        const [tag = '', command = ''] = line.split(' ');
        if (/^(?:AUTHENTICATE|LOGIN)$/i.test(command)) {
          conn.write(`* OK {2147483648}\r\n${'y'.repeat(1024)}`);
          await conn.closed;
          return;
        }
        if (/^CAPABILITY$/i.test(command))
          conn.write(`* CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR\r\n${tag} OK done\r\n`);
        else conn.write(`${tag} OK done\r\n`);
      }
    });
    const r = await createImapProber({ resolver: createLoopbackResolver(), trustedCa: [testCaPem()] }).probe(
      {
        protocol: 'imap',
        host: 'localhost',
        port: s.port,
        security: 'none',
        pinnedCert: null,
        auth: { type: 'password', user: 'alice', pass: 'pw-123456' },
      },
      { deadline: Date.now() + 10_000 },
    );
    expect(r.failure).toMatchObject({ kind: 'limit', code: 'LiteralTooLarge' });
    expect(classify(r.failure!).entry.id).toBe('server-reply-oversized');
  });

  it('POP3: an endless greeting', async () => {
    const s = await raw(endlessLine(async () => {}, '+OK '));
    const r = await createPop3Prober({ resolver: createLoopbackResolver(), trustedCa: [testCaPem()] }).probe(
      {
        protocol: 'pop3',
        host: 'localhost',
        port: s.port,
        security: 'none',
        pinnedCert: null,
        auth: { type: 'password', user: 'alice', pass: 'pw-123456' },
      },
      { deadline: Date.now() + 10_000 },
    );
    expect(r.failure?.kind).toBe('limit');
    expect(classify(r.failure!).entry.id).toBe('server-reply-oversized');
  });
});
