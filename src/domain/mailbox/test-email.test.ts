import { describe, expect, it } from 'vitest';
import { checkDelayMs, DEFAULT_TEST_EMAIL_TIMING, testEmailMessageId, testEmailState } from './test-email.js';

describe('test email', () => {
  const deadlineAt = new Date('2026-01-01T10:00:00Z');
  const at = (s: string) => new Date(`2026-01-01T${s}Z`);

  it('reads an unfinished row as interrupted only well after its deadline', () => {
    expect(testEmailState({ status: 'waiting', deadlineAt }, at('10:00:30'))).toBe('waiting');
    expect(testEmailState({ status: 'waiting', deadlineAt }, at('10:01:01'))).toBe('interrupted');
    expect(testEmailState({ status: 'sending', deadlineAt }, at('10:05:00'))).toBe('interrupted');
    expect(testEmailState({ status: 'arrived', deadlineAt }, at('11:00:00'))).toBe('arrived');
    expect(testEmailState({ status: 'not_arrived', deadlineAt }, at('11:00:00'))).toBe('not_arrived');
  });

  it('puts the Message-ID on the lower-cased domain of the address', () => {
    expect(testEmailMessageId('abc', 'Jan@Example.COM')).toBe('<mailroom-test.abc@example.com>');
  });

  it('backs off between checks and then repeats the last pause', () => {
    const delays = [0, 1, 2, 3, 4, 5, 9].map((n) => checkDelayMs(DEFAULT_TEST_EMAIL_TIMING, n));
    expect(delays).toEqual([2000, 3000, 5000, 10000, 15000, 15000, 15000]);
  });
});
