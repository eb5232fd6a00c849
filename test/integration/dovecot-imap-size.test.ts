import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncomingSettings } from '../../src/domain/mailbox/connection.js';
import { createImapMailbox } from '../../src/mail/imap/imap-session.js';
import { serviceMissing } from '../helpers/require-service.js';
import { testCaPem } from '../helpers/tls-fixtures.js';
import { type DovecotInstance, dovecotMissingReason, startDovecot } from '../servers/dovecot.js';
import { createLoopbackResolver } from '../servers/loopback-resolver.js';

const PASSWORD = 'Imap-Secret-88';
const missing = serviceMissing('Dovecot', dovecotMissingReason());

/** Stored with LF line ends (what Dovecot keeps on disk) and one with 8-bit bytes. */
const MESSAGES = [
  Buffer.from('From: a@example.test\nSubject: plain\n\nHello\n'),
  Buffer.concat([
    Buffer.from('From: b@example.test\nSubject: 8bit\nContent-Type: text/plain; charset=koi8-r\n\n'),
    Buffer.from([0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4, 0x0a]),
  ]),
  Buffer.from(`From: c@example.test\nSubject: short lines\n\n${'\n'.repeat(1000)}${'.\n'.repeat(500)}`),
  Buffer.from(`From: d@example.test\nSubject: long\n\n${'x'.repeat(200_000)}\n`),
];
/** What IMAP hands back: CRLF line endings. */
const crlf = (raw: Buffer) => Buffer.from(raw.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');

/**
 * Dovecot's RFC822.SIZE against the bytes a partial FETCH delivers: equal (the allowance's
 * slack is for other servers), and the byte range is honoured, so a body asked one byte past a
 * too-small allowance is reported outgrown without the rest being sent.
 */
describe.skipIf(missing)('IMAP listed sizes against a real Dovecot', () => {
  let dovecot: DovecotInstance;
  beforeAll(async () => {
    dovecot = await startDovecot({
      users: [{ user: 'sizer', password: PASSWORD }],
      messages: { sizer: MESSAGES },
    });
  });
  afterAll(async () => dovecot?.stop());

  const open = () => {
    const settings: IncomingSettings = {
      protocol: 'imap',
      host: 'localhost',
      port: dovecot.ports.imaps,
      security: 'tls',
      auth: { type: 'password', user: 'sizer', pass: PASSWORD },
    };
    const mailbox = createImapMailbox({ resolver: createLoopbackResolver(), trustedCa: [testCaPem()] });
    return mailbox.open(settings, { deadline: Date.now() + 20_000 });
  };

  it('RFC822.SIZE is exactly the bytes BODY.PEEK[]<0.n> delivers, CRLF line ends included', async () => {
    const session = await open();
    try {
      await session.select(false);
      const listed = (await session.listAfter(0)).messages;
      expect(listed).toHaveLength(MESSAGES.length);
      // Allowed exactly the listed size: no slack needed for Dovecot.
      const got = await session.fetchRaw(listed.map((m) => ({ uid: m.uid, allowed: m.size as number })));
      expect(got.outgrown).toEqual([]);
      const bodies = listed.map((m) => got.raws.get(m.uid) as Buffer);
      expect(bodies.map((b) => b.length)).toEqual(listed.map((m) => m.size));
      expect(bodies.map((b) => b.toString('base64')).sort()).toEqual(
        MESSAGES.map((m) => crlf(m).toString('base64')).sort(),
      );
      expect(got.bytes).toBe(bodies.reduce((sum, b) => sum + b.length, 0));
    } finally {
      await session.close();
    }
  });

  it('honours the byte range: a body allowed less than its size is cut one byte past it and reported', async () => {
    const session = await open();
    try {
      await session.select(false);
      const listed = (await session.listAfter(0)).messages;
      const long = listed.at(-1) as { uid: number; size: number };
      expect(long.size).toBeGreaterThan(200_000);
      const got = await session.fetchRaw([{ uid: long.uid, allowed: 1_000 }]);
      expect(got).toEqual({ raws: new Map(), outgrown: [long.uid], bytes: 1_001 });
    } finally {
      await session.close();
    }
  });
});
