import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sandboxPop3Messages, sandboxSmtp } from '../../test/helpers/sandbox-clients.js';
import { parseDeliveryStatus } from '../domain/inbound/bounce-dsn.js';
import type { IncomingSettings } from '../domain/mailbox/connection.js';
import { createImapMailbox } from '../mail/imap/imap-session.js';
import { createImapSentCopier } from '../mail/imap/sent-copy.js';
import { parseAllowList } from '../mail/net/allow-list.js';
import { createMailTargetResolver } from '../mail/net/mail-target-policy.js';
import { type Sandbox, startSandbox } from './sandbox.js';
import { sentFolderOf } from './sandbox-store.js';
import { SANDBOX_BOUNCING_CONTACT, SANDBOX_PERSONAS } from './sandbox-world.js';

const client = SANDBOX_PERSONAS.find((p) => p.behaviour === 'replies')!;
const away = SANDBOX_PERSONAS.find((p) => p.behaviour === 'out_of_office')!;
const anna = 'anna.nowak@firma-demo.test';

let dir: string;
let sandbox: Sandbox;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mailroom-sandbox-'));
  sandbox = await startSandbox({ dir, replyDelayMs: 50, bounceDelayMs: 20 });
  sandbox.store.setAccount(anna, 'annas-password');
});
afterEach(async () => {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Anna's mailbox on the sandbox IMAP server, through the network policy as the app dials it. */
function annasImap() {
  const resolver = createMailTargetResolver({
    allowList: parseAllowList(sandbox.allowListEntries().join(',')).entries,
  });
  const settings: IncomingSettings = {
    protocol: 'imap',
    host: '127.0.0.1',
    port: sandbox.imapPort,
    security: 'none',
    pinnedCert: null,
    auth: { type: 'password', user: anna, pass: 'annas-password' },
  };
  return { resolver, settings };
}

const send = (mail: SendMailOptions, pass = 'annas-password') =>
  sandboxSmtp(sandbox, anna, pass).sendMail(mail);

/** Anna's mailbox, read by mailroom's own POP3 adapter through the allow-list. */
async function annasMail(): Promise<Buffer[]> {
  const { uidsValid, messages } = await sandboxPop3Messages(sandbox, anna, 'annas-password');
  expect(uidsValid).toBe(true);
  return messages;
}

describe('sandbox mail server', () => {
  it('listens on 127.0.0.1 only, and the allow-list names exactly its three ports', async () => {
    expect(sandbox.host).toBe('127.0.0.1');
    expect(sandbox.allowListEntries()).toEqual([
      `127.0.0.1:${sandbox.smtpPort}`,
      `127.0.0.1:${sandbox.pop3Port}`,
      `127.0.0.1:${sandbox.imapPort}`,
    ]);
    const allow = parseAllowList(sandbox.allowListEntries().join(','));
    const resolver = createMailTargetResolver({ allowList: allow.entries });
    await expect(resolver.resolve('127.0.0.1', sandbox.smtpPort, 'smtp')).resolves.toMatchObject({
      address: '127.0.0.1',
    });
    // Another loopback service (here a listener of our own) stays unreachable.
    const other: Server = createServer();
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    const otherPort = (other.address() as { port: number }).port;
    await expect(resolver.resolve('127.0.0.1', otherPort, 'smtp')).rejects.toThrow();
    await expect(resolver.resolve('127.0.0.2', sandbox.smtpPort, 'smtp')).rejects.toThrow();
    await expect(resolver.resolve('localhost', sandbox.smtpPort, 'smtp')).rejects.toThrow();
    other.close();
  });

  it('refuses a wrong password and mail without AUTH', async () => {
    await expect(send({ from: anna, to: client.email, subject: 'x', text: 'x' }, 'wrong')).rejects.toThrow(
      /535/,
    );
    const noAuth = nodemailer.createTransport({ host: '127.0.0.1', port: sandbox.smtpPort, ignoreTLS: true });
    await expect(noAuth.sendMail({ from: anna, to: client.email, subject: 'x', text: 'x' })).rejects.toThrow(
      /530|auth/i,
    );
  });

  it('the simulated client replies in the thread; POP3 serves it', async () => {
    const sent = await send({
      from: { name: 'Anna Nowak', address: anna },
      to: client.email,
      subject: 'Oferta na wrzesień',
      text: 'Dzień dobry, przesyłam ofertę.',
      messageId: '<t.abc123.1@firma-demo.test>',
      references: ['<earlier@firma-demo.test>'],
    });
    expect(sent.accepted).toEqual([client.email]);
    await sandbox.settled();
    const [reply] = await annasMail();
    const parsed = await simpleParser(reply!);
    expect(parsed.from?.value[0]?.address).toBe(client.email);
    expect(parsed.subject).toBe('Re: Oferta na wrzesień');
    expect(parsed.inReplyTo).toBe('<t.abc123.1@firma-demo.test>');
    expect(parsed.references).toEqual(['<earlier@firma-demo.test>', '<t.abc123.1@firma-demo.test>']);
    expect(parsed.headers.get('auto-submitted')).toBeUndefined();
    expect(parsed.text).toContain('> Dzień dobry, przesyłam ofertę.');
  });

  it('the out-of-office contact answers with Auto-Submitted', async () => {
    await send({ from: anna, to: away.email, subject: 'Spotkanie', text: 'Czy pasuje wtorek?' });
    await sandbox.settled();
    const [notice] = await annasMail();
    const parsed = await simpleParser(notice!);
    expect(parsed.headers.get('auto-submitted')).toBe('auto-replied');
    expect(parsed.from?.value[0]?.address).toBe(away.email);
  });

  it('an unknown address bounces with an RFC 3464 report carrying the original headers', async () => {
    await send({
      from: anna,
      to: [SANDBOX_BOUNCING_CONTACT.email, client.email],
      subject: 'Do dwóch',
      text: 'x',
      messageId: '<t.bounce.1@firma-demo.test>',
      // Automatic mail is never answered by the simulated people (RFC 3834), but still bounces.
      headers: { 'Auto-Submitted': 'auto-generated' },
    });
    await sandbox.settled();
    const mail = await annasMail();
    expect(mail).toHaveLength(1);
    const raw = mail[0]!.toString('utf8');
    expect(raw).toMatch(/Content-Type: multipart\/report; report-type=delivery-status/);
    const status = raw
      .split('Content-Type: message/delivery-status')[1]!
      .split('\r\n\r\n')
      .slice(1, 3)
      .join('\r\n\r\n');
    expect(parseDeliveryStatus(status)).toEqual([
      expect.objectContaining({
        recipient: SANDBOX_BOUNCING_CONTACT.email,
        action: 'failed',
        status: '5.1.1',
      }),
    ]);
    expect(raw).toContain('Message-ID: <t.bounce.1@firma-demo.test>');
  });

  it('Zofia’s server refuses each email once for now (451 4.3.0) and takes the retry', async () => {
    const zofia = SANDBOX_PERSONAS.find((p) => p.behaviour === 'defers_once')!;
    const mail = {
      from: anna,
      to: zofia.email,
      subject: 'Termin',
      text: 'x',
      messageId: '<z.1@firma-demo.test>',
    };
    await expect(send(mail)).rejects.toThrow(/451 4\.3\.0/);
    expect(sandbox.store.list(zofia.email)).toHaveLength(0);
    expect((await send(mail)).accepted).toEqual([zofia.email]);
    expect(sandbox.store.list(zofia.email)).toHaveLength(1);
    // Another email: refused once again.
    await expect(send({ ...mail, messageId: '<z.2@firma-demo.test>' })).rejects.toThrow(/451/);
    await sandbox.settled();
    expect(await annasMail()).toEqual([]);
  });

  it('keeps mailboxes and ports in the data dir across restarts; and tells who got new mail', async () => {
    await send({ from: anna, to: anna, subject: 'Do siebie', text: 'x' });
    const ports = [sandbox.smtpPort, sandbox.pop3Port];
    const notified: string[] = [];
    await sandbox.close();
    sandbox = await startSandbox({ dir });
    sandbox.onDelivered((m) => notified.push(m));
    expect([sandbox.smtpPort, sandbox.pop3Port]).toEqual(ports);
    expect(sandbox.store.checkPassword(anna, 'annas-password')).toBe(true);
    expect(await annasMail()).toHaveLength(1);
    await send({ from: anna, to: anna, subject: 'Drugi', text: 'y' });
    expect(notified).toEqual([anna]);
    expect(sandbox.store.list(anna)).toHaveLength(2);
  });

  it("serves IMAP to mailroom's own adapter: SELECT, UID FETCH, IDLE wakes on new mail, and Copy in Sent appends", async () => {
    const { resolver, settings } = annasImap();
    await send({ from: anna, to: anna, subject: 'Pierwszy', text: 'raz' });
    const imap = createImapMailbox({ resolver, trustedCa: [] });
    const session = await imap.open(settings, { deadline: Date.now() + 10_000 });
    try {
      const box = await session.select(true);
      expect(box).toMatchObject({ exists: 1, idle: true, uidNext: 2 });
      const listed = await session.listAfter(0);
      expect(listed.messages.map((m) => m.uid)).toEqual([1]);
      const raw = await session.fetchRaw([{ uid: 1, allowed: 1024 * 1024 }]);
      expect(raw.raws.get(1)!.toString()).toContain('Subject: Pierwszy');
      // The byte range is honoured: a body allowed 10 bytes is cut at 11 and reported.
      expect(await session.fetchRaw([{ uid: 1, allowed: 10 }])).toEqual({
        raws: new Map(),
        outgrown: [1],
        bytes: 11,
      });
      // IDLE: new mail wakes the waiting session.
      let accepted: () => void = () => {};
      const inIdle = new Promise<void>((r) => {
        accepted = r;
      });
      const woke = session.waitForNew(10_000, new AbortController().signal, () => accepted());
      await inIdle; // the server acknowledged IDLE: new mail is announced from now on
      await send({ from: anna, to: anna, subject: 'Drugi', text: 'dwa' });
      expect(await woke).toBe(true);
      expect((await session.listAfter(1)).messages.map((m) => m.uid)).toEqual([2]);
      await session.delete([1]);
    } finally {
      await session.close();
    }
    expect(sandbox.store.list(anna).map((m) => m.imapUid)).toEqual([2]);

    const copier = createImapSentCopier({ resolver, target: async () => ({ kind: 'imap', settings }) });
    const mime = Buffer.from('From: <anna.nowak@firma-demo.test>\r\nSubject: Kopia\r\n\r\nTekst\r\n');
    const outcome = await copier.append('ws', 'addr', mime, new AbortController().signal);
    expect(outcome.status).toBe('done');
    const [copy] = sandbox.store.list(sentFolderOf(anna));
    expect(sandbox.store.read(copy!).toString()).toContain('Subject: Kopia');
  });

  it('keeps an IMAP IDLE session through quiet spells longer than the socket timeout', async () => {
    // A quiet IDLE outlives the socket timeout: without re-issuing IDLE in time, imapflow's
    // recovery NOOP ended IDLE and the next timeout closed the connection ("IMAP closed at
    // idle" every few minutes; new mail went unannounced after the first minute).
    const { settings, resolver } = annasImap();
    const imap = createImapMailbox({ resolver, trustedCa: [], socketMs: 400 });
    const session = await imap.open(settings, { deadline: Date.now() + 30_000 });
    try {
      await session.select(false);
      let accepted: () => void = () => {};
      const inIdle = new Promise<void>((r) => {
        accepted = r;
      });
      const woke = session.waitForNew(20_000, new AbortController().signal, () => accepted());
      await inIdle;
      // Quiet for six socket timeouts, then new mail.
      await new Promise((r) => setTimeout(r, 2_400));
      await send({ from: anna, to: anna, subject: 'Po ciszy', text: 'x' });
      expect(await woke).toBe(true);
    } finally {
      await session.close();
    }
  });
});
