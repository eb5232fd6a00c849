import { describe, expect, it } from 'vitest';
import { defaultLogDestination, humanLogLine } from './logger.js';

describe('log lines (issue 8 item 2)', () => {
  it('turns a JSON line into a readable one, keeping the extra fields', () => {
    const line = humanLogLine(
      JSON.stringify({
        level: 40,
        time: Date.UTC(2026, 0, 2, 3, 4, 5),
        pid: 1,
        service: 'mailroom',
        msg: 'slow',
        ms: 12,
      }),
    );
    expect(line).toBe('03:04:05 WARN  slow ms=12');
    expect(humanLogLine('not json')).toBe('not json');
  });

  it('writes JSON as is when the output is not a terminal, readable lines when it is', () => {
    const written: string[] = [];
    const out = { isTTY: false, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream;
    expect(defaultLogDestination(out)).toBe(out);
    const tty = { isTTY: true, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream;
    (defaultLogDestination(tty) as { write(s: string): void }).write('{"level":30,"time":0,"msg":"hello"}\n');
    expect(written).toEqual(['00:00:00 INFO  hello\n']);
  });
});

describe('field messages use plural forms (issue 8 item 7)', async () => {
  const { fieldMessage } = await import('./i18n/error-messages.js');
  it.each([
    [1, 'Za krótkie: co najmniej 1 znak.'],
    [2, 'Za krótkie: co najmniej 2 znaki.'],
    [5, 'Za krótkie: co najmniej 5 znaków.'],
    [12, 'Za krótkie: co najmniej 12 znaków.'],
    [22, 'Za krótkie: co najmniej 22 znaki.'],
  ])('%i → %s', (limit, text) => {
    expect(fieldMessage('minLength', 'pl', { limit })).toBe(text);
  });
  it('English one/other', () => {
    expect(fieldMessage('maxLength', 'en', { limit: 1 })).toBe('Too long: at most 1 character.');
    expect(fieldMessage('maxLength', 'en', { limit: 200 })).toBe('Too long: at most 200 characters.');
  });
});
