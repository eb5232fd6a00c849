import { afterEach, describe, expect, it, vi } from 'vitest';
import { createParsePool, type ParsePool, ParsePoolClosed } from './parse-pool.js';
import { parseMessage, READ_LIMITS, UnreadableMessage } from './process-parse.js';

/** SECURITY.md §4.2: a parse that never ends or grows without end costs its message, nothing more. */
const hostile = new URL('../../../test/helpers/parse-hostile.ts', import.meta.url).href;

const message = (subject: string) =>
  Buffer.from(
    `From: "Klient" <k@example.org>\r\nTo: us@example.com\r\nSubject: ${subject}\r\n` +
      'Message-ID: <m1@example.org>\r\nIn-Reply-To: <mr.abc@example.com>\r\n' +
      'Date: Fri, 04 Dec 2026 10:15:00 +0100\r\nMIME-Version: 1.0\r\n' +
      'Content-Type: multipart/mixed; boundary="b"\r\n\r\n' +
      '--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nZażółć gęślą jaźń\r\n' +
      '--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="a.bin"\r\n' +
      `Content-Transfer-Encoding: base64\r\n\r\n${Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 256)).toString('base64')}\r\n` +
      '--b\r\nContent-Type: image/png\r\nContent-ID: <img1>\r\nContent-Disposition: inline\r\n' +
      `Content-Transfer-Encoding: base64\r\n\r\n${Buffer.from('\x89PNG fake').toString('base64')}\r\n--b--\r\n`,
  );

const outcome = (p: Promise<unknown>) =>
  p.then(
    () => 'parsed',
    (e: unknown) =>
      e instanceof UnreadableMessage ? e.reason : e instanceof ParsePoolClosed ? 'closed' : String(e),
  );

let pool: ParsePool | null = null;
afterEach(async () => {
  await pool?.close();
  pool = null;
});

describe('parse pool', () => {
  it('answers what parseMessage answers: headers Map, Date, parts as Buffers with the same bytes', async () => {
    pool = createParsePool();
    const raw = message('Oferta');
    const copy = Buffer.from(raw);
    const parsed = await pool.parse(raw);
    expect(parsed).toEqual(await parseMessage(raw));
    expect(parsed.headers).toBeInstanceOf(Map);
    expect(parsed.headers.get('in-reply-to')).toEqual(['<mr.abc@example.com>']);
    expect(parsed.date).toBeInstanceOf(Date);
    expect(parsed.date?.toISOString()).toBe('2026-12-04T09:15:00.000Z');
    expect(parsed.text).toContain('Zażółć gęślą jaźń');
    expect(parsed.parts).toHaveLength(2);
    for (const part of parsed.parts) expect(Buffer.isBuffer(part.content)).toBe(true);
    expect(
      Buffer.compare(
        parsed.parts[0]!.content as Buffer,
        Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 256)),
      ),
    ).toBe(0);
    expect(parsed.parts[1]).toMatchObject({
      contentId: 'img1',
      disposition: 'inline',
      contentType: 'image/png',
    });
    // The caller's bytes were copied, not moved: still whole and readable.
    expect(raw.equals(copy)).toBe(true);
  });

  it('refuses like parseMessage: the pre-scan and parser reasons cross the thread', async () => {
    pool = createParsePool();
    const deep = Buffer.from(
      `From: a@b.example\r\n${'Content-Type: multipart/mixed; boundary="x"\r\n'.repeat(400)}\r\nx\r\n`,
    );
    expect(await outcome(pool.parse(deep))).toBe('too_deep');
    expect(await outcome(pool.parse(Buffer.from('not a header\r\n\r\nbody')))).toBe('malformed_headers');
  });

  it('ends a parse that never yields: timeout, the main loop kept running, the next message parses in a new worker', async () => {
    pool = createParsePool({ parseModule: hostile, limits: { ...READ_LIMITS, timeoutMs: 1_000 } });
    expect(await outcome(pool.parse(message('warm')))).toBe('parsed');
    let ticks = 0;
    const interval = setInterval(() => ticks++, 5);
    try {
      const stuck = pool.parse(message('spin'));
      expect(await outcome(stuck)).toBe('timeout');
      // The spinning thread never held this one: its timers fired while the budget ran.
      expect(ticks).toBeGreaterThan(0);
    } finally {
      clearInterval(interval);
    }
    expect(await outcome(pool.parse(message('after')))).toBe('parsed');
    expect(pool.started).toBe(2);
    // The spinning thread was stopped, not just forgotten.
    await vi.waitFor(() => expect(pool?.live).toBe(1), { timeout: 20_000 });
  });

  it('a memory bomb kills only its worker: out_of_memory, this process lives, the next message parses', async () => {
    pool = createParsePool({ parseModule: hostile, maxHeapMb: 32 });
    expect(await outcome(pool.parse(message('grow')))).toBe('out_of_memory');
    expect(await outcome(pool.parse(message('after')))).toBe('parsed');
    expect(pool.started).toBe(2);
  });

  it('shutdown with a parse in flight and one waiting resolves; both reject as closed, not unreadable', async () => {
    pool = createParsePool({ parseModule: hostile, limits: { ...READ_LIMITS, timeoutMs: 600_000 } });
    await pool.parse(message('warm'));
    const running = outcome(pool.parse(message('spin')));
    const waiting = outcome(pool.parse(message('next')));
    await pool.close();
    expect(pool.live).toBe(0);
    expect(await running).toBe('closed');
    expect(await waiting).toBe('closed');
    expect(await outcome(pool.parse(message('late')))).toBe('closed');
  });

  it('an aborted parse ends its worker and rejects with the abort reason', async () => {
    pool = createParsePool({ parseModule: hostile, limits: { ...READ_LIMITS, timeoutMs: 600_000 } });
    await pool.parse(message('warm'));
    const stop = new AbortController();
    const running = outcome(pool.parse(message('spin'), stop.signal));
    stop.abort(new Error('stopping'));
    expect(await running).toBe('Error: stopping');
    expect(await outcome(pool.parse(message('after')))).toBe('parsed');
    expect(pool.started).toBe(2);
    await vi.waitFor(() => expect(pool?.live).toBe(1), { timeout: 20_000 });
  });

  it("a worker that cannot start fails the parse as not the message's fault (no restart loop)", async () => {
    pool = createParsePool({ parseModule: new URL('./no-such-parser.ts', import.meta.url).href });
    const failed = await pool.parse(message('x')).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(Error);
    expect(failed).not.toBeInstanceOf(UnreadableMessage);
    expect(pool.started).toBe(1);
  });

  it('bounds the parses waiting for a worker', async () => {
    pool = createParsePool({ maxWaiting: 2 });
    const all = [1, 2, 3].map((n) => outcome(pool!.parse(message(`m${n}`))));
    expect(await Promise.all(all)).toEqual(['parsed', 'parsed', 'closed']);
  });
});
