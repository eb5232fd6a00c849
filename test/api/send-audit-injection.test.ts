import { domainToASCII } from 'node:url';
import { eq } from 'drizzle-orm';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outgoingMessages } from '../../src/db/schema/index.js';
import { wireProblem } from '../../src/mail/message/compose-outgoing-wire.js';
import { outboxFixture } from '../helpers/outbox-fixture.js';
import { createTestApp, type TestApp, type TestWorkspace } from '../helpers/test-app.js';
import { type RawSmtpServer, startRawSmtpServer } from '../servers/smtp-raw-server.js';

/**
 * Independent header-injection sweep of issue 9 (send-audit; M55, SECURITY.md §3.3, §7 cases
 * 19–27) through the public API only: hostile addresses, names, titles and attachment names are
 * refused with 400, a stable code and the field path; the tricky-but-legal ones are sent, and
 * both the frozen MIME and the bytes that reach the SMTP server are clean and CRLF-only.
 */
let t: TestApp;
let ws: TestWorkspace;
let server: RawSmtpServer;
const wire: { mailFrom: string; rcpts: string[]; data: Buffer }[] = [];

beforeAll(async () => {
  t = await createTestApp({}, {}, { outbox: { pollMs: 200, options: { sweepEveryMs: 0 } } });
  ws = await t.newWorkspace('Firma Audyt');
  // A plaintext server without SMTPUTF8 that records each transaction's exact data bytes.
  server = await startRawSmtpServer(async (conn) => {
    conn.write('220 audit.localhost ESMTP\r\n');
    let mailFrom = '';
    let rcpts: string[] = [];
    for (;;) {
      const line = await conn.readLine();
      if (line === null) return;
      const verb = line.split(/[ :]/)[0]?.toUpperCase() ?? '';
      if (verb === 'EHLO') conn.write('250-audit.localhost\r\n250-8BITMIME\r\n250 AUTH PLAIN LOGIN\r\n');
      else if (verb === 'AUTH') conn.write('235 2.7.0 Ok\r\n');
      else if (verb === 'MAIL') {
        mailFrom = line;
        rcpts = [];
        conn.write('250 2.1.0 Ok\r\n');
      } else if (verb === 'RCPT') {
        rcpts.push(line);
        conn.write('250 2.1.5 Ok\r\n');
      } else if (verb === 'DATA') {
        conn.write('354 go ahead\r\n');
        const lines: string[] = [];
        for (;;) {
          const l = await conn.readLine();
          if (l === null) return;
          if (l === '.') break;
          lines.push(l);
        }
        wire.push({ mailFrom, rcpts, data: Buffer.from(`${lines.join('\r\n')}\r\n`, 'latin1') });
        conn.write(`250 2.0.0 Ok: queued as W${wire.length}\r\n`);
      } else if (verb === 'RSET' || verb === 'NOOP') conn.write('250 2.0.0 Ok\r\n');
      else if (verb === 'QUIT') {
        conn.write('221 Bye\r\n');
        return;
      } else conn.write('502 5.5.1 no\r\n');
    }
  });
  t.startWorker();
});
afterAll(async () => {
  await t?.close();
  await server?.close();
});

interface ErrorBody {
  error: { code: string; details?: { fields?: { path: string; code: string }[] } };
}
/** The field issues of a refusal (status 4xx, stable error code). */
function refusal(res: { statusCode: number; body: string; json(): unknown }, status = 400) {
  expect(res.statusCode, res.body).toBe(status);
  const body = res.json() as ErrorBody;
  expect(body.error.code).toMatch(/^[A-Z_]+$/);
  return {
    code: body.error.code,
    fields: Object.fromEntries((body.error.details?.fields ?? []).map((f) => [f.path, f.code])),
  };
}

