import { describe, expect, it } from 'vitest';
import { DEFAULT_GIVE_UP_AFTER_MS, nextAttemptAt, RETRY_DELAYS_MS, retryDelayMs } from './retry-schedule.js';

const createdAt = new Date('2026-03-28T12:00:00Z');

describe('retry schedule (M33, docs/decisions/0008)', () => {
  it('waits 1 m, 5 m, 15 m, 30 m, 1 h, 2 h, 4 h, then every 4 h', () => {
    const minutes = [1, 2, 3, 4, 5, 6, 7, 8, 20].map((a) => retryDelayMs(a) / 60_000);
    expect(minutes).toEqual([1, 5, 15, 30, 60, 120, 240, 240, 240]);
    expect(RETRY_DELAYS_MS).toHaveLength(7);
  });

  it('stretches each wait by 0–20 % and never shortens it', () => {
    const now = new Date(createdAt.getTime() + 60_000);
    const low = nextAttemptAt({ attempt: 2, now, createdAt, random: () => 0 })!;
    const high = nextAttemptAt({ attempt: 2, now, createdAt, random: () => 0.999999 })!;
    expect(low.getTime() - now.getTime()).toBe(5 * 60_000);
    expect(high.getTime() - now.getTime()).toBeLessThan(6 * 60_000);
    expect(high.getTime() - now.getTime()).toBeGreaterThan(5.9 * 60_000);
  });

  it('catalogue hints: rate limits wait an hour at least, daily quotas a day', () => {
    expect(retryDelayMs(1, 'long')).toBe(60 * 60_000);
    expect(retryDelayMs(1, 'next-day')).toBe(24 * 60 * 60_000);
    expect(retryDelayMs(7, 'long')).toBe(4 * 60 * 60_000);
  });

  it('gives up four days after the email was written; the last try is pulled inside the window', () => {
    const end = createdAt.getTime() + DEFAULT_GIVE_UP_AFTER_MS;
    expect(nextAttemptAt({ attempt: 30, now: new Date(end), createdAt })).toBeNull();
    const near = new Date(end - 60_000);
    expect(nextAttemptAt({ attempt: 30, now: near, createdAt, random: () => 0 })!.getTime()).toBe(end);
  });

  it('case 51: absolute UTC instants, monotonic across a DST change', () => {
    // 2026-03-29 01:00 UTC is the CET→CEST switch: local clocks jump, instants do not.
    let now = new Date('2026-03-29T00:30:00Z');
    let previous = 0;
    for (let attempt = 1; attempt <= 8; attempt++) {
      const next = nextAttemptAt({ attempt, now, createdAt, random: () => 0.5 })!;
      expect(next.getTime()).toBeGreaterThan(previous);
      expect(next.getTime() - now.getTime()).toBeGreaterThanOrEqual(retryDelayMs(attempt));
      previous = next.getTime();
      now = next;
    }
  });
});
