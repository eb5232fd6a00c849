import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { wireProblem } from './compose-outgoing-wire.js';
import { composeTestMessage } from './compose-test-message.js';

const message = (fromName: string) => ({
  messageId: '<mr.test.abc@firma.pl>',
  fromName,
  subject: 'Test',
  text: 'Line 1\nLine 2\r',
  date: new Date('2026-12-04T10:00:00Z'),
  headers: { 'X-Mailroom-Test': 'abc' },
});

describe('composeTestMessage (M23, M55)', () => {
  it('strips a zero-width space and bidi controls from the stored display name', async () => {
    const raw = await composeTestMessage('anna@firma.pl', message('Anna\u200b \u202eNowak'));
    expect(wireProblem(raw)).toBeNull();
    const parsed = await simpleParser(raw);
    expect(parsed.from?.value).toEqual([{ address: 'anna@firma.pl', name: 'Anna Nowak' }]);
    expect(raw.toString()).not.toMatch(/=E2=80=8B|4oCL|\u200b/);
    expect(parsed.text).toBe('Line 1\nLine 2\n');
  });

  it('leaves out a name that cannot be made safe, and still sends the test', async () => {
    const raw = await composeTestMessage('anna@firma.pl', message('Anna\r\nBcc: evil@x.pl'));
    const parsed = await simpleParser(raw);
    expect(parsed.from?.value).toEqual([{ address: 'anna@firma.pl', name: '' }]);
    expect(parsed.headers.has('bcc')).toBe(false);
  });

  it('refuses CR/LF in the values our own code sets', async () => {
    await expect(
      composeTestMessage('anna@firma.pl', { ...message('A'), subject: 'x\r\nBcc: evil@x.pl' }),
    ).rejects.toThrow(/CR, LF or NUL/);
  });
});
