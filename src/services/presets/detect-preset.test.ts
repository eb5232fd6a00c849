import { describe, expect, it } from 'vitest';
import { createPresetDetector, type ResolveMx } from './detect-preset.js';

/** A resolver fake at the port: records calls, answers from a table or a function. */
function fakeResolver(answer: (domain: string, signal?: AbortSignal) => Promise<string[]> | string[]) {
  const calls: string[] = [];
  const signals: AbortSignal[] = [];
  const resolveMx: ResolveMx = async (domain, signal) => {
    calls.push(domain);
    if (signal) signals.push(signal);
    return answer(domain, signal);
  };
  return { resolveMx, calls, signals };
}

const never = (): Promise<string[]> => new Promise<string[]>(() => {});

describe('createPresetDetector', () => {
  it('answers from the email domain without any DNS lookup', async () => {
    const dns = fakeResolver(() => ['mx.firma.pl']);
    const detector = createPresetDetector({ resolveMx: dns.resolveMx });
    expect(await detector.detect('jan@gmail.com')).toEqual({ presetId: 'gmail', via: 'domain' });
    expect(await detector.detect('JAN@HOTMAIL.COM')).toEqual({
      presetId: 'microsoft',
      variantId: 'outlook-com',
      via: 'domain',
    });
    expect(dns.calls).toEqual([]);
  });

  it('falls back to the MX hosts of a custom domain', async () => {
    const dns = fakeResolver((domain) =>
      domain === 'firma.pl' ? ['aspmx.l.google.com', 'alt1.aspmx.l.google.com'] : ['mx.zoho.eu'],
    );
    const detector = createPresetDetector({ resolveMx: dns.resolveMx });
    expect(await detector.detect('jan@firma.pl')).toEqual({
      presetId: 'gmail',
      via: 'mx',
      mxHosts: ['aspmx.l.google.com', 'alt1.aspmx.l.google.com'],
    });
    expect(await detector.detect('anna@sklep.eu')).toEqual({
      presetId: 'zoho',
      variantId: 'organization-eu',
      via: 'mx',
      mxHosts: ['mx.zoho.eu'],
    });
    expect(dns.calls).toEqual(['firma.pl', 'sklep.eu']);
  });

  it('looks up the punycode form of an IDN domain', async () => {
    const dns = fakeResolver(() => ['firma-pl.mail.protection.outlook.com']);
    const detector = createPresetDetector({ resolveMx: dns.resolveMx });
    expect((await detector.detect('jan@żółw.pl')).presetId).toBe('microsoft');
    expect(dns.calls).toEqual(['xn--w-uga1v8h.pl']);
  });

  it('reports the MX hosts but no preset when no provider matches', async () => {
    const dns = fakeResolver(() => ['MX1.Firma.PL.', '', 'bad host\r\n', 42 as unknown as string]);
    const detector = createPresetDetector({ resolveMx: dns.resolveMx });
    expect(await detector.detect('jan@firma.pl')).toEqual({
      presetId: null,
      via: 'none',
      mxHosts: ['mx1.firma.pl'],
    });
  });

  it.each([
    ['', 'empty'],
    ['jan@firma.pl\r\nX', 'CR/LF'],
    ['jan @firma.pl', 'space'],
    ['jan@[192.0.2.1]', 'IP literal'],
    ['jan@192.0.2.1', 'bare IPv4'],
    ['jan@localhost', 'single label'],
    [`jan@${'a'.repeat(300)}.pl`, 'too long'],
  ])('returns none without DNS for invalid input %j (%s)', async (email) => {
    const dns = fakeResolver(() => ['aspmx.l.google.com']);
    const detector = createPresetDetector({ resolveMx: dns.resolveMx });
    expect(await detector.detect(email)).toEqual({ presetId: null, via: 'none' });
    expect(dns.calls).toEqual([]);
  });

  it('returns none for non-string input instead of throwing', async () => {
    const dns = fakeResolver(() => ['aspmx.l.google.com']);
    const detector = createPresetDetector({ resolveMx: dns.resolveMx });
    expect(await detector.detect(null as unknown as string)).toEqual({ presetId: null, via: 'none' });
    expect(dns.calls).toEqual([]);
  });

  it('gives up after the timeout when DNS never answers, and aborts the lookup', async () => {
    const dns = fakeResolver(never);
    const detector = createPresetDetector({ resolveMx: dns.resolveMx, timeoutMs: 50 });
    const started = Date.now();
    expect(await detector.detect('jan@firma.pl')).toEqual({ presetId: null, via: 'none' });
    // Generous bound: the point is "does not hang", not the exact delay.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(dns.signals[0]?.aborted).toBe(true);
  });

  it.each([
    ['rejects', () => Promise.reject(Object.assign(new Error('queryMx ENOTFOUND'), { code: 'ENOTFOUND' }))],
    [
      'throws synchronously',
      () => {
        throw new Error('boom');
      },
    ],
    ['answers with something that is not a list', () => ({ exchange: 'x' }) as unknown as string[]],
  ])('returns none when the resolver %s', async (_label, answer) => {
    const calls: string[] = [];
    const detector = createPresetDetector({
      // Not async on purpose: a resolver that throws before returning a promise.
      resolveMx: (domain) => {
        calls.push(domain);
        return answer() as Promise<string[]>;
      },
    });
    expect(await detector.detect('jan@firma.pl')).toEqual({ presetId: null, via: 'none' });
    expect(calls).toEqual(['firma.pl']);
  });

  it('caches per domain, case-insensitively, so typing does not repeat lookups', async () => {
    const dns = fakeResolver(() => ['aspmx.l.google.com']);
    const detector = createPresetDetector({ resolveMx: dns.resolveMx });
    await detector.detect('jan@firma.pl');
    await detector.detect('anna@FIRMA.pl');
    expect((await detector.detect('ola@firma.pl')).presetId).toBe('gmail');
    expect(dns.calls).toEqual(['firma.pl']);
  });

  it('shares one lookup between concurrent requests for the same domain', async () => {
    let release: (hosts: string[]) => void = () => {};
    const dns = fakeResolver(() => new Promise<string[]>((resolve) => (release = resolve)));
    const detector = createPresetDetector({ resolveMx: dns.resolveMx });
    const first = detector.detect('jan@firma.pl');
    const second = detector.detect('anna@firma.pl');
    await Promise.resolve();
    release(['mx01.mail.icloud.com']);
    expect((await first).presetId).toBe('icloud');
    expect((await second).presetId).toBe('icloud');
    expect(dns.calls).toEqual(['firma.pl']);
  });

  it('expires answers after the TTL and failures after the shorter failure TTL', async () => {
    let clock = 1_000_000;
    let fail = true;
    const dns = fakeResolver(() => (fail ? Promise.reject(new Error('SERVFAIL')) : ['mx.yandex.net']));
    const detector = createPresetDetector({
      resolveMx: dns.resolveMx,
      now: () => clock,
      cacheTtlMs: 60_000,
      failureTtlMs: 5_000,
    });
    expect((await detector.detect('jan@firma.pl')).via).toBe('none');
    clock += 4_000;
    expect((await detector.detect('jan@firma.pl')).via).toBe('none');
    expect(dns.calls).toHaveLength(1);
    clock += 2_000;
    fail = false;
    expect((await detector.detect('jan@firma.pl')).presetId).toBe('yandex');
    expect(dns.calls).toHaveLength(2);
    clock += 59_000;
    await detector.detect('jan@firma.pl');
    expect(dns.calls).toHaveLength(2);
    clock += 2_000;
    await detector.detect('jan@firma.pl');
    expect(dns.calls).toHaveLength(3);
  });

  it('keeps at most cacheMaxEntries domains, dropping the least recently used', async () => {
    const dns = fakeResolver(() => ['mx.firma.pl']);
    const detector = createPresetDetector({ resolveMx: dns.resolveMx, cacheMaxEntries: 2 });
    await detector.detect('x@a.pl');
    await detector.detect('x@b.pl');
    await detector.detect('x@a.pl'); // hit: a is now the most recent
    await detector.detect('x@c.pl'); // evicts b
    await detector.detect('x@a.pl'); // still cached
    await detector.detect('x@b.pl'); // looked up again
    expect(dns.calls).toEqual(['a.pl', 'b.pl', 'c.pl', 'b.pl']);
  });

  it('hands out copies, so a caller cannot change the cached answer', async () => {
    const dns = fakeResolver(() => ['mx.firma.pl']);
    const detector = createPresetDetector({ resolveMx: dns.resolveMx });
    const first = await detector.detect('jan@firma.pl');
    first.mxHosts?.push('aspmx.l.google.com');
    first.presetId = 'gmail';
    expect(await detector.detect('jan@firma.pl')).toEqual({
      presetId: null,
      via: 'none',
      mxHosts: ['mx.firma.pl'],
    });
  });
});
