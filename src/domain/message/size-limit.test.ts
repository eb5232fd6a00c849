import { describe, expect, it } from 'vitest';
import { announcedSize, checkMessageSize } from './size-limit.js';

describe('checkMessageSize (SECURITY §7 case 27)', () => {
  it.each([
    [1000, 999, 'ok'],
    [1000, 1000, 'ok'],
    [1000, 1001, 'too_large'],
    [35_882_577, 40_000_000, 'too_large'],
    [0, 10 ** 9, 'ok'],
    [null, 10 ** 9, 'ok'],
    [undefined, 10 ** 9, 'ok'],
    [Number.NaN, 5, 'ok'],
  ] as const)('SIZE %s, message %s octets → %s', (limit, size, verdict) => {
    expect(checkMessageSize(limit, size)).toBe(verdict);
  });
});

describe('announcedSize', () => {
  it.each([
    ['SIZE 35882577', 35_882_577],
    ['size 1000', 1000],
    ['SIZE', null],
    ['SIZE 0', null],
    ['SIZES 10', null],
    ['8BITMIME', null],
  ])('%j → %s', (line, value) => {
    expect(announcedSize(line)).toBe(value);
  });
});
