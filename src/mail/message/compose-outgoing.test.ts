import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../domain/errors.js';
import { SUBJECT_MAX } from '../../domain/message/header-safety.js';
import { type ComposedEmail, composeOutgoing, type OutgoingDraft } from './compose-outgoing.js';
import { buildMime } from './compose-outgoing-build.js';
import { wireProblem } from './compose-outgoing-wire.js';

const MESSAGE_ID = '<mr.abcdefghijklmnop.qrstuvwxyz234567@firma.pl>';

function draft(overrides: Partial<OutgoingDraft> = {}): OutgoingDraft {
  return {
    from: { email: 'anna@firma.pl', name: 'Anna Nowak' },
    to: [{ email: 'jan@klient.pl', name: 'Jan Kowalski' }],
    subject: 'Zadanie: oferta',
    text: 'Dzień dobry,\nw załączniku oferta.\n',
    messageId: MESSAGE_ID,
    date: new Date('2026-12-04T10:00:00Z'),
    ...overrides,
  };
}

/** The codes and paths of the field issues a rejected draft carries. */
async function refusal(d: OutgoingDraft): Promise<string[]> {
  try {
    await composeOutgoing(d);
  } catch (e) {
    if (e instanceof AppError && e.code === 'VALIDATION_FAILED')
      return (e.fields ?? []).map((f) => `${f.path} ${f.code}`);
    throw e;
  }
  return [];
}

/** Header names of the top-level header block, lower-case, in order. */
function headerNames(mime: Buffer): string[] {
  const head = mime.toString('utf8').split('\r\n\r\n')[0] ?? '';
  return head
    .split('\r\n')
    .filter((line) => !/^[ \t]/.test(line))
    .map((line) => line.slice(0, line.indexOf(':')).toLowerCase());
}

const BASE_HEADERS = ['from', 'to', 'subject', 'message-id', 'date', 'mime-version', 'content-type'];
/** A text-only email is a single part: its transfer encoding is a top-level header. */
const TEXT_ONLY_HEADERS = [...BASE_HEADERS, 'content-transfer-encoding'];

function expectWireSafe(email: ComposedEmail) {
  expect(wireProblem(email.mime)).toBeNull();
  expect(email.size).toBe(email.mime.length);
}

