import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_FORMAT, dayjsLocale, formatDay } from '../../web/src/shared/lib/date-locale.js';
import { dayEnd, dayStart, isDay } from '../../web/src/shared/lib/day-range.js';

/**
 * The Delivery log's day filters: a picked day (`yyyy-mm-dd` in the URL) becomes the API's
 * `from`/`to` instants in the browser's time zone, the end inclusive to the last millisecond;
 * the picker shows the day in the UI language. Node reads TZ when a date is computed, so the
 * zone is set here as a browser in Warsaw would have it.
 */
const previousTz = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'Europe/Warsaw';
});
afterAll(() => {
  if (previousTz === undefined) delete process.env.TZ;
  else process.env.TZ = previousTz;
});

describe('dayStart / dayEnd', () => {
  it('cover the whole local day, end inclusive', () => {
    // Winter: UTC+1.
    expect(dayStart('2026-12-05')).toBe('2026-12-04T23:00:00.000Z');
    expect(dayEnd('2026-12-05')).toBe('2026-12-05T22:59:59.999Z');
    // Summer: UTC+2.
    expect(dayStart('2026-07-01')).toBe('2026-06-30T22:00:00.000Z');
    expect(dayEnd('2026-07-01')).toBe('2026-07-01T21:59:59.999Z');
  });

  it('follow the clock change: the spring day is 23 hours long', () => {
    expect(dayStart('2026-03-29')).toBe('2026-03-28T23:00:00.000Z');
    expect(dayEnd('2026-03-29')).toBe('2026-03-29T21:59:59.999Z');
  });

  it('ignore anything that is not a real day (nothing is sent then)', () => {
    for (const bad of [null, undefined, '', '2026-13-01', '2026-02-30', '5.12.2026', '2026-12-05T10:00']) {
      expect(isDay(bad)).toBe(false);
      expect(dayStart(bad)).toBeUndefined();
      expect(dayEnd(bad)).toBeUndefined();
    }
    expect(isDay('2028-02-29')).toBe(true);
  });
});

describe('formatDay', () => {
  it('names the month in Polish (genitive, as a date reads) or in English', () => {
    expect(formatDay('2026-12-05', 'pl')).toBe('5 grudnia 2026');
    expect(formatDay('2026-03-01', 'pl')).toBe('1 marca 2026');
    expect(formatDay('2026-12-05', 'en')).toBe('Dec 5, 2026');
    expect(dayjsLocale('pl-PL')).toBe('pl');
    expect(dayjsLocale('de')).toBe('en');
    expect(Object.keys(DAY_FORMAT).sort()).toEqual(['en', 'pl']);
  });
});
