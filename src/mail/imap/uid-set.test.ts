import { describe, expect, it } from 'vitest';
import { uidSet } from './uid-set.js';

describe('uidSet', () => {
  it('collapses runs, keeps singles, sorts and drops repeats', () => {
    expect(uidSet([9, 1, 2, 3, 7, 8, 12, 3])).toBe('1:3,7:9,12');
    expect(uidSet([5])).toBe('5');
    expect(uidSet([4, 6])).toBe('4,6');
    expect(uidSet([])).toBe('');
  });

  it('names 20,000 consecutive UIDs in a few characters', () => {
    const uids = Array.from({ length: 20_000 }, (_, i) => 100_001 + i);
    expect(uidSet(uids)).toBe('100001:120000');
  });
});