describe('composeOutgoing: what it writes', () => {
  it('keeps our Message-ID verbatim, sets threading and Reply-To, keeps BCC out of the headers', async () => {
    const email = await composeOutgoing(
      draft({
        replyTo: { email: 'biuro@firma.pl', name: 'Biuro' },
        bcc: [{ email: 'anna@firma.pl' }],
        inReplyTo: '<CA+x=y@mail.gmail.com>',
        references: ['<first@klient.pl>', '<CA+x=y@mail.gmail.com>'],
      }),
    );
    expectWireSafe(email);
    const parsed = await simpleParser(email.mime);
    expect(parsed.messageId).toBe(MESSAGE_ID);
    expect(email.mime.toString()).toContain(`\r\nMessage-ID: ${MESSAGE_ID}\r\n`);
    expect(parsed.inReplyTo).toBe('<CA+x=y@mail.gmail.com>');
    expect(parsed.references).toEqual(['<first@klient.pl>', '<CA+x=y@mail.gmail.com>']);
    expect(parsed.replyTo?.value).toEqual([{ address: 'biuro@firma.pl', name: 'Biuro' }]);
    expect(parsed.from?.value).toEqual([{ address: 'anna@firma.pl', name: 'Anna Nowak' }]);
    expect(parsed.date?.toISOString()).toBe('2026-12-04T10:00:00.000Z');
    expect(headerNames(email.mime).sort()).toEqual(
      [...TEXT_ONLY_HEADERS, 'reply-to', 'in-reply-to', 'references'].sort(),
    );
    expect(email.mime.toString()).not.toMatch(/^bcc:/im);
    expect(email.envelope).toEqual({ from: 'anna@firma.pl', to: ['jan@klient.pl', 'anna@firma.pl'] });
    expect(email.requiresSmtpUtf8).toBe(false);
  });

  it('writes Polish text readably and sends one email to several contacts (M29)', async () => {
    const email = await composeOutgoing(
      draft({
        to: [
          { email: 'jan@klient.pl', name: 'Jan Łoś' },
          { email: 'ewa@klient.pl', name: 'Ewa Żak' },
        ],
        subject: 'Zażółć gęślą jaźń',
        html: '<p>Zażółć</p>',
      }),
    );
    expectWireSafe(email);
    const parsed = await simpleParser(email.mime);
    expect(parsed.subject).toBe('Zażółć gęślą jaźń');
    expect(parsed.to && !Array.isArray(parsed.to) && parsed.to.value).toEqual([
      { address: 'jan@klient.pl', name: 'Jan Łoś' },
      { address: 'ewa@klient.pl', name: 'Ewa Żak' },
    ]);
    expect(parsed.text).toBe('Dzień dobry,\nw załączniku oferta.\n');
    expect(parsed.html).toBe('<p>Zażółć</p>');
    expect(email.envelope.to).toEqual(['jan@klient.pl', 'ewa@klient.pl']);
  });

  it('IDN: punycode domain in the header and the envelope; a non-ASCII local part needs SMTPUTF8', async () => {
    const idn = await composeOutgoing(draft({ to: [{ email: 'user@пример.рф' }] }));
    expect(idn.envelope.to).toEqual(['user@xn--e1afmkfd.xn--p1ai']);
    expect(idn.mime.toString()).toMatch(/\r\nTo: user@xn--e1afmkfd\.xn--p1ai\r\n/);
    expect(idn.requiresSmtpUtf8).toBe(false);
    expect(idn.mime.every((b) => b < 0x80)).toBe(true);

    const utf8 = await composeOutgoing(draft({ to: [{ email: 'пользователь@пример.рф' }] }));
    expect(utf8.requiresSmtpUtf8).toBe(true);
    expect(utf8.envelope.to).toEqual(['пользователь@xn--e1afmkfd.xn--p1ai']);
    const parsed = await simpleParser(utf8.mime);
    expect(parsed.to && !Array.isArray(parsed.to) && parsed.to.value[0]?.address).toBe(
      'пользователь@пример.рф',
    );
    const fromUtf8 = await composeOutgoing(draft({ bcc: [{ email: 'чат@firma.pl' }] }));
    expect(fromUtf8.requiresSmtpUtf8).toBe(true);
  });

  it('bodies: CRLF only, NUL removed, dot lines kept for the transport to stuff (case 22)', async () => {
    const email = await composeOutgoing(
      draft({ text: 'a\n.\nb\r\n.\r\nc\r.\rd\0e\n..\n', html: `<p>${'x'.repeat(5000)}</p>\n.\r` }),
    );
    expectWireSafe(email);
    const parsed = await simpleParser(email.mime);
    expect(parsed.text).toBe('a\n.\nb\n.\nc\n.\nde\n..\n');
    expect(parsed.html).toBe(`<p>${'x'.repeat(5000)}</p>\n.\n`);
  });

  it('keeps every line within 998 octets with long names, subject and many references', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `<${'r'.repeat(200)}${i}@klient.pl>`);
    const email = await composeOutgoing(
      draft({
        from: { email: 'anna@firma.pl', name: 'Ż'.repeat(200) },
        subject: `Re: ${'ą'.repeat(SUBJECT_MAX - 4)}`,
        references: ids,
        inReplyTo: ids.at(-1) ?? null,
        text: 'y'.repeat(3000),
      }),
    );
    expectWireSafe(email);
    const parsed = await simpleParser(email.mime);
    expect(parsed.subject).toBe(`Re: ${'ą'.repeat(SUBJECT_MAX - 4)}`);
    expect(parsed.references).toEqual([ids[0], ...ids.slice(-19)]);
    // The composer ends the last body line with CRLF; the parser reports it as a newline.
    expect(parsed.text).toBe(`${'y'.repeat(3000)}\n`);
  });

  it('threading ids from inbound mail: malformed dropped, duplicates removed, the first and the last 19 kept (case 25)', async () => {
    const many = Array.from({ length: 10_000 }, (_, i) => `<id${i}@x.pl>`);
    const email = await composeOutgoing(
      draft({
        inReplyTo: '<a\u0001b@x.pl>',
        references: [...many, '<id9999@x.pl>', 'bare@x.pl', '<a b@x.pl>', `<${'z'.repeat(300)}@x.pl>`],
      }),
    );
    expectWireSafe(email);
    const parsed = await simpleParser(email.mime);
    expect(parsed.inReplyTo).toBeUndefined();
    expect(parsed.references).toEqual([many[0], ...many.slice(-19)]);
    expect(email.mime.toString()).not.toContain('In-Reply-To');
  });

  it('attachments: sanitized names, only the given bytes, never a file or URL (cases 19, 26)', async () => {
    const attachments = [
      ['../../etc/passwd', 'passwd'],
      ['a\r\nb.txt', 'a b.txt'],
      ['faktura\u202Etxt.exe', 'fakturatxt.exe'],
      ['C:\\Users\\x\\evil.bat', 'evil.bat'],
      ['"quoted".pdf', 'quoted.pdf'],
      ['....', 'attachment-6'],
      ['', 'attachment-7'],
      [`${'n'.repeat(300)}.pdf`, `${'n'.repeat(116)}.pdf`],
      ['Umowa źródłowa.pdf', 'Umowa źródłowa.pdf'],
      ['=?utf-8?b?YQ0KYg==?=.txt', '=utf-8bYQ0KYg===.txt'],
    ].map(([filename, expected], i) => ({
      filename: filename ?? '',
      expected,
      contentType: i === 0 ? 'text/plain' : 'application/pdf\r\nX-Evil: 1',
      content: Buffer.from(`file ${i}`),
      // What a careless caller might pass through from user input: must be ignored.
      path: '/etc/passwd',
      href: 'http://169.254.169.254/',
    }));
    const email = await composeOutgoing(draft({ attachments }));
    expectWireSafe(email);
    const parsed = await simpleParser(email.mime);
    expect(parsed.attachments.map((a) => a.filename)).toEqual(attachments.map((a) => a.expected));
    expect(parsed.attachments.map((a) => a.content.toString())).toEqual(
      attachments.map((_, i) => `file ${i}`),
    );
    // A malformed type is replaced (the parser may still guess one from the file name).
    const types = email.mime.toString().match(/^Content-Type: (?!multipart)[^;\r\n]+/gm) ?? [];
    expect(types.slice(1)).toEqual([
      'Content-Type: text/plain',
      ...Array(attachments.length - 1).fill('Content-Type: application/octet-stream'),
    ]);
    expect(email.mime.toString()).not.toMatch(/X-Evil|root:|169\.254/);
  });

  it('refuses an attachment without bytes instead of reading its path', async () => {
    const sneaky = { filename: 'x', contentType: 'text/plain', path: '/etc/passwd' } as never;
    expect(await refusal(draft({ attachments: [sneaky] }))).toEqual(['/attachments/0/content type']);
  });

  it('the composer never reads a file or fetches a URL, whatever it is given (case 26)', async () => {
    const base = { from: 'a@b.pl', to: 'c@d.pl', text: 'x' };
    await expect(buildMime({ ...base, attachments: [{ path: '/etc/passwd' }] })).rejects.toThrow(/access/i);
    await expect(
      buildMime({ ...base, attachments: [{ href: 'http://169.254.169.254/latest/meta-data/' }] }),
    ).rejects.toThrow(/access/i);
    await expect(
      buildMime({ ...base, disableFileAccess: false, attachments: [{ content: { path: '/etc/passwd' } }] }),
    ).rejects.toThrow(/access/i);
  });

  it('produces the same bytes for the same draft (frozen MIME apart from the boundary)', async () => {
    const a = await composeOutgoing(draft());
    const b = await composeOutgoing(draft());
    const strip = (m: Buffer) => m.toString().replace(/--_NmP-[0-9a-f]+-Part/g, 'B');
    expect(strip(a.mime)).toBe(strip(b.mime));
  });
});