const HOSTILE_ADDRESSES: [string, string][] = [
  ['CRLF + Bcc header', 'anna@klient.example\r\nBcc: evil@evil.example'],
  ['lone LF', 'anna\n@klient.example'],
  ['lone CR', 'anna\r@klient.example'],
  ['NUL', 'anna\u0000@klient.example'],
  ['U+2028', 'anna@klient.example\u2028Bcc: evil@evil.example'],
  ['U+0085 (NEL)', 'anna\u0085@klient.example'],
  ['bidi override', 'anna\u202e@klient.example'],
  ['zero-width in domain', 'anna@kli\u200bent.example'],
  ['soft hyphen in domain', 'anna@kli\u00adent.example'],
  ['word joiner', 'anna\u2060@klient.example'],
  ['tag character', 'anna@klient.example\u{e0041}'],
  ['quoted local with @ (GHSA-mm7p-fcc7-pg87)', '"victim@good.example x"@evil.example'],
  ['display name form', 'Anna <anna@klient.example>'],
  ['group syntax', 'undisclosed: anna@klient.example;'],
  ['two addresses', 'anna@klient.example, evil@evil.example'],
  ['route syntax', '@relay.example:anna@klient.example'],
  ['comment', 'anna(comment)@klient.example'],
  ['IP literal', 'anna@[127.0.0.1]'],
  ['non-ASCII local part (no SMTPUTF8 promise)', 'пользователь@пример.рф'],
  ['local part over 64 octets', `${'a'.repeat(65)}@klient.example`],
];

