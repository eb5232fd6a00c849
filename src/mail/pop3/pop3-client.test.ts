import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { type Pop3FakeOptions, Pop3FakeServer } from '../../../test/servers/pop3-fake-server.js';
import { collect, openFake } from '../../../test/servers/pop3-test-helpers.js';
import { dotStuff } from './pop3-dot-decoder.js';

const servers: Pop3FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function fake(options: Pop3FakeOptions): Promise<Pop3FakeServer> {
  const s = await Pop3FakeServer.start(options);
  servers.push(s);
  return s;
}

const latin1 = (s: string): Buffer => Buffer.from(s, 'latin1');
// "Привет, мир" in KOI8-R, an undeclared 8-bit header, invalid UTF-8, dot lines, a NUL.
const KOI8_BODY = Buffer.from([0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4, 0x2c, 0x20, 0xcd, 0xc9, 0xd2]);
const EIGHT_BIT = Buffer.concat([
  latin1(
    'From: a@example.test\r\nSubject: \xe9t\xe9 \xff\xfe\r\nContent-Type: text/plain; charset=koi8-r\r\n\r\n',
  ),
  KOI8_BODY,
  latin1('\r\n.leading dot\r\n..two dots\r\n.\r\n\x00\xc3\x28 invalid utf-8\r\n'),
]);
const SIMPLE = latin1('Subject: simple\r\n\r\nline 1\r\nline 2\r\nline 3\r\n');

describe('Pop3Client: retrieval', () => {
  it('streams RETR byte-exact: 8-bit, KOI8-R, invalid UTF-8, stuffed dots (cases 22/36)', async () => {
    const server = await fake({ messages: [EIGHT_BIT, SIMPLE] });
    const client = await openFake(server);
    const streamed = await collect(await client.retrieve(1));
    expect(streamed.equals(EIGHT_BIT)).toBe(true);
    expect((await client.retrieveBuffer(1)).equals(EIGHT_BIT)).toBe(true);
    expect((await client.retrieveBuffer(2)).equals(SIMPLE)).toBe(true);
    await client.quit();
  });

  it('handles the terminator split at every possible point of the response', async () => {
    const raw = latin1('Subject: t\r\n\r\n.dot\r\nlast\r\n');
    const response = Buffer.concat([latin1(`+OK ${raw.length} octets\r\n`), dotStuff(raw)]);
    const server = await fake({
      messages: [raw],
      split: (verb, _r, call) => (verb === 'RETR' && call > 0 ? [call] : undefined),
    });
    const client = await openFake(server);
    for (let call = 0; call < response.length; call++) {
      expect((await client.retrieveBuffer(1)).equals(raw), `split at ${call}`).toBe(true);
    }
    await client.quit();
  });

  it('handles a response split into many small TCP chunks around the terminator', async () => {
    const raw = latin1('a\r\n.\r\n..\r\nz\r\n');
    const server = await fake({
      messages: [raw],
      split: (verb, r, call) => {
        if (verb !== 'RETR') return undefined;
        const end = r.length;
        return [
          [end - 5, end - 3, end - 1],
          [end - 4, end - 2],
          [5, 16, end - 3],
        ][call % 3];
      },
    });
    const client = await openFake(server);
    for (let i = 0; i < 3; i++) expect((await client.retrieveBuffer(1)).equals(raw)).toBe(true);
    await client.quit();
  });

  it('reads two responses that arrive in one chunk (pipelined LIST + UIDL)', async () => {
    const server = await fake({ messages: [SIMPLE, EIGHT_BIT], pipelining: true });
    const client = await openFake(server);
    const { list, uids } = await client.listWithUids();
    expect(list).toEqual([
      { number: 1, size: SIMPLE.length },
      { number: 2, size: EIGHT_BIT.length },
    ]);
    expect(uids?.entries.map((e) => e.uid)).toEqual(['uid-1', 'uid-2']);
    // Both commands went out in one write, so both answers came back together.
    expect(server.connections[0]?.chunks.some((c) => c.data.toString() === 'LIST\r\nUIDL\r\n')).toBe(true);
    expect(await client.stat()).toEqual({ count: 2, size: SIMPLE.length + EIGHT_BIT.length });
    await client.quit();
  });

  it('TOP returns the headers and the first body lines', async () => {
    const server = await fake({ messages: [SIMPLE] });
    const client = await openFake(server);
    expect((await client.topBuffer(1, 1)).toString('latin1')).toBe('Subject: simple\r\n\r\nline 1\r\n');
    expect((await collect(await client.top(1, 0))).toString('latin1')).toBe('Subject: simple\r\n\r\n');
    await client.quit();
  });

  it('applies back-pressure: an unread stream does not buffer the whole message', async () => {
    const big = Buffer.concat([
      latin1('Subject: big\r\n\r\n'),
      latin1(`${'x'.repeat(998)}\r\n`.repeat(6000)),
    ]);
    const server = await fake({ messages: [big] });
    const client = await openFake(server);
    const stream = await client.retrieve(1);
    // Unread, the stream fills and pauses the socket: what it holds then is all it will hold.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      once(stream, 'sourcePaused'),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('the socket was never paused')), 5_000);
      }),
    ]).finally(() => clearTimeout(timer));
    expect(stream.readableLength).toBeLessThan(1024 * 1024);
    expect((await collect(stream)).equals(big)).toBe(true);
    // The next command waited for the stream and still works.
    expect((await client.stat()).count).toBe(1);
    await client.quit();
  });

  it('queues commands behind an open stream', async () => {
    const server = await fake({ messages: [SIMPLE] });
    const client = await openFake(server);
    const stream = await client.retrieve(1);
    const stat = client.stat();
    expect((await collect(stream)).equals(SIMPLE)).toBe(true);
    expect((await stat).count).toBe(1);
    await client.quit();
  });

  it('destroys the connection when a stream is abandoned mid-body', async () => {
    const big = latin1(`Subject: big\r\n\r\n${'y'.repeat(998)}\r\n`.repeat(3000));
    const server = await fake({ messages: [big] });
    const client = await openFake(server);
    const stream = await client.retrieve(1);
    for await (const _ of stream) break; // first chunk, then abort
    expect(client.isAlive).toBe(false);
    await expect(client.stat()).rejects.toMatchObject({ failure: { kind: 'closed' } });
  });

  it('refuses a message larger than the limit from its LIST size, before sending RETR (case 33)', async () => {
    const server = await fake({ messages: [{ raw: SIMPLE, listSize: 2 * 1024 ** 3 }] });
    const client = await openFake(server);
    await expect(client.retrieve(1)).rejects.toMatchObject({ failure: { kind: 'limit', step: 'retr' } });
    expect(server.commandLines()).toContain('LIST 1');
    expect(server.commandLines()).not.toContain('RETR 1');
    // The refusal was ours: the session is still usable.
    expect((await client.stat()).count).toBe(1);
    await client.quit();
  });

  it('never puts a non-integer on the wire', async () => {
    const server = await fake({ messages: [SIMPLE] });
    const client = await openFake(server);
    await expect(client.retrieveBuffer(0)).rejects.toThrow(RangeError);
    await expect(client.dele(1.5)).rejects.toThrow(RangeError);
    await expect(client.top(1, -1)).rejects.toThrow(RangeError);
    await client.quit();
  });
});

