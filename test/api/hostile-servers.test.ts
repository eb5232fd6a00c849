import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAILBOX, startMailbox } from '../helpers/mail-servers.js';
import { createTestApp, type TestApp, type TestWorkspace } from '../helpers/test-app.js';
import { serveCommands, startRawSmtpServer } from '../servers/smtp-raw-server.js';

let t: TestApp;
let ws: TestWorkspace;
let box: Awaited<ReturnType<typeof startMailbox>>;
beforeAll(async () => {
  t = await createTestApp({ testRateLimit: '10' });
  ws = await t.newWorkspace();
  box = await startMailbox();
});
afterAll(async () => {
  await box?.close();
  await t?.close();
});

const rawServer = (onConnect: (socket: import('node:net').Socket) => void) =>
  new Promise<Server>((resolve) => {
    const s = createServer((sock) => {
      sock.on('error', () => {});
      onConnect(sock);
    });
    s.listen(0, '127.0.0.1', () => resolve(s));
  });
const portOf = (s: Server) => (s.address() as import('node:net').AddressInfo).port;

describe('hostile and odd servers through Test account (SECURITY §7)', () => {
  it('28: a reply with markup and 20 KB of junk comes back sanitised and capped', async () => {
    const raw = await startRawSmtpServer(async (conn) => {
      conn.write('220 raw.localhost ESMTP\r\n');
      for (;;) {
        const line = await conn.readLine();
        if (line === null) return;
        if (line.startsWith('EHLO')) conn.write('250-raw.localhost\r\n250 AUTH PLAIN LOGIN\r\n');
        else if (line.startsWith('AUTH'))
          conn.write(`535 5.7.8 <script>alert(1)</script>\u0007${'x'.repeat(20_000)}\r\n`);
        else if (line.startsWith('QUIT')) return void conn.write('221 bye\r\n');
        else conn.write('250 ok\r\n');
      }
    });
    try {
      const res = await ws.admin.request(
        'POST',
        '/api/email-addresses/test',
        box.fields({ smtp: { host: '127.0.0.1', port: raw.port, security: 'none' } }),
      );
      const auth = res.json().smtp.steps.find((s: { id: string }) => s.id === 'auth');
      expect(auth.outcome).toBe('failed');
      expect(auth.reply.length).toBeLessThanOrEqual(300);
      expect(auth.reply).not.toMatch(/[\u0000-\u001f]/);
      expect(auth.reply).toContain('535');
      expect(auth.diagnosis.cause).toBeTruthy();
    } finally {
      await raw.close();
    }
  });

  it('9: a non-mail banner is never echoed; a closed port gets a plain explanation', async () => {
    const ssh = await rawServer((sock) =>
      sock.write('SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3 internal-build-host\r\n'),
    );
    const closed = await rawServer(() => {});
    const closedPort = portOf(closed);
    await new Promise((r) => closed.close(r));
    try {
      const res = await ws.admin.request(
        'POST',
        '/api/email-addresses/test',
        box.fields({
          smtp: { host: '127.0.0.1', port: portOf(ssh), security: 'none' },
          incoming: { protocol: 'pop3', host: '127.0.0.1', port: closedPort, security: 'none' },
        }),
      );
      const body = res.json();
      expect(res.body).not.toContain('OpenSSH');
      expect(res.body).not.toContain('internal-build-host');
      expect(body.smtp.ok).toBe(false);
      expect(body.smtp.diagnosis.cause).toBeTruthy();
      expect(body.incoming.diagnosis.id).toBe('connection-refused');
    } finally {
      await new Promise((r) => ssh.close(r));
    }
  });

  it('29: STARTTLS stripped by the server → aborted before AUTH, explained', async () => {
    const raw = await startRawSmtpServer(async (conn) => {
      conn.write('220 raw.localhost ESMTP\r\n');
      await serveCommands(conn, '250-raw.localhost\r\n250 AUTH PLAIN LOGIN\r\n');
    });
    try {
      const res = await ws.admin.request(
        'POST',
        '/api/email-addresses/test',
        box.fields({ smtp: { host: '127.0.0.1', port: raw.port, security: 'starttls' } }),
      );
      const body = res.json();
      expect(body.smtp.ok).toBe(false);
      expect(body.smtp.diagnosis.id).toBe('starttls-unavailable');
      expect(raw.plaintext().toString('latin1')).not.toMatch(/AUTH|PASS/);
      expect(raw.plaintext().toString('latin1')).not.toContain(MAILBOX.password);
    } finally {
      await raw.close();
    }
  });

  it('10: the 11th test in a minute by one employee answers 429, and every run is audited', async () => {
    const emp = await ws.newEmployee();
    const codes: number[] = [];
    for (let i = 0; i < 11; i++) {
      const r = await emp.request(
        'POST',
        '/api/email-addresses/test',
        box.fields({ smtp: { host: '10.1.2.3', port: 465, security: 'tls' } }),
      );
      codes.push(r.statusCode);
    }
    expect(codes.slice(0, 10).every((c) => c === 200)).toBe(true);
    expect(codes[10]).toBe(429);
    const audit = (
      await ws.admin.request(
        'GET',
        `/api/audit-log?action=email_address.tested&actorEmployeeId=${emp.employeeId}`,
      )
    ).json();
    expect(audit.total).toBe(10);
  });
});