/**
 * The header-injection sweep (SECURITY §7 cases 19, 24): every hostile value in every header
 * field either is refused with a stable code at the field's path, or comes out of a real
 * parser as exactly the intended text with no extra header or recipient.
 */
const b64 = (s: string) => Buffer.from(s).toString('base64');
const HOSTILE: [label: string, value: string, outcome: { code: string } | { value: string }][] = [
  ['CRLF + Bcc header', 'A\r\nBcc: evil@x.pl', { code: 'line_break' }],
  ['lone CR', 'A\rBcc: evil@x.pl', { code: 'line_break' }],
  ['lone LF', 'A\nBcc: evil@x.pl', { code: 'line_break' }],
  ['NEL', 'A\u0085B', { code: 'line_break' }],
  // Allowed in saved names/titles before M55: sent as a space, still one header, one address.
  ['U+2028', 'A\u2028Bcc: evil@x.pl', { value: 'A Bcc: evil@x.pl' }],
  ['U+2029', 'A\u2029B', { value: 'A B' }],
  ['NUL', 'A\0B', { code: 'control_character' }],
  ['TAB', 'A\tB', { code: 'control_character' }],
  ['C1 control', 'A\u009bB', { code: 'control_character' }],
  ['lone surrogate', 'A\ud800B', { code: 'control_character' }],
  ['U+200B zero-width space', 'Anna\u200b Nowak', { value: 'Anna Nowak' }],
  ['U+200E LRM', 'A\u200eB', { value: 'AB' }],
  ['U+202E RLO', 'A\u202egpj.exe', { value: 'Agpj.exe' }],
  ['U+2066 LRI', 'A\u2066B\u2069', { value: 'AB' }],
  ['U+FEFF BOM', '\ufeffAnna', { value: 'Anna' }],
  ['U+00AD soft hyphen', 'An\u00adna', { value: 'Anna' }],
  ['U+E0041 tag', 'A\u{E0041}B', { value: 'AB' }],
  ['over-long', 'x'.repeat(401), { code: 'maxLength' }],
  ['encoded word with CRLF', `=?utf-8?b?${b64('A\r\nBcc: evil@x.pl')}?=`, { code: 'encoded_word' }],
  ['encoded word (Q)', '=?UTF-8?Q?A=0D=0ABcc:_evil@x.pl?=', { code: 'encoded_word' }],
  ['literal %0d%0a', 'A%0d%0aBcc: evil@x.pl', { value: 'A%0d%0aBcc: evil@x.pl' }],
  ['address look-alike', '"Boss" <boss@x.pl>, evil@x.pl', { value: '"Boss" <boss@x.pl>, evil@x.pl' }],
  ['quotes and backslash', 'A "B" \\ C;', { value: 'A "B" \\ C;' }],
  ['only invisible', '\u200b\u202e', { value: '' }],
];

