import { describe, expect, it } from 'vitest';
import { parseMessage, READ_LIMITS, UnreadableMessage } from './process-parse.js';

/** SECURITY.md §7 cases 36–37: hostile MIME is refused quickly, bad charsets decode without crashing. */
const head = 'From: a@b.example\r\nTo: c@d.example\r\nSubject: x\r\nMIME-Version: 1.0\r\n';

function deep(depth: number): Buffer {
  let body = 'Content-Type: text/plain\r\n\r\nhi\r\n';
  for (let i = 0; i < depth; i++)
    body = `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n${body}--b${i}--\r\n`;
  return Buffer.from(head + body);
}

function wide(parts: number): Buffer {
  const chunks = [`${head}Content-Type: multipart/mixed; boundary="w"\r\n\r\n`];
  for (let i = 0; i < parts; i++) chunks.push('--w\r\nContent-Type: text/plain\r\n\r\nx\r\n');
  chunks.push('--w--\r\n');
  return Buffer.from(chunks.join(''));
}

const reason = async (raw: Buffer) =>
  parseMessage(raw).then(
    () => 'parsed',
    (e: unknown) => (e instanceof UnreadableMessage ? e.reason : `other: ${String(e)}`),
  );

describe('parseMessage limits', () => {
  // Refused by the pre-scan, before the parser sees the bytes: the parser's own failure would
  // say parse_error or timeout.
  it('refuses nesting 10,000 deep before parsing', async () => {
    expect(await reason(deep(10_000))).toBe('too_deep');
  });

  it('refuses a million parts before parsing', async () => {
    expect(await reason(wide(1_000_000))).toBe('too_many_parts');
  });

  it('counts boundary declarations apart from multipart headers', async () => {
    const junk = 'X-Junk: boundary=x\r\n'.repeat(READ_LIMITS.maxDepth * 10 + 1);
    expect(await reason(Buffer.from(`${head}${junk}Content-Type: text/plain\r\n\r\nhi\r\n`))).toBe(
      'too_deep',
    );
    const fewer = 'X-Junk: boundary=x\r\n'.repeat(READ_LIMITS.maxDepth * 10);
    expect(await reason(Buffer.from(`${head}${fewer}Content-Type: text/plain\r\n\r\nhi\r\n`))).toBe('parsed');
  });

  it('refuses a message over the byte cap', async () => {
    expect(await reason(Buffer.alloc(READ_LIMITS.maxBytes + 1, 0x41))).toBe('too_big');
  });

  it('still reads ordinary nesting and parts', async () => {
    expect(await reason(deep(5))).toBe('parsed');
    expect(await reason(wide(50))).toBe('parsed');
  });

  it('decodes bad charsets and raw 8-bit headers without throwing', async () => {
    const raw = Buffer.concat([
      Buffer.from('From: =?koi8-r?B?8NLJ18XU?= <a@b.example>\r\nSubject: '),
      Buffer.from([0xc5, 0xbc, 0xff, 0xfe]),
      Buffer.from('\r\nContent-Type: text/plain; charset=windows-1251\r\n\r\n'),
      Buffer.from([0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2, 0x0d, 0x0a]),
      Buffer.from('\r\nbroken utf8: '),
      Buffer.from([0xc3, 0x28, 0xa0, 0xa1]),
    ]);
    const msg = await parseMessage(raw);
    expect(msg.text).toContain('Привет');
    expect(msg.from?.email).toBe('a@b.example');
  });
});

describe('malformed headers and undecodable text (issue 10 item 8)', () => {
  it('refuses a header block with a line that is no field, or a NUL byte', async () => {
    expect(await reason(Buffer.from('From a@b.example\r\nSubject: x\r\n\r\nhi\r\n'))).toBe('parsed');
    expect(await reason(Buffer.from(`${head}garbage without a colon\r\n\r\nhi\r\n`))).toBe(
      'malformed_headers',
    );
    expect(await reason(Buffer.from(`${head}X-Evil: a\u0000b\r\n\r\nhi\r\n`))).toBe('malformed_headers');
    expect(
      await reason(Buffer.from(`${head}X-Folded: a\r\n  b\r\n\r\nno colon in the body is fine\r\n`)),
    ).toBe('parsed');
  });

  it('refuses a body that decodes to mostly replacement characters; a stray one is shown', async () => {
    const body = (bytes: number[]) =>
      Buffer.concat([
        Buffer.from(`${head}Content-Type: text/plain; charset="x-unknown-42"\r\n\r\n`),
        Buffer.from(bytes),
      ]);
    const polish = [0xb1, 0xe6, 0xea, 0xb3, 0xf1, 0xf3, 0xb6, 0xbf, 0xbc, 0x20, 0x61, 0x62];
    expect(await reason(body([...polish, ...polish, ...polish]))).toBe('bad_charset');
    expect(await reason(body([...Buffer.from('Dzień dobry, wszystko w porządku '), 0xff]))).toBe('parsed');
  });
});
