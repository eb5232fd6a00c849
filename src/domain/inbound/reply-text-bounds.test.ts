import { describe, expect, it } from 'vitest';
import { splitReplyText } from './reply-text.js';
import { forLibrary, MAX_LINE, MAX_PARSED } from './reply-text-bounds.js';

/**
 * email-reply-parser is super-linear without re2: 64 K newlines took 63 s, "From: " + 64 K spaces
 * 9 s, one 16 KiB line of "x on at " 32 s. What it is handed is bounded; splitting such texts now
 * takes well under 100 ms, so the 10 s timeouts are the guard where the old code took 32–63 s.
 */
describe('what the reply parser reads', () => {
  const longestRun = (s: string, re: RegExp) => Math.max(0, ...[...s.matchAll(re)].map((m) => m[0].length));

  it('is at most MAX_PARSED characters, one blank line per run, 8 spaces per run, lines of MAX_LINE', () => {
    for (const hostile of [
      '\n'.repeat(64 * 1024),
      ' \n'.repeat(32 * 1024),
      `From: ${' '.repeat(64 * 1024)}`,
      '\t'.repeat(64 * 1024),
      'x on at '.repeat(8 * 1024),
      `> ${'01.01.2026 10:00 "x" <'.repeat(2000)}`,
      '>'.repeat(64 * 1024),
    ]) {
      const read = forLibrary(hostile);
      // Each wrapped piece adds at most a 16-character quote prefix, two markers and a line break.
      expect(read.length).toBeLessThanOrEqual(MAX_PARSED * (1 + 19 / MAX_LINE));
      expect(longestRun(read, /\n(?:[ \t]*\n)+/g)).toBeLessThanOrEqual(2);
      expect(longestRun(read, /[ \t]+/g)).toBeLessThanOrEqual(8);
      expect(longestRun(read, /[^\n]+/g)).toBeLessThanOrEqual(MAX_LINE + 18);
    }
  });

  it('splits the hostile texts quickly', () => {
    expect(splitReplyText('\n'.repeat(64 * 1024))).toEqual({ visible: '', quoted: '' });
    expect(splitReplyText(`From: ${' '.repeat(64 * 1024)}`).visible).toBe('From:');
    const line = 'x on at '.repeat(2 * 1024).trim();
    expect(splitReplyText(line)).toEqual({ visible: line, quoted: '' });
  }, 10_000);

  it("keeps the sender's long lines whole, in the new text and in the quote", () => {
    const para = `${'Długi akapit bez łamania wierszy. '.repeat(60)}Koniec.`;
    const quotedLine = `> ${'stara treść '.repeat(50)}koniec cytatu`;
    const r = splitReplyText(
      `${para}\n\nW dniu 3.12.2026 10:15 Jan <jan@firma.pl> napisał:\n${quotedLine}\n> druga`,
    );
    expect(r.visible).toBe(para);
    expect(r.quoted).toContain(quotedLine);
    expect(r.quoted).toContain('> druga');
    expect(r.quoted).not.toMatch(/[\uE000\uE001]/);
  });

  it('shows new text past what the parser reads when it found no quote there', () => {
    const text = Array.from({ length: 400 }, (_, i) => `Punkt ${i}: ${'treść '.repeat(10).trim()}`).join(
      '\n\n',
    );
    expect(text.length).toBeGreaterThan(MAX_PARSED);
    const r = splitReplyText(text);
    expect(r.visible).toBe(text.trim());
    expect(r.quoted).toBe('');
  });
});
