import { describe, expect, it } from 'vitest';
import {
  decodeAttachments,
  downloadHeaders,
  normalizeContentType,
  sanitizeFilename,
} from './attachment-rules.js';

describe('attachment rules', () => {
  it('sanitizes filenames for headers and file systems', () => {
    expect(sanitizeFilename('../../etc/passwd')).toBe('_.._etc_passwd');
    expect(sanitizeFilename('a\r\nb.txt')).toBe('a__b.txt');
    expect(sanitizeFilename('"quoted"\\name.pdf')).toBe('_quoted__name.pdf');
    expect(sanitizeFilename('rechnung\u202egpj.exe')).toBe('rechnung_gpj.exe');
    expect(sanitizeFilename('zero\u200bwidth.txt')).toBe('zero_width.txt');
    expect(sanitizeFilename('...')).toBe('attachment');
    expect(sanitizeFilename('')).toBe('attachment');
    // A received message's blank name (the API refuses one): a fallback, never an empty name.
    expect(sanitizeFilename(' \u00a0\u3000\t ')).toBe('attachment');
    // Nothing visible either (U+2800, zero-width, Hangul filler, a variation selector): the
    // fallback too, not "_" (what a zero-width space alone became) nor a name that shows empty.
    for (const invisible of ['\u2800', '\u200b', '\u200b\u3164', ' \u034f\ufe0f\u2060 '])
      expect(sanitizeFilename(invisible)).toBe('attachment');
    expect(sanitizeFilename('👩\u200d💻 plan.txt')).toBe('👩_💻 plan.txt');
    const long = sanitizeFilename(`${'x'.repeat(300)}.docx`);
    expect(long).toHaveLength(200);
    expect(long.endsWith('.docx')).toBe(true);
  });

  it('keeps plain content types and turns anything else into bytes', () => {
    expect(normalizeContentType('Image/PNG')).toBe('image/png');
    expect(normalizeContentType('text/html; charset=utf-8')).toBe('application/octet-stream');
    expect(normalizeContentType('text/plain\r\nX-Evil: 1')).toBe('application/octet-stream');
    expect(normalizeContentType(undefined)).toBe('application/octet-stream');
  });

  it('serves only inert types inline, always as an attachment with an encoded name', () => {
    expect(downloadHeaders('strona.html', 'text/html')['content-type']).toBe('application/octet-stream');
    expect(downloadHeaders('a.svg', 'image/svg+xml')['content-type']).toBe('application/octet-stream');
    expect(downloadHeaders('a.png', 'image/png')['content-type']).toBe('image/png');
    const h = downloadHeaders('raport; 100%.txt', 'text/plain');
    expect(h['content-disposition']).toBe(
      `attachment; filename="raport_ 100_.txt"; filename*=UTF-8''raport%3B%20100%25.txt`,
    );
  });

  it('checks each file and the total against the caps', () => {
    const limits = { maxFiles: 2, perFileBytes: 4, totalBytes: 6 };
    const b = (n: number) => Buffer.alloc(n).toString('base64');
    expect(decodeAttachments([{ filename: 'a', content: b(4) }], limits)[0]!.size).toBe(4);
    expect(() => decodeAttachments([{ filename: 'a', content: b(5) }], limits)).toThrow('PAYLOAD_TOO_LARGE');
    expect(() =>
      decodeAttachments(
        [
          { filename: 'a', content: b(4) },
          { filename: 'b', content: b(3) },
        ],
        limits,
      ),
    ).toThrow('PAYLOAD_TOO_LARGE');
    expect(() => decodeAttachments([{ filename: 'a', content: 'not base64!' }], limits)).toThrow(
      'VALIDATION_FAILED',
    );
  });
});
