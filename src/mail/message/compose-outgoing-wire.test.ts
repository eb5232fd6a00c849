import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { type SmtpSink, startSmtpSink } from '../../../test/servers/smtp-sink.js';
import { announcedSize, checkMessageSize } from '../../domain/message/size-limit.js';
import { composeOutgoing, type OutgoingDraft } from './compose-outgoing.js';
import { wireProblem } from './compose-outgoing-wire.js';

/**
 * The composed bytes on a real SMTP wire (nodemailer's SMTP client → smtp-server on loopback):
 * SECURITY §7 case 22 (CRLF only, dot-stuffing, exactly one message), 23 (punycode envelope)
 * and 27 (SIZE compared before DATA with the helper the worker calls).
 */
const sinks: SmtpSink[] = [];
afterEach(async () => {
  await Promise.all(sinks.splice(0).map((s) => s.close()));
});

async function sink(size?: number): Promise<SmtpSink> {
  const s = await startSmtpSink({ mode: 'plain', authOptional: true, ...(size ? { size } : {}) });
  sinks.push(s);
  return s;
}

const draft: OutgoingDraft = {
  from: { email: 'anna@firma.pl', name: 'Anna Nowak' },
  to: [{ email: 'user@пример.рф', name: 'Клиент' }],
  bcc: [{ email: 'anna@firma.pl' }],
  subject: 'Kropki',
  text: 'a\n.\nb\r\n.\r\nc\r.\rd\0e\n.\n..\nkoniec',
  messageId: '<mr.abcdefghijklmnop.qrstuvwxyz234567@firma.pl>',
  date: new Date('2026-12-04T10:00:00Z'),
};

async function send(s: SmtpSink, mime: Buffer, envelope: { from: string; to: string[] }) {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: s.port,
    secure: false,
    ignoreTLS: true,
  });
  try {
    return await transport.sendMail({ envelope, raw: mime });
  } finally {
    transport.close();
  }
}

describe('composed bytes on the wire', () => {
  it('arrive byte-identical as one message, dot-stuffed in transit, CRLF only, punycode envelope', async () => {
    const email = await composeOutgoing(draft);
    const s = await sink();
    await send(s, email.mime, email.envelope);
    expect(s.messages).toHaveLength(1);
    const [received] = s.messages;
    expect(received?.raw.equals(email.mime)).toBe(true);
    expect(received?.from).toBe('anna@firma.pl');
    // smtp-server reports IDN recipients in Unicode; the wire shows what we sent.
    expect(received?.to).toEqual(['user@пример.рф', 'anna@firma.pl']);
    const wire = s.clientBytes();
    expect(wire.toString('latin1')).toContain('RCPT TO:<user@xn--e1afmkfd.xn--p1ai>');
    expect(wire.toString('latin1')).not.toMatch(/SMTPUTF8/);
    expect(wire.every((b) => b < 0x80)).toBe(true);
    expect(wireProblem(wire)).toBeNull();
    // Lines that were "." and ".." went out stuffed; the lone CR and NUL never did.
    expect(wire.toString('latin1')).toContain('\r\n..\r\n...\r\nkoniec');
    expect(wire.includes(0)).toBe(false);
  });

  it('SIZE: the helper says too_large before DATA when the message is over the announced limit', async () => {
    const email = await composeOutgoing({ ...draft, text: 'x'.repeat(5_000) });
    const s = await sink(2_000);
    const probe = nodemailer.createTransport({
      host: '127.0.0.1',
      port: s.port,
      secure: false,
      ignoreTLS: true,
    });
    await probe.verify();
    probe.close();
    const ehlo = s.transcript.find((line) => /SIZE \d+/.test(line)) ?? '';
    const limit = announcedSize(/SIZE \d+/.exec(ehlo)?.[0] ?? '');
    expect(limit).toBe(2_000);
    expect(checkMessageSize(limit, email.size)).toBe('too_large');
    expect(checkMessageSize(limit, (await composeOutgoing(draft)).size)).toBe('ok');
  });
});