type Field = 'from.name' | 'to.name' | 'replyTo.name' | 'subject';
const FIELDS: { field: Field; path: string; set: (v: string) => Partial<OutgoingDraft> }[] = [
  { field: 'from.name', path: '/from/name', set: (v) => ({ from: { email: 'anna@firma.pl', name: v } }) },
  { field: 'to.name', path: '/to/0/name', set: (v) => ({ to: [{ email: 'jan@klient.pl', name: v }] }) },
  {
    field: 'replyTo.name',
    path: '/replyTo/name',
    set: (v) => ({ replyTo: { email: 'biuro@firma.pl', name: v } }),
  },
  { field: 'subject', path: '/subject', set: (v) => ({ subject: v }) },
];

describe('composeOutgoing: header-injection sweep', () => {
  const rows = FIELDS.flatMap((f) =>
    HOSTILE.map(([label, value, outcome]) => ({ ...f, label, value, outcome })),
  );
  it.each(rows)('$field ← $label', async ({ field, path, set, value, outcome: given }) => {
    // A subject (a task title) that looks like an encoded word is sent encoded instead: the
    // recipient must read exactly the title, never what the look-alike decodes to.
    const outcome =
      field === 'subject' && 'code' in given && given.code === 'encoded_word' ? { value } : given;
    const d = draft(set(value));
    if ('code' in outcome) {
      expect(await refusal(d)).toEqual([`${path} ${outcome.code}`]);
      return;
    }
    const email = await composeOutgoing(d);
    expectWireSafe(email);
    const expectedHeaders = [
      ...TEXT_ONLY_HEADERS.filter((h) => h !== 'subject' || !(field === 'subject' && outcome.value === '')),
      ...(field === 'replyTo.name' ? ['reply-to'] : []),
    ];
    expect(headerNames(email.mime).sort()).toEqual(expectedHeaders.sort());
    expect(email.envelope).toEqual({ from: 'anna@firma.pl', to: ['jan@klient.pl'] });
    const parsed = await simpleParser(email.mime);
    const one = (a: typeof parsed.to) => (a && !Array.isArray(a) ? a.value : []);
    if (field === 'subject') expect(parsed.subject ?? '').toBe(outcome.value);
    else {
      const list =
        field === 'from.name' ? one(parsed.from) : field === 'to.name' ? one(parsed.to) : one(parsed.replyTo);
      expect(list).toHaveLength(1);
      expect(list[0]?.name).toBe(outcome.value);
    }
  });

  it.each([
    ['"victim@good.com x"@evil.example', 'invalid'],
    ['jan@klient.pl\r\nBcc: evil@x.pl', 'invalid'],
    ['Jan <jan@klient.pl>', 'invalid'],
    ['g: jan@klient.pl;', 'invalid'],
    ['jan@klient.pl, evil@x.pl', 'invalid'],
    ['jan\u200b@klient.pl', 'invalid'],
    ['jan@kli\u00adent.pl', 'invalid'],
    ['jan@[127.0.0.1]', 'invalid'],
    ['', 'empty'],
  ])('refuses the address %j at its path (cases 19, 20)', async (email) => {
    expect(await refusal(draft({ to: [{ email: 'ok@klient.pl' }, { email }] }))).toEqual([
      '/to/1/email email',
    ]);
    expect(await refusal(draft({ bcc: [{ email }] }))).toEqual(['/bcc/0/email email']);
    expect(await refusal(draft({ from: { email } }))).toEqual(['/from/email email']);
  });

  it('refuses a 1 MB recipient string and 1,000-deep groups (case 21; a hang fails on the test timeout)', async () => {
    const huge = `${'a@b.pl,'.repeat(150_000)}x@y.pl`;
    const groups = `${'g:'.repeat(1000)}a@b.pl${';'.repeat(1000)}`;
    expect(await refusal(draft({ to: [{ email: huge }, { email: groups }] }))).toEqual([
      '/to/0/email email',
      '/to/1/email email',
    ]);
  });

  it('refuses a bad Message-ID, no recipients and too many recipients', async () => {
    expect(await refusal(draft({ messageId: 'mr.x@firma.pl' }))).toEqual(['/messageId message_id']);
    expect(await refusal(draft({ messageId: '<a@b>\r\nBcc: x@y.pl' }))).toEqual(['/messageId message_id']);
    expect(await refusal(draft({ to: [] }))).toEqual(['/to minItems']);
    const many = Array.from({ length: 101 }, (_, i) => ({ email: `k${i}@klient.pl` }));
    expect(await refusal(draft({ to: many }))).toEqual(['/to maxItems']);
  });

  it('reports every problem at once', async () => {
    expect(
      await refusal(
        draft({ from: { email: 'anna@firma.pl', name: 'A\nB' }, subject: 'S\r\n', to: [{ email: 'x' }] }),
      ),
    ).toEqual(['/from/name line_break', '/to/0/email email', '/subject line_break']);
  });
});
