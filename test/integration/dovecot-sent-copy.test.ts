import { randomUUID } from 'node:crypto';
import { chmodSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmailAddressInsert } from '../../src/db/repositories/email-address.repository.js';
import { addressRow } from '../helpers/address-row.js';
import { registerSecret } from '../helpers/leak-scan.js';
import { serviceMissing } from '../helpers/require-service.js';
import { createTestApp, type TestApp, type TestWorkspace } from '../helpers/test-app.js';
import { type DovecotInstance, dovecotMissingReason, startDovecot } from '../servers/dovecot.js';

const PASSWORD = registerSecret('Sent-Copy-Pass 9');
const USER = 'sonia@firma.example';
const FULL = 'pelna@firma.example';
const missing = serviceMissing('Dovecot', dovecotMissingReason());

/** Every file under the maildir whose bytes contain `needle`, with its path. */
function findInMaildir(root: string, needle: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (readFileSync(p).includes(needle)) out.push(p);
    }
  };
  walk(root);
  return out;
}

const mimeWith = (messageId: string) =>
  Buffer.from(
    `From: Sonia <${USER}>\r\nTo: klient@example.com\r\nSubject: Oferta\r\nMessage-ID: ${messageId}\r\nDate: Fri, 04 Dec 2026 10:00:00 +0000\r\n\r\nDzień dobry\r\n`,
  );

/** Copy in Sent (M57, issue 9 item 4) through a real Dovecot IMAP server. */
describe.skipIf(missing)('Copy in Sent against Dovecot', () => {
  let dovecot: DovecotInstance;
  let t: TestApp;
  let ws: TestWorkspace;
  let n = 0;

  beforeAll(async () => {
    dovecot = await startDovecot({
      users: [
        { user: USER, password: PASSWORD },
        { user: FULL, password: PASSWORD },
      ],
    });
    t = await createTestApp();
    ws = await t.newWorkspace();
  });
  afterAll(async () => {
    await t?.close();
    await dovecot?.stop();
  });

  /** An address row straight through the repository, with an encrypted password. */
  async function address(values: Partial<EmailAddressInsert>, password = PASSWORD) {
    const id = randomUUID();
    return t.ctx.mailbox.addresses.insert(
      addressRow({
        id,
        workspaceId: ws.workspaceId,
        scope: 'company',
        email: `sent${++n}@firma.example`,
        login: USER,
        passwordEnc: t.ctx.secretBox.encrypt(password, {
          workspaceId: ws.workspaceId,
          rowId: id,
          field: 'password',
        }),
        incomingProtocol: 'imap',
        incomingHost: '127.0.0.1',
        incomingPort: dovecot.ports.imaps,
        incomingSecurity: 'tls',
        ...values,
      }),
    );
  }

  const append = (addressId: string, mime: Buffer) =>
    t.ctx.sentCopier.append(ws.workspaceId, addressId, mime, AbortSignal.timeout(30_000));

  it('appends to the folder flagged \\Sent (not the one merely named Sent), marked as read', async () => {
    const a = await address({});
    const messageId = `<mr.${randomUUID()}@firma.example>`;
    const outcome = await append(a.id, mimeWith(messageId));
    expect(outcome).toEqual({ status: 'done', detail: { folder: 'Nadane' } });
    const files = findInMaildir(dovecot.maildir(USER), messageId);
    expect(files).toHaveLength(1);
    // Maildir++ keeps each folder as a ".Name" directory; ":2,S" is the \Seen flag.
    expect(files[0]).toContain('/.Nadane/');
    expect(files[0]).toMatch(/:2,[A-Z]*S[A-Z]*$/);
  });

  it('works over STARTTLS too', async () => {
    const a = await address({ incomingPort: dovecot.ports.imap, incomingSecurity: 'starttls' });
    const messageId = `<mr.${randomUUID()}@firma.example>`;
    expect((await append(a.id, mimeWith(messageId))).status).toBe('done');
    expect(findInMaildir(dovecot.maildir(USER), messageId)).toHaveLength(1);
  });

  it('a refused login fails the copy with the reason, never the password', async () => {
    const a = await address({}, registerSecret('wrong password 42'));
    const outcome = await append(a.id, mimeWith('<mr.refused@firma.example>'));
    expect(outcome.status).toBe('failed');
    expect(outcome.detail).toMatchObject({
      reason: 'imap',
      step: 'auth',
      failure: { kind: 'auth', protocol: 'imap' },
    });
    expect(JSON.stringify(outcome)).not.toContain('wrong password 42');
    expect(findInMaildir(dovecot.maildir(USER), '<mr.refused@firma.example>')).toEqual([]);
  });

  it('a refused APPEND fails the copy with the server’s reply, and nothing is stored', async () => {
    const a = await address({ login: FULL });
    // The first copy creates and fills the folder; then the server may no longer write into it.
    expect((await append(a.id, mimeWith('<mr.first@firma.example>'))).status).toBe('done');
    const folder = join(dovecot.maildir(FULL), '.Nadane');
    for (const sub of ['', 'tmp', 'new', 'cur']) chmodSync(join(folder, sub), 0o555);
    const outcome = await append(a.id, mimeWith('<mr.refused-append@firma.example>'));
    expect(outcome).toMatchObject({ status: 'failed', detail: { reason: 'imap', step: 'append' } });
    const failure = (outcome.detail as { failure: { kind: string; response?: string } }).failure;
    expect(failure.kind).toBe('reply');
    expect(failure.response ?? '').not.toBe('');
    expect(findInMaildir(dovecot.maildir(FULL), '<mr.refused-append@firma.example>')).toEqual([]);
  });

  it('a server that is not there fails the copy within its deadline', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const a = await address({ incomingPort: port });
    const started = Date.now();
    const outcome = await append(a.id, mimeWith('<mr.nothing@firma.example>'));
    expect(outcome).toMatchObject({
      status: 'failed',
      detail: { step: 'connect', failure: { kind: 'connect' } },
    });
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('skips addresses without IMAP, providers that file sent mail themselves, and missing addresses', async () => {
    const pop3 = await address({ incomingProtocol: 'pop3', incomingPort: dovecot.ports.pop3s });
    expect(await append(pop3.id, mimeWith('<mr.pop3@firma.example>'))).toEqual({
      status: 'skipped',
      detail: { reason: 'no_imap' },
    });
    const gmail = await address({ presetId: 'gmail' });
    expect(await append(gmail.id, mimeWith('<mr.gmail@firma.example>'))).toEqual({
      status: 'skipped',
      detail: { reason: 'provider_files_sent' },
    });
    const customGmail = await address({ smtpHost: 'smtp.gmail.com' });
    expect((await append(customGmail.id, mimeWith('<mr.g2@firma.example>'))).detail).toEqual({
      reason: 'provider_files_sent',
    });
    expect((await append(randomUUID(), mimeWith('<mr.none@firma.example>'))).detail).toEqual({
      reason: 'address_unavailable',
    });
    expect(findInMaildir(dovecot.maildir(USER), '<mr.gmail@firma.example>')).toEqual([]);
  });
});
