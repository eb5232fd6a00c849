import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncomingSettings, MailSecurity } from '../../src/domain/mailbox/connection.js';
import { createPop3Mailbox } from '../../src/mail/pop3/pop3-mailbox.js';
import { createPop3Prober } from '../../src/mail/pop3/pop3-probe.js';
import { serviceMissing } from '../helpers/require-service.js';
import { testCaPem } from '../helpers/tls-fixtures.js';
import { type DovecotInstance, dovecotMissingReason, startDovecot } from '../servers/dovecot.js';
import { createLoopbackResolver } from '../servers/loopback-resolver.js';

const PASSWORD = 'Pop-Secret-77 ąę';
const missing = serviceMissing('Dovecot', dovecotMissingReason());

/** Messages with the hard parts: 8-bit bytes, lines that are or start with a dot, long lines. */
const MESSAGES = [
  Buffer.from('From: a@example.test\nSubject: plain\n\nHello\n'),
  Buffer.concat([
    Buffer.from('From: b@example.test\nSubject: 8bit\nContent-Type: text/plain; charset=koi8-r\n\n'),
    Buffer.from([0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4, 0x0a]),
  ]),
  Buffer.from('From: c@example.test\nSubject: dots\n\n.\n..two\n.leading\nend\n'),
  Buffer.from(`From: d@example.test\nSubject: long\n\n${'x'.repeat(5000)}\n`),
  // Stored with LF: LIST counts CRLF line ends (what RETR sends), not the 2,000 octets on disk.
  Buffer.from(`From: e@example.test\nSubject: short lines\n\n${'\n'.repeat(1000)}${'.\n'.repeat(500)}`),
];
/** What POP3 must hand back: the stored bytes with CRLF line endings, dots unstuffed. */
const expected = (raw: Buffer) => Buffer.from(raw.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');

describe.skipIf(missing)('our POP3 client against a real Dovecot', () => {
  let dovecot: DovecotInstance;
  beforeAll(async () => {
    dovecot = await startDovecot({
      users: [{ user: 'carol', password: PASSWORD }],
      messages: { carol: MESSAGES },
    });
  });
  afterAll(async () => dovecot?.stop());

  const deps = () => ({ resolver: createLoopbackResolver(), trustedCa: [testCaPem()] });
  const settings = (port: number, security: MailSecurity, pass = PASSWORD): IncomingSettings => ({
    protocol: 'pop3',
    host: 'localhost',
    port,
    security,
    auth: { type: 'password', user: 'carol', pass },
  });

  it.each([
    ['implicit TLS', 'pop3s', 'tls'],
    ['STLS', 'pop3', 'starttls'],
  ] as const)('probes ok over %s with UIDL', async (_label, port, security) => {
    const r = await createPop3Prober(deps()).probe(settings(dovecot.ports[port], security), {
      deadline: Date.now() + 10_000,
    });
    expect(r.ok, JSON.stringify(r.failure)).toBe(true);
    expect(r.steps.find((s) => s.id === 'stat')?.info).toMatchObject({ messages: MESSAGES.length });
    expect(r.steps.find((s) => s.id === 'uidl')?.outcome).toBe('ok');
  });

  it('reports a wrong password at the auth step with Dovecot’s reply', async () => {
    const r = await createPop3Prober(deps()).probe(settings(dovecot.ports.pop3s, 'tls', 'wrong'), {
      deadline: Date.now() + 10_000,
    });
    expect(r.ok).toBe(false);
    expect(r.failure).toMatchObject({ kind: 'auth', step: 'auth' });
    expect(JSON.stringify(r)).not.toContain('wrong');
  });

  it('lists with stable UIDs, retrieves every message byte-exact, and deletes only on request', async () => {
    const mailbox = createPop3Mailbox(deps());
    const s1 = await mailbox.open(settings(dovecot.ports.pop3s, 'tls'), { deadline: Date.now() + 20_000 });
    const listing = await s1.list();
    expect(listing.uidlSupported).toBe(true);
    expect(listing.uidsValid).toBe(true);
    expect(listing.messages).toHaveLength(MESSAGES.length);
    const bodies = await Promise.all(listing.messages.map(async (m) => s1.fetchBuffer(m)));
    // Dovecot keeps delivery order; compare as sets to stay independent of it.
    const want = MESSAGES.map((m) => expected(m).toString('base64')).sort();
    expect(bodies.map((b) => b.toString('base64')).sort()).toEqual(want);
    // Dovecot's LIST size is the octets RETR delivers, dot-unstuffed: no slack needed here
    // (the client allows max(64 KiB, 10 %) more, for servers that count LF or stuffing).
    expect(bodies.map((b) => b.length)).toEqual(listing.messages.map((m) => m.size));
    // Pipelined RETR (Dovecot announces PIPELINING) returns the same bytes in the same order.
    const many = await s1.fetchManyBuffers(listing.messages);
    expect(many.map((b) => b.toString('base64'))).toEqual(bodies.map((b) => b.toString('base64')));
    const firstUid = listing.messages[0]!.uid!;
    await s1.delete(listing.messages[0]!);
    await s1.close();

    const s2 = await mailbox.open(settings(dovecot.ports.pop3, 'starttls'), {
      deadline: Date.now() + 20_000,
    });
    const again = await s2.list();
    expect(again.messages).toHaveLength(MESSAGES.length - 1);
    expect(again.messages.map((m) => m.uid)).not.toContain(firstUid);
    expect(again.messages.map((m) => m.uid)).toEqual(listing.messages.slice(1).map((m) => m.uid));
    await s2.close();
    const dir = dovecot.maildir('carol');
    const files = ['cur', 'new'].flatMap((d) =>
      readdirSync(join(dir, d)).map((f) => readFileSync(join(dir, d, f))),
    );
    expect(files).toHaveLength(MESSAGES.length - 1);
  });
});
