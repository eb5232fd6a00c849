import { describe, expect, it } from 'vitest';
import type { Pop3Error } from './pop3-errors.js';
import { type MultiLineCap, Pop3Reader } from './pop3-reader.js';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');

function reader(limits: { maxReplyBytes?: number } = {}) {
  const fatal: Pop3Error[] = [];
  const meter = { peakBytes: 0 };
  const r = new Pop3Reader({
    maxReplyBytes: limits.maxReplyBytes ?? 64,
    onFatal: (err) => fatal.push(err),
    meter,
  });
  return { r, fatal, meter };
}

const cap = (c: Partial<MultiLineCap> = {}): MultiLineCap => ({
  what: 'listing',
  maxLineBytes: 64,
  maxLines: 10,
  maxBytes: 1024,
  ...c,
});

describe('Pop3Reader', () => {
  it('frames a status line split over chunks, CRLF removed', async () => {
    const { r } = reader();
    r.expect(1);
    const line = r.readLine();
    r.push(b('+O'));
    r.push(b('K hel'));
    r.push(b('lo\r'));
    r.push(b('\n'));
    expect((await line).toString()).toBe('+OK hello');
  });

  it('splits two responses that arrive in one chunk', async () => {
    const { r, fatal } = reader();
    r.expect(4);
    r.push(b('+OK 2 messages\r\n1 10\r\n2 20\r\n.\r\n+OK\r\n1 a\r\n..2 b\r\n.\r\n'));
    expect((await r.readLine()).toString()).toBe('+OK 2 messages');
    expect((await r.readLines(cap())).map(String)).toEqual(['1 10', '2 20']);
    expect((await r.readLine()).toString()).toBe('+OK');
    expect((await r.readLines(cap())).map(String)).toEqual(['1 a', '.2 b']);
    expect(fatal).toEqual([]);
  });

  it('treats data nobody asked for as a protocol error', async () => {
    const { r, fatal } = reader();
    r.expect(1);
    const line = r.readLine();
    r.push(b('+OK\r\n+OK injected\r\n'));
    await line;
    expect(fatal[0]?.failure.kind).toBe('protocol');
    await expect(r.readLine()).rejects.toMatchObject({ failure: { kind: 'protocol' } });
  });

  it('drops what follows a response read with discardRest (STLS)', async () => {
    const { r, fatal } = reader();
    r.expect(1);
    const line = r.readLine({ discardRest: true });
    r.push(b('+OK begin TLS\r\n+OK\r\nEVIL\r\n.\r\n'));
    expect((await line).toString()).toBe('+OK begin TLS');
    expect(fatal).toEqual([]);
  });

  it('refuses a line longer than the cap, even without a line end', async () => {
    const { r, fatal } = reader({ maxReplyBytes: 16 });
    r.expect(1);
    const line = r.readLine();
    r.push(b('+OK '));
    r.push(Buffer.alloc(100, 'x'));
    await expect(line).rejects.toMatchObject({ failure: { kind: 'limit' } });
    expect(fatal).toHaveLength(1);
  });

  it('caps the number of listing lines', async () => {
    const { r } = reader();
    r.expect(1);
    const lines = r.readLines(cap({ maxLines: 3 }));
    r.push(b('1 a\r\n2 b\r\n3 c\r\n4 d\r\n'));
    await expect(lines).rejects.toMatchObject({ failure: { kind: 'limit' } });
  });

  it('caps a multi-line reply in total bytes, naming the reply, while holding no more than that', async () => {
    const { r, meter } = reader();
    r.expect(1);
    const lines = r.readLines(cap({ what: 'CAPA reply', maxLines: 1_000_000, maxBytes: 100 }));
    for (let i = 0; i < 50; i++) r.push(b('SASL PLAIN\r\n'));
    await expect(lines).rejects.toMatchObject({
      failure: { kind: 'limit', detail: 'CAPA reply longer than 100 bytes' },
    });
    expect(meter.peakBytes).toBeLessThanOrEqual(100);
  });

  it('caps one listing line on its own', async () => {
    const { r } = reader();
    r.expect(1);
    const lines = r.readLines(cap({ maxLineBytes: 8 }));
    r.push(b('1 abcdefghij\r\n.\r\n'));
    await expect(lines).rejects.toMatchObject({
      failure: { kind: 'limit', detail: 'listing line longer than 8 bytes' },
    });
  });

  it('streams a body and errors once it passes the size cap', async () => {
    const { r } = reader();
    r.expect(1);
    const parts: Buffer[] = [];
    const body = r.readBody((p) => parts.push(p), 10);
    r.push(b('0123456789\r\nmore\r\n.\r\n'));
    await expect(body).rejects.toMatchObject({ failure: { kind: 'limit' } });
  });

  it('rejects the pending read when failed from outside (timeout, close)', async () => {
    const { r } = reader();
    r.expect(1);
    const line = r.readLine();
    const { pop3Error } = await import('./pop3-errors.js');
    r.fail(pop3Error('timeout', { timeout: 'command' }));
    await expect(line).rejects.toMatchObject({ failure: { kind: 'timeout' } });
  });
});
