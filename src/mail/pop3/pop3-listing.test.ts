import { describe, expect, it } from 'vitest';
import { parseCapabilities, parseListing, parseStat, parseUidLine, parseUidListing } from './pop3-listing.js';

const lines = (...xs: string[]): Buffer[] => xs.map((x) => Buffer.from(x, 'latin1'));

describe('parseUidListing', () => {
  it('accepts RFC 1939 ids', () => {
    const r = parseUidListing(lines('1 whqtswO00WBw418f9t5JxYwZ', '2 QhdPYR:00WBw1Ph7x7'));
    expect(r.valid).toBe(true);
    expect(r.entries.map((e) => e.uid)).toEqual(['whqtswO00WBw418f9t5JxYwZ', 'QhdPYR:00WBw1Ph7x7']);
  });

  it('flags duplicates (both entries) so callers fall back to content hashes', () => {
    const r = parseUidListing(lines('1 same', '2 other', '3 same'));
    expect(r.valid).toBe(false);
    expect(r.entries.map((e) => e.valid)).toEqual([false, true, false]);
    expect(r.entries[0]?.uid).toBe('same');
  });

  it('drops ids longer than 70 octets or with characters outside 0x21-0x7E', () => {
    const r = parseUidListing(
      lines(`1 ${'a'.repeat(200)}`, '2 ok\u0001bad', '3 has space', '4 \u00e9t\u00e9', `5 ${'b'.repeat(70)}`),
    );
    expect(r.entries.map((e) => [e.uid === null, e.valid])).toEqual([
      [true, false],
      [true, false],
      [true, false],
      [true, false],
      [false, true],
    ]);
    expect(r.valid).toBe(false);
  });

  it('rejects garbage and out-of-order numbers as protocol errors', () => {
    expect(() => parseUidLine(Buffer.from('x abc'))).toThrow(/protocol/);
    expect(() => parseUidListing(lines('2 a', '1 b'))).toThrow(/protocol/);
  });
});

describe('parseListing / parseStat', () => {
  it('parses sizes, keeping absurd sizes absurd', () => {
    expect(parseListing(lines('1 120', '2 2147483648', '3 99999999999999999999'))).toEqual([
      { number: 1, size: 120 },
      { number: 2, size: 2147483648 },
      { number: 3, size: Number.POSITIVE_INFINITY },
    ]);
  });

  it('rejects malformed lines', () => {
    expect(() => parseListing(lines('1 abc'))).toThrow(/protocol/);
    expect(() => parseStat('two 3')).toThrow(/protocol/);
    expect(parseStat('2 320 extra')).toEqual({ count: 2, size: 320 });
  });
});

describe('parseCapabilities', () => {
  it('upper-cases names, lists SASL mechanisms and strips control characters', () => {
    const caps = parseCapabilities(lines('top', 'SASL plain XOAUTH2', 'STLS', 'IMPLEMENTATION x\u001b[31m'));
    expect([...caps.names]).toEqual(['TOP', 'SASL', 'STLS', 'IMPLEMENTATION']);
    expect(caps.sasl).toEqual(['PLAIN', 'XOAUTH2']);
    expect(caps.lines[3]).toBe('IMPLEMENTATION x[31m');
  });
});
