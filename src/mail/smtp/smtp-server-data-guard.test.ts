import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { testCaPem } from '../../../test/helpers/tls-fixtures.js';
import { createLoopbackResolver } from '../../../test/servers/loopback-resolver.js';
import { blankLineFlood, type FloodPoint } from '../../../test/servers/smtp-flood.js';
import { RAW_EHLO, type RawSmtpServer, startRawSmtpServer } from '../../../test/servers/smtp-raw-server.js';
import { startScriptedSmtp } from '../../../test/servers/smtp-script-server.js';
import { classify } from '../../domain/catalogue/classify.js';
import type { MailSecurity } from '../../domain/mailbox/connection.js';
import type { SenderConnection } from '../../ports/mail-sender.js';
import { createSmtpProber } from './smtp-probe.js';
import { createSmtpSender } from './smtp-sender.js';
import {
  DEFAULT_SERVER_DATA_CAPS,
  SERVER_DATA_LIMIT_CODE,
  ServerDataGuard,
  ServerDataLimitError,
} from './smtp-server-data-guard.js';
import { SmtpSession } from './smtp-session.js';

const CAP = DEFAULT_SERVER_DATA_CAPS.perCommandBytes;
// Without the guard the flood lasts as long as the deadline (tens of MB in a few seconds);
// with it the server gets the cap plus what the loopback socket buffers hold onto its socket.
const FLOOD_BOUND = 16 * 1024 * 1024;
const auth = { type: 'password' as const, user: 'alice', pass: 'secret' };
const servers: RawSmtpServer[] = [];
const connections: SenderConnection[] = [];

