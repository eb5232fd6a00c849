import { describe, expect, it } from 'vitest';
import { capFor, shares } from '../../bench/support/budget.js';

describe('bench suite budget', () => {
  it('shares the budget in proportion to typical durations', () => {
    const s = shares([{ typicalMs: 50_000 }, { typicalMs: 25_000 }, { typicalMs: 25_000 }], 200_000);
    expect(s).toEqual([100_000, 50_000, 50_000]);
  });

  it('gives a long first benchmark its share instead of an equal slice', () => {
    // The API read benchmark (~53 s) first among eight of ~258 s in all, 285 s budget.
    const typical = [53, 21, 29, 15, 15, 26, 24, 76].map((s) => ({ typicalMs: s * 1000 }));
    const s = shares(typical, 285_000);
    expect(capFor(0, 285_000, s)).toBeGreaterThan(55_000);
    // Every later one still has at least its typical duration left if the first took its cap.
    let left = 285_000 - capFor(0, 285_000, s);
    for (let i = 1; i < typical.length; i++) {
      const cap = capFor(i, left, s);
      expect(cap).toBeGreaterThanOrEqual(typical[i]!.typicalMs);
      left -= cap;
    }
  });

  it('keeps the shares of the ones after a benchmark, unless that leaves it less than its own', () => {
    const s = [10_000, 10_000, 10_000];
    expect(capFor(0, 30_000, s)).toBe(10_000);
    expect(capFor(0, 50_000, s)).toBe(30_000); // slack goes to the one running now
    expect(capFor(1, 12_000, s)).toBe(10_000); // an earlier overrun: its own share still holds
    expect(capFor(2, 4_000, s)).toBe(4_000); // never more than what is left
  });
});
