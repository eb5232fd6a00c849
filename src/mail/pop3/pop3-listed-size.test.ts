import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { Pop3FakeServer } from '../../../test/servers/pop3-fake-server.js';
import { openFake } from '../../../test/servers/pop3-test-helpers.js';
import { classify } from '../../domain/catalogue/classify.js';
import { isPop3Error } from './pop3-errors.js';

/**
 * A server that lists a small size and sends a large body (reviewer's reproduction: 40 × 4 MiB
 * listed as 1 byte each made one 160 MiB batch): each RETR body is stopped at its LIST size plus
 * slack (max(64 KiB, 10 %)), failing as a classified limit that names the message.
 */
const servers: Pop3FakeServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

const KIB = 1024;
const message = (n: number, bodyBytes: number) =>
  Buffer.concat([Buffer.from(`Subject: m${n}\r\n\r\n`), Buffer.alloc(bodyBytes, 'A'), Buffer.from('\r\n')]);

async function start(messages: { raw: Buffer; listSize?: number }[], pipelining = false) {
  const server = await Pop3FakeServer.start({ messages, pipelining });
  servers.push(server);
  const client = await openFake(server, { timeouts: { commandMs: 10_000, sessionMs: 30_000 } });
  await client.list();
  return client;
}

describe('RETR bodies bounded by their LIST size', () => {
  it('stops a streamed body at the listed size plus 64 KiB, whatever the server sends', async () => {
    const client = await start([{ raw: message(1, 4 * 1024 * KIB), listSize: 1 }]);
    const stream = await client.retrieve(1);
    let delivered = 0;
    const err = await (async () => {
      for await (const part of stream) delivered += (part as Buffer).length;
    })().then(
      () => null,
      (e: unknown) => e,
    );
    expect(isPop3Error(err) && err.failure).toMatchObject({ kind: 'limit', step: 'retr' });
    expect(isPop3Error(err) && err.outgrown).toEqual({ seq: 1, listed: 1, allowed: 64 * KIB + 1 });
    // Bytes handed to the consumer: never past the allowance.
    expect(delivered).toBeLessThanOrEqual(64 * KIB + 1);
    expect(client.isAlive).toBe(false);
  });

  it('fails a pipelined batch at the lying message with an error that names it and is classified', async () => {
    const client = await start(
      [
        { raw: message(1, 10 * KIB) },
        { raw: message(2, 2 * 1024 * KIB), listSize: 100 * KIB },
        { raw: message(3, 10 * KIB) },
      ],
      true,
    );
    const err = await client.retrieveManyBuffers([1, 2, 3]).catch((e: unknown) => e);
    if (!isPop3Error(err)) throw new Error(`expected a POP3 error, got ${String(err)}`);
    // 10 % of 100 KiB is less than the 64 KiB floor.
    // With the digest of its header section (what TOP n 0 gives), however the body was chunked.
    const headers = createHash('sha256').update(message(2, 0).subarray(0, 'Subject: m2\r\n\r\n'.length));
    expect(err.outgrown).toEqual({
      seq: 2,
      listed: 100 * KIB,
      allowed: 164 * KIB,
      headerSha256: headers.digest('hex'),
    });
    expect(err.failure.detail).toBe(
      `message 2 sent more than the ${100 * KIB} bytes LIST announced (stopped at ${164 * KIB})`,
    );
    expect(classify(err.failure).entry.id).toBe('incoming-message-larger-than-listed');
  });

  it('stops at the message cap when that is lower than the allowance', async () => {
    const server = await Pop3FakeServer.start({
      messages: [{ raw: message(1, 400 * KIB), listSize: 90 * KIB }],
    });
    servers.push(server);
    const client = await openFake(server, { limits: { maxMessageBytes: 100 * KIB } });
    await client.list();
    const err = await client.retrieveBuffer(1).catch((e: unknown) => e);
    expect(isPop3Error(err) && err.outgrown).toEqual({
      seq: 1,
      listed: 90 * KIB,
      allowed: 100 * KIB,
      headerSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('delivers byte-exact bodies that differ from LIST within the slack (64 KiB, or 10 % of a large one)', async () => {
    const small = message(1, 200 * KIB);
    const large = message(2, 2 * 1024 * KIB);
    const messages = [
      { raw: small, listSize: small.length - 63 * KIB },
      { raw: large, listSize: Math.ceil(large.length / 1.09) },
      { raw: small, listSize: small.length + 1000 },
    ];
    const single = await start(messages);
    for (const [i, m] of messages.entries())
      expect((await single.retrieveBuffer(i + 1)).equals(m.raw)).toBe(true);
    const piped = await start(messages, true);
    const bodies = await piped.retrieveManyBuffers([1, 2, 3]);
    expect(bodies.map((b, i) => b.equals(messages[i]!.raw))).toEqual([true, true, true]);
  });
});