describe('hostile input is refused through the API with a code and field path (cases 19–21, 23)', () => {
  let projectId = '';
  let task = '';
  beforeAll(async () => {
    projectId = (await ws.admin.request('POST', '/api/projects', { name: 'Okna' })).json().id;
    task = (await ws.admin.request('POST', '/api/tasks', { projectId, title: 'Zwykły' })).json().id;
  });

  it('a trailing line break around an address is trimmed, never stored', async () => {
    const res = await ws.admin.request('POST', '/api/contacts', {
      name: 'Anna',
      emails: [{ email: ' anna@klient.example\r\n' }],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().emails[0].email).toBe('anna@klient.example');
  });

  it.each(HOSTILE_ADDRESSES)('contact email: %s', async (_label, email) => {
    const res = await ws.admin.request('POST', '/api/contacts', { name: 'Anna', emails: [{ email }] });
    expect(refusal(res).fields['/body/emails/0/email']).toBeTruthy();
  });

  it.each(HOSTILE_ADDRESSES)('employee email: %s', async (_label, email) => {
    const res = await ws.admin.request('POST', '/api/employees', {
      name: 'Ewa',
      email,
      password: 'employee password 123',
    });
    const r = refusal(res);
    expect(r.fields['/body/email']).toBeTruthy();
  });

  it.each(HOSTILE_ADDRESSES)('sender address email and Reply-To: %s', async (_label, email) => {
    const res = await ws.admin.request('POST', '/api/company/email-addresses', { email });
    expect(refusal(res).fields['/body/email']).toBeTruthy();
    const reply = await ws.admin.request('POST', '/api/company/email-addresses', {
      email: 'biuro@firma.example',
      replyTo: email,
    });
    expect(refusal(reply).fields['/body/replyTo']).toBeTruthy();
  });

  const BREAKS = [
    'Wycena\r\nBcc: evil@evil.example',
    'Wycena\nokien',
    'Wycena\rokien',
    'Wy\u0000cena',
    'Wycena\u0085okien',
    'Wycena\u2028okien',
    'Wycena\u202eokien',
  ];

  it.each(BREAKS)('task title %j (the subject)', async (title) => {
    const res = await ws.admin.request('POST', '/api/tasks', { projectId, title });
    expect(refusal(res).fields['/body/title']).toBeTruthy();
  });

  it.each(BREAKS)('attachment file name %j', async (filename) => {
    const res = await ws.admin.request('POST', `/api/tasks/${task}/comments`, {
      body: 'x',
      attachments: [{ filename, contentType: 'text/plain', content: Buffer.from('hi').toString('base64') }],
    });
    expect(refusal(res).fields['/body/attachments/0/filename']).toBeTruthy();
  });

  it.each(['text/plain\r\nBcc: evil@evil.example', 'text/plain\u2028x'])(
    'attachment content type %j',
    async (contentType) => {
      const res = await ws.admin.request('POST', `/api/tasks/${task}/comments`, {
        body: 'x',
        attachments: [{ filename: 'a.txt', contentType, content: Buffer.from('hi').toString('base64') }],
      });
      expect(refusal(res).fields['/body/attachments/0/contentType']).toBeTruthy();
    },
  );

  it('a 1 MB comma-separated recipient string is refused quickly (case 21)', async () => {
    const email = 'a@b.example,'.repeat(90_000).slice(0, 1_000_000);
    const started = performance.now();
    const res = await ws.admin.request('POST', '/api/contacts', { name: 'Anna', emails: [{ email }] });
    expect(res.statusCode).toBe(400);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('an unknown field on an attachment (path, href) is refused, never read (case 26)', async () => {
    for (const extra of [{ path: '/etc/passwd' }, { href: 'http://169.254.169.254/' }, { raw: 'Bcc: x' }]) {
      const res = await ws.admin.request('POST', `/api/tasks/${task}/comments`, {
        body: 'x',
        attachments: [{ filename: 'a.txt', content: '', ...extra }],
      });
      expect(res.statusCode, res.body).toBe(400);
    }
  });

  it('error messages for a refused field come in Polish with the same stable code', async () => {
    const res = await ws.admin.request(
      'POST',
      '/api/contacts',
      { name: 'Anna', emails: [{ email: 'anna\r\n@klient.example' }] },
      { 'accept-language': 'pl' },
    );
    const body = res.json() as { error: { code: string; message: string } };
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.message).not.toMatch(/^[\x20-\x7e]*$/); // Polish text, not the English default
  });
});

/** Header block of the data as received (latin1: every octet one character). */
const headerBlockOf = (data: Buffer) => {
  const text = data.toString('latin1');
  return text.slice(0, text.indexOf('\r\n\r\n'));
};

describe('tricky but legal input reaches the wire clean (cases 19, 22–24)', () => {
  it('names, title, IDN contact, attachment names and dot lines: clean MIME and clean wire bytes', async () => {
    const fx = outboxFixture({ db: t.ctx.db, secretBox: t.ctx.secretBox });
    const addressId = await fx.address({
      workspaceId: ws.workspaceId,
      email: 'biuro@firma.example',
      port: server.port,
      security: 'none',
    });
    const projectId = (await ws.admin.request('POST', '/api/projects', { name: 'Sklep' })).json().id;
    const contactName = 'Kowalski, Jan "JK" <boss@evil.example> Żółć';
    const contact = await ws.admin.request('POST', '/api/contacts', {
      name: contactName,
      emails: [{ email: 'Jan@Żółw.Example' }],
    });
    expect(contact.statusCode, contact.body).toBe(201);
    // Line() lets zero-width and soft hyphen through in titles; the composer strips them.
    const title = `Zamówienie\u200b nr 7\u00ad =?utf-8?b?QQ0KQmNjOiBldmlsQGV2aWwuZXhhbXBsZQ==?= ${'ąę'.repeat(100)}`;
    const task = await ws.admin.request('POST', '/api/tasks', {
      projectId,
      title,
      contactIds: [contact.json().id],
    });
    expect(task.statusCode, task.body).toBe(201);
    const names = [
      '..\\..\\windows\\system32\\evil.exe',
      'faktura".pdf',
      'rachunek\u200f\u061cfdp.exe',
      '=?utf-8?q?evil=0D=0ABcc:_x?=.pdf',
      'a;name=evil.exe',
      `${'długa-nazwa-'.repeat(20)}.pdf`,
      '\u200b\u200b.txt',
    ];
    const body = 'Linia\n.\nkropka\r.\rsama\r\n.\r\n..dwie\n.';
    const res = await ws.admin.request('POST', `/api/tasks/${task.json().id}/comments`, {
      body,
      notifyContactIds: [contact.json().id],
      senderAddressId: addressId,
      attachments: names.map((filename) => ({
        filename,
        contentType: 'application/pdf',
        content: Buffer.from(`file ${filename}`).toString('base64'),
      })),
    });
    expect(res.statusCode, res.body).toBe(201);
    const before = wire.length;
    t.ctx.outboxWakeup.committed();
    await t.ctx.outbox.idle();
    const [row] = await t.ctx.db
      .select()
      .from(outgoingMessages)
      .where(eq(outgoingMessages.commentId, res.json().id));
    expect(row!.status, JSON.stringify(row!.failure)).toBe('sent');
    expect(wire.length).toBe(before + 1);
    const got = wire.at(-1)!;

    for (const bytes of [row!.mime!, got.data]) {
      expect(wireProblem(bytes)).toBeNull();
      const head = headerBlockOf(bytes);
      // Without SMTPUTF8 every header octet is ASCII (RFC 2047 encoding), and no header was injected.
      expect(head).toMatch(/^[\x20-\x7e\r\n\t]*$/);
      const names = head
        .split('\r\n')
        .filter((l) => /^[^\s]/.test(l))
        .map((l) => l.slice(0, l.indexOf(':')).toLowerCase());
      for (const h of ['from', 'to', 'subject', 'message-id', 'date'])
        expect(names.filter((n) => n === h)).toHaveLength(1);
      expect(names).not.toContain('bcc');
      expect(names).not.toContain('cc');
    }
    // Envelope: punycode domain, no SMTPUTF8 asked.
    expect(got.rcpts).toEqual([`RCPT TO:<Jan@${domainToASCII('żółw.example')}>`]);
    expect(got.rcpts[0]).toMatch(/@xn--/);
    expect(got.mailFrom).not.toMatch(/SMTPUTF8/);
    // Dot-stuffing on the wire: every data line starting with a dot carries a second one.
    for (const line of got.data.toString('latin1').split('\r\n')) expect(line === '.').toBe(false);

    const mail = await simpleParser(row!.mime!);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value.map((v) => v.name) : []).toEqual([contactName]);
    expect(headerBlockOf(row!.mime!)).toContain(`<${got.rcpts[0]!.slice('RCPT TO:<'.length, -1)}>`);
    expect(mail.subject).toBe(title.replace(/[\u200b\u00ad]/g, ''));
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.text).toContain('Linia\n.\nkropka\n.\nsama\n.\n..dwie\n.');
    expect(mail.attachments).toHaveLength(names.length);
    for (const a of mail.attachments) {
      expect(a.filename).toBeTruthy();
      expect(a.filename).not.toMatch(/[\\/"\r\n\u0000-\u001f\p{Cf}]|=\?/u);
      expect([...a.filename!].length).toBeLessThanOrEqual(200);
    }
    expect(mail.attachments.map((a) => a.content.toString())).toEqual(names.map((n) => `file ${n}`));
  });

  it('an attachment filename shown back by the API and its download headers stay clean', async () => {
    const projectId = (await ws.admin.request('POST', '/api/projects', { name: 'Pliki' })).json().id;
    const task = (await ws.admin.request('POST', '/api/tasks', { projectId, title: 'Pliki' })).json().id;
    const res = await ws.admin.request('POST', `/api/tasks/${task}/comments`, {
      body: 'x',
      attachments: [
        { filename: 'ok\ud800.pdf', content: Buffer.from('b').toString('base64') },
        { filename: 'tag\u{e0041}\u061c.pdf', content: Buffer.from('c').toString('base64') },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    for (const a of res.json().attachments as { filename: string; url: string }[]) {
      expect(a.filename).not.toMatch(/[\u202e\ud800-\udfff]/u);
      const dl = await ws.admin.request('GET', a.url);
      expect(dl.statusCode, dl.body).toBe(200);
      expect(String(dl.headers['content-disposition'])).toMatch(
        /^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''[\x21-\x7e]+$/,
      );
    }
  });
});

describe('names from the workspace reach From clean', () => {
  it('an employee with an emoji and quotes in the name sends from their own address; From is encoded, single', async () => {
    const name = 'Łucja "Ł" Żółć, kierownik 📬';
    const ewa = await ws.newEmployee({ name });
    const fx = outboxFixture({ db: t.ctx.db, secretBox: t.ctx.secretBox });
    const addressId = await fx.address({
      workspaceId: ws.workspaceId,
      email: 'lucja@firma.example',
      port: server.port,
      security: 'none',
      ownerEmployeeId: ewa.employeeId,
    });
    const projectId = (await ws.admin.request('POST', '/api/projects', { name: 'Od' })).json().id;
    const contact = (
      await ws.admin.request('POST', '/api/contacts', {
        name: 'Anna',
        emails: [{ email: 'anna@klient.example' }],
      })
    ).json().id;
    const task = (
      await ewa.request('POST', '/api/tasks', { projectId, title: 'Od kogo', contactIds: [contact] })
    ).json().id;
    const res = await ewa.request('POST', `/api/tasks/${task}/comments`, {
      body: 'x',
      notifyContactIds: [contact],
      senderAddressId: addressId,
    });
    expect(res.statusCode, res.body).toBe(201);
    t.ctx.outboxWakeup.committed();
    await t.ctx.outbox.idle();
    const [row] = await t.ctx.db
      .select()
      .from(outgoingMessages)
      .where(eq(outgoingMessages.commentId, res.json().id));
    expect(row!.status, JSON.stringify(row!.failure)).toBe('sent');
    const mail = await simpleParser(row!.mime!);
    expect(mail.from?.value).toEqual([{ address: 'lucja@firma.example', name }]);
    expect(headerBlockOf(row!.mime!)).toMatch(/^[\x20-\x7e\r\n\t]*$/);
  });
});
