import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type RawSmtpConnection,
  type RawSmtpServer,
  startRawSmtpServer,
} from '../../../test/servers/smtp-raw-server.js';
import { openLoopbackSender } from '../../../test/servers/smtp-sender-open.js';
import type { SenderConnection } from '../../ports/mail-sender.js';

const servers: RawSmtpServer[] = [];
const connections: SenderConnection[] = [];
afterEach(async () => {
  for (const c of connections.splice(0)) await c.close();
  for (const s of servers.splice(0)) await s.close();
});

/** A plain SMTP server: greeting, EHLO, AUTH PLAIN, then mail transactions until `onMail` says stop. */
async function server(onMail: (n: number, conn: RawSmtpConnection) => 'ok' | 'drop') {
  let mails = 0;
  const s = await startRawSmtpServer(async (conn) => {
    conn.write('220 sink.localhost ESMTP\r\n');
    for (;;) {
      const line = await conn.readLine();
      if (line === null) return;
      const verb = line.slice(0, 4).toUpperCase();
      if (verb === 'EHLO') conn.write('250-sink.localhost\r\n250-PIPELINING\r\n250 AUTH PLAIN\r\n');
      else if (verb === 'AUTH') conn.write('235 2.7.0 ok\r\n');
      else if (verb === 'MAIL') {
        if (onMail(++mails, conn) === 'drop') return conn.reset();
        conn.write('250 2.1.0 ok\r\n');
      } else if (verb === 'RCPT') conn.write('250 2.1.5 ok\r\n');
      else if (verb === 'DATA') {
        conn.write('354 go ahead\r\n');
        while ((await conn.readLine()) !== '.') {}
        conn.write(`250 2.0.0 queued as Q${mails}\r\n`);
      } else if (verb === 'QUIT') return conn.write('221 bye\r\n');
      else conn.write('250 ok\r\n');
    }
  });
  servers.push(s);
  return s;
}

async function open(port: number): Promise<SenderConnection> {
  const c = await openLoopbackSender(port);
  connections.push(c);
  return c;
}

const mime = Buffer.from('Subject: hi\r\n\r\nhello\r\n');
const envelope = { from: 'u@firma.example', to: ['c@example.com'], smtpUtf8: false };
const noHooks = { beforeDataEnd: async () => {} };

describe('SMTP sender connection', () => {
  it('sends many emails on one connection without a new listener on the connection-failure promise per email', async () => {
    const s = await server(() => 'ok');
    const c = await open(s.port);
    // The session's `failed` settles only when the connection dies: a reaction added per send
    // would stay until then (one per email for the connection's whole life).
    const failed = (c as unknown as { session: { failed: Promise<never> } }).session.failed;
    const then = vi.spyOn(failed, 'then');
    for (let i = 1; i <= 5; i++) {
      const r = await c.send(envelope, mime, noHooks);
      expect(r).toMatchObject({ ok: true, queueId: `Q${i}` });
    }
    expect(then).not.toHaveBeenCalled();
  });

  it('a connection lost mid-send ends that send as a failure before the data, and marks the connection broken', async () => {
    const s = await server((n) => (n === 2 ? 'drop' : 'ok'));
    const c = await open(s.port);
    expect(await c.send(envelope, mime, noHooks)).toMatchObject({ ok: true });
    const r = await c.send(envelope, mime, noHooks);
    expect(r).toMatchObject({ ok: false, phase: 'before_data_end', broken: true });
    expect(c.usable).toBe(false);
    // A later send on the dead connection fails at once.
    expect(await c.send(envelope, mime, noHooks)).toMatchObject({ ok: false, broken: true });
  });
});
