import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncomingSettings } from '../../src/domain/mailbox/connection.js';
import { createImapMailbox } from '../../src/mail/imap/imap-session.js';
import { serviceMissing } from '../helpers/require-service.js';
import { testCaPem } from '../helpers/tls-fixtures.js';
import { type DovecotInstance, dovecotMissingReason, startDovecot } from '../servers/dovecot.js';
import { createLoopbackResolver } from '../servers/loopback-resolver.js';

const PASSWORD = 'Imap-Secret-88';
const missing = serviceMissing('Dovecot', dovecotMissingReason());

/** Stored with LF line ends (Dovecot keeps them so): short lines, 8-bit bytes, one long body. */
const MESSAGES = [
  'Subject: one line\n\nHej\n',
  `Subject: empty lines\n\n${'\n'.repeat(2000)}`,
  'Subject: 8bit\nContent-Type: text/plain; charset=iso-8859-2\n\n\xb1\xe6\xea\n',
  `Subject: long\n\n${'y'.repeat(200_000)}\n`,
].map((m) => Buffer.from(`From: sizes@example.test\n${m}`, 'latin1'));
/** One Dovecot user holding them, and how we log in. */
const ACCOUNT = { users: [{ user: 'sizer', password: PASSWORD }], messages: { sizer: MESSAGES } };
const AUTH = { type: 'password', user: 'sizer', pass: PASSWORD } as const;

/**
 * Dovecot's RFC822.SIZE against the bytes a partial FETCH delivers: equal (the allowance's
 * slack is for other servers), and the byte range is honoured, so a body asked one byte past a
 * too-small allowance is reported outgrown without the rest being sent.
 */
describe.skipIf(missing)('IMAP listed sizes against a real Dovecot', () => {
  let dovecot: DovecotInstance;
  beforeAll(async () => {
    dovecot = await startDovecot(ACCOUNT);
  });
  afterAll(async () => dovecot?.stop());

  const open = () => {
    const settings: IncomingSettings = {
      protocol: 'imap',
      host: 'localhost',
      port: dovecot.ports.imaps,
      security: 'tls',
      auth: AUTH,
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
        // What IMAP hands back: the stored bytes with CRLF line ends.
        MESSAGES.map((m) =>
          Buffer.from(m.toString('latin1').replace(/\n/g, '\r\n'), 'latin1').toString('base64'),
        ).sort(),
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
      // Dovecot's delivery order is not ours: the largest one.
      const long = listed.reduce((a, b) => ((b.size ?? 0) > (a.size ?? 0) ? b : a)) as {
        uid: number;
        size: number;
      };
      expect(long.size).toBeGreaterThan(200_000);
      const got = await session.fetchRaw([{ uid: long.uid, allowed: 1_000 }]);
      expect(got).toEqual({ raws: new Map(), outgrown: [long.uid], bytes: 1_001 });
    } finally {
      await session.close();
    }
  });
});
