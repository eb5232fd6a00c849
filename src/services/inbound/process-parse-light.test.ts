import { describe, expect, it } from 'vitest';
import { classifyInbound } from '../../domain/inbound/classify-inbound.js';
import { parseMessage, UnreadableMessage } from './process-parse.js';
import { isLight, readHeadersOnly } from './process-parse-light.js';

/**
 * The headers-only reading settles mail that becomes no comment without the MIME parser; it
 * must read what the parser reads, and hand everything it cannot be sure of to the parser.
 */
const mail = (headers: string[], body: string | Buffer = 'Dzien dobry,\r\nprosimy o oferte.\r\n') =>
  Buffer.concat([
    Buffer.from(
      [
        'From: Anna Nowak <Anna.Nowak@Klient.example>',
        'To: biuro@firma.example',
        'Subject: Zapytanie o cene',
        'Message-ID: <abc.123@klient.example>',
        ...headers,
        '',
        '',
      ].join('\r\n'),
    ),
    Buffer.isBuffer(body) ? body : Buffer.from(body),
  ]);

describe('readHeadersOnly', () => {
  it('reads a plain text message as the MIME parser does, as far as settling needs', async () => {
    const raw = mail(
      ['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit'],
      'Dzień dobry,\r\nprosimy o ofertę.\r\n',
    );
    const light = readHeadersOnly(raw);
    const full = await parseMessage(raw);
    expect(light).not.toBeNull();
    expect(isLight(light!)).toBe(true);
    expect(isLight(full)).toBe(false);
    expect(light!.subject).toBe(full.subject);
    expect(light!.from?.email).toBe(full.from?.email);
    expect(light!.messageId).toBe(full.messageId);
    expect(light!.contentType).toBe(full.contentType);
    expect(classifyInbound(light!)).toEqual(classifyInbound(full));
    // Line ends as written (the text only serves the `bad_charset` check).
    expect(light!.text.replace(/\r\n/g, '\n').trim()).toBe(full.text.trim());
  });

  it('reads automatic replies and our own test emails from headers alone', async () => {
    for (const extra of ['Auto-Submitted: auto-replied', 'X-Mailroom-Test: 1']) {
      const raw = mail(['Content-Type: text/plain', extra]);
      expect(classifyInbound(readHeadersOnly(raw)!)).toEqual(classifyInbound(await parseMessage(raw)));
    }
    const ooo = mail(['Content-Type: text/plain']).toString().replace('Zapytanie o cene', 'Out of office');
    const raw = Buffer.from(ooo);
    expect(classifyInbound(readHeadersOnly(raw)!)).toEqual({
      kind: 'auto_reply',
      reason: 'out-of-office-subject',
    });
  });

  it('leaves to the parser what only the parser can tell', () => {
    const cases: Record<string, Buffer> = {
      'a reply (thread headers)': mail(['In-Reply-To: <mr.aaaabbbbccccdddd.x@firma.example>']),
      references: mail(['References: <x@y.example>']),
      multipart: mail(['Content-Type: multipart/alternative; boundary="b"'], '--b\r\n\r\nx\r\n--b--\r\n'),
      html: mail(['Content-Type: text/html']),
      'quoted-printable': mail(['Content-Type: text/plain', 'Content-Transfer-Encoding: quoted-printable']),
      'encoded words': mail(['X-Note: =?utf-8?B?QQ==?=']),
      '8-bit header': mail(['X-Note: Zażółć']),
      'a bounce by sender': Buffer.from(
        mail([]).toString().replace('Anna Nowak <Anna.Nowak@Klient.example>', 'MAILER-DAEMON@mx.example'),
      ),
      'a bounce by subject': Buffer.from(
        mail([]).toString().replace('Zapytanie o cene', 'Undelivered Mail Returned to Sender'),
      ),
      'empty return path': mail(['Return-Path: <>']),
      'an Exchange NDR mark': mail(['X-MS-Exchange-Message-Is-Ndr:']),
      'two From addresses': Buffer.from(
        mail([]).toString().replace('<Anna.Nowak@Klient.example>', 'a@x.example, b@y.example'),
      ),
      'unknown charset, 8-bit body': mail(
        ['Content-Type: text/plain; charset=x-unknown'],
        Buffer.from([0xb1, 0xe6]),
      ),
      'a long header block': mail([`X-Long: ${'a'.repeat(40_000)}`]),
    };
    for (const [name, raw] of Object.entries(cases)) expect(readHeadersOnly(raw), name).toBeNull();
  });

  it('refuses what the parser refuses', () => {
    const broken = mail(['to nie jest pole']);
    expect(() => readHeadersOnly(broken)).toThrow(UnreadableMessage);
    const garbage = Buffer.concat([
      mail(['Content-Type: text/plain; charset=utf-8'], ''),
      Buffer.from(Array.from({ length: 400 }, (_, i) => (i % 2 ? 0xff : 0xfe))),
    ]);
    expect(() => readHeadersOnly(garbage)).toThrow(expect.objectContaining({ reason: 'bad_charset' }));
  });

  it('reads a 7-bit body in any ASCII-compatible charset and every byte in ISO-8859-2', () => {
    expect(readHeadersOnly(mail(['Content-Type: text/plain; charset=windows-1250']))).not.toBeNull();
    const latin2 = mail(['Content-Type: text/plain; charset="ISO-8859-2"'], Buffer.from([0x5a, 0xbf, 0xf3]));
    expect(readHeadersOnly(latin2)).not.toBeNull();
  });
});