describe('Pop3Client: DELE, RSET, QUIT', () => {
  it('deletes only after a successful QUIT', async () => {
    const server = await fake({ messages: [SIMPLE, EIGHT_BIT] });
    const client = await openFake(server);
    await client.dele(1);
    await expect(client.retrieveBuffer(1)).rejects.toMatchObject({ failure: { kind: 'reply' } });
    expect(server.messages).toHaveLength(2);
    expect(await client.quit()).toBe('bye');
    expect(server.messages.map((m) => m.raw)).toEqual([EIGHT_BIT]);
    expect(client.isAlive).toBe(false);
  });

  it('does not delete when the connection is dropped, or after RSET', async () => {
    const server = await fake({ messages: [SIMPLE] });
    const a = await openFake(server);
    await a.dele(1);
    a.destroy();
    const b = await openFake(server);
    await b.dele(1);
    await b.rset();
    await b.noop();
    await b.quit();
    expect(server.messages).toHaveLength(1);
  });

  it('reports -ERR replies with the sanitised server text and keeps the session', async () => {
    const server = await fake({ messages: [SIMPLE] });
    const client = await openFake(server);
    const err = await client.retrieveBuffer(7).catch((e: unknown) => e);
    expect(err).toMatchObject({
      failure: { kind: 'reply', protocol: 'pop3', response: '-ERR no such message' },
    });
    expect((await client.stat()).count).toBe(1);
    await client.quit();
  });
});