afterEach(async () => {
  for (const c of connections.splice(0)) await c.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function flooding(at: FloodPoint): Promise<{ server: RawSmtpServer; sent: () => number }> {
  const flood = blankLineFlood(at);
  const server = await startRawSmtpServer(flood.scenario);
  servers.push(server);
  return { server, sent: flood.sent };
}

function probe(port: number, security: MailSecurity) {
  return createSmtpProber({ resolver: createLoopbackResolver(), trustedCa: [testCaPem()] }).probe(
    { host: 'localhost', port, security, address: 'alice@example.test', auth },
    { deadline: Date.now() + 20_000 },
  );
}

function openSender(port: number) {
  return createSmtpSender({ resolver: createLoopbackResolver() }).open(
    { host: '127.0.0.1', port, security: 'none', pinnedCert: null, auth },
    {},
  );
}

const mime = (n: number) => Buffer.from(`Subject: ${n}\r\n\r\nbody ${n}\r\n`);
const noHooks = { beforeDataEnd: async () => {} };

describe('ServerDataGuard', () => {
  it('trips past the per-command cap, a command starts a new window, the session cap counts all', () => {
    const guard = new ServerDataGuard({ perCommandBytes: 100, sessionBytes: 250 });
    expect(guard.received(100)).toBeNull();
    guard.commandWritten();
    expect(guard.received(100)).toBeNull();
    guard.commandWritten();
    expect(guard.received(50)).toBeNull();
    const err = guard.received(1);
    expect(err).toBeInstanceOf(ServerDataLimitError);
    expect(err).toMatchObject({ scope: 'session', limitBytes: 250, code: SERVER_DATA_LIMIT_CODE });
    // Once tripped it stays tripped, whatever is written next.
    guard.commandWritten();
    expect(guard.received(1)).toBe(err);
    expect(new ServerDataGuard({ perCommandBytes: 10 }).received(11)).toMatchObject({ scope: 'command' });
  });
});

describe('a server flooding blank lines is refused as a limit', () => {
  it.each([
    ['after the greeting', 'greeting', 'none'],
    ['after the greeting over implicit TLS', 'tls-greeting', 'tls'],
    ['inside TLS, after STARTTLS', 'starttls-ehlo', 'starttls'],
  ] as const)('probe: %s', async (_name, at, security) => {
    const { server, sent } = await flooding(at);
    const r = await probe(server.port, security);
    expect(r.failure).toMatchObject({ kind: 'limit', code: SERVER_DATA_LIMIT_CODE, step: 'ehlo' });
    expect(classify(r.failure!).entry.id).toBe('server-reply-too-long');
    expect(sent()).toBeLessThan(FLOOD_BOUND);
    expect(await server.allClosed(2_000)).toBe(true);
  });

  it('the socket is destroyed once the cap is passed: nodemailer got at most one chunk more', async () => {
    const { server } = await flooding('ehlo');
    const socket = await new Promise<Socket>((resolve) => {
      const s = connect(server.port, '127.0.0.1', () => resolve(s));
    });
    const session = new SmtpSession({ connection: socket, ignoreTLS: true, socketTimeout: 20_000 }, auth);
    await expect(session.connect()).rejects.toMatchObject({ originalCode: SERVER_DATA_LIMIT_CODE });
    expect(session.serverData.windowBytes).toBeGreaterThan(CAP);
    // A socket read is at most 64 KiB: the chunk that passed the cap was the last one counted.
    expect(session.serverData.windowBytes).toBeLessThanOrEqual(CAP + 64 * 1024);
    expect(socket.destroyed).toBe(true);
    session.close();
  });

  it('sender: instead of the EHLO reply', async () => {
    const { server, sent } = await flooding('ehlo');
    const r = await openSender(server.port);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.failure).toMatchObject({ kind: 'limit', code: SERVER_DATA_LIMIT_CODE, step: 'ehlo' });
    expect(sent()).toBeLessThan(FLOOD_BOUND);
  });

  it('sender: instead of the reply to the final dot (the connection is not reused)', async () => {
    const { server, sent } = await flooding('data');
    const r = await openSender(server.port);
    if (!r.ok) throw new Error(JSON.stringify(r.failure));
    connections.push(r.connection);
    const result = await r.connection.send(
      { from: 'alice@example.test', to: ['bob@example.test'], smtpUtf8: false },
      mime(1),
      noHooks,
    );
    expect(result).toMatchObject({ ok: false, phase: 'after_data_end', broken: true });
    if (result.ok) return;
    expect(result.failure).toMatchObject({ kind: 'limit', code: SERVER_DATA_LIMIT_CODE, step: 'data' });
    expect(r.connection.usable).toBe(false);
    expect(sent()).toBeLessThan(FLOOD_BOUND);
  });
});

describe('legitimate servers are not refused', () => {
  it('probe: a 200-line EHLO reply (~12 KB) inside TLS', async () => {
    const keywords = Array.from({ length: 200 }, (_, i) => `250-X-EXTENSION-${i}-${'p'.repeat(40)}`);
    const ehlo = `250-raw.localhost\r\n${keywords.join('\r\n')}\r\n250 AUTH PLAIN LOGIN\r\n`;
    const server = await startRawSmtpServer(async (conn) => {
      conn.write('220 raw.localhost ESMTP\r\n');
      for (;;) {
        const line = await conn.readLine();
        const verb = line?.split(' ')[0]?.toUpperCase();
        if (verb === undefined || verb === 'QUIT') return conn.write('221 bye\r\n');
        if (verb === 'EHLO') conn.write(RAW_EHLO.withStartTls);
        else if (verb === 'STARTTLS') {
          conn.write('220 go ahead\r\n');
          await conn.startTls();
          await conn.readLine();
          conn.write(ehlo);
        } else if (verb === 'AUTH') conn.write('235 2.7.0 ok\r\n');
        else conn.write('250 2.0.0 OK\r\n');
      }
    });
    servers.push(server);
    const r = await probe(server.port, 'starttls');
    expect(r.ok, JSON.stringify(r.failure)).toBe(true);
    // AUTH is on the reply's last line: the whole reply was read.
    expect(r.steps.find((s) => s.id === 'ehlo')?.info).toMatchObject({ authMethods: ['PLAIN', 'LOGIN'] });
  });

  it('sender: one pooled connection sends 200 messages (~1.1 MB of replies, one envelope of 100 recipients)', async () => {
    // 500-byte replies (RFC 5321's 512-byte line, CRLF included): the 100-recipient envelope
    // answers with ~51 KB at once, the connection's life with over four windows' worth.
    const pad = (reply: string) => `${reply} ${'x'.repeat(497 - reply.length)}`;
    const server = await startScriptedSmtp({
      mailFrom: () => pad('250 2.1.0 Ok'),
      rcptTo: () => pad('250 2.1.5 Ok'),
    });
    servers.push(server);
    const r = await openSender(server.port);
    if (!r.ok) throw new Error(JSON.stringify(r.failure));
    connections.push(r.connection);
    const to = Array.from({ length: 100 }, (_, i) => `rcpt${i}@example.test`);
    for (let n = 0; n < 200; n++) {
      const envelope = { from: 'alice@example.test', to: n === 0 ? to : to.slice(0, 10), smtpUtf8: false };
      const result = await r.connection.send(envelope, mime(n), noHooks);
      expect(result.ok, JSON.stringify(result)).toBe(true);
    }
    expect(server.accepted()).toHaveLength(200);
    expect(r.connection.usable).toBe(true);
    // The scripted server writes each reply on its own (Nagle on its side): ~50 ms a message.
  }, 60_000);
});
