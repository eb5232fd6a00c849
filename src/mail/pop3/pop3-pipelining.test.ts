import { afterEach, describe, expect, it } from 'vitest';
import { Pop3FakeServer } from '../../../test/servers/pop3-fake-server.js';
import type { FakePop3Session } from '../../../test/servers/pop3-fake-session.js';
import { openFake } from '../../../test/servers/pop3-test-helpers.js';

const servers: Pop3FakeServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

const messages = Array.from({ length: 20 }, (_, i) =>
  Buffer.from(`Subject: m${i}\r\n\r\n.dot line ${i}\r\n${'x'.repeat(i * 50)}\r\n`),
);

/** RETR answered only once `n` RETR commands have arrived: a client that does not pipeline stalls. */
const waitForRetrs = (server: Pop3FakeServer, n: number) => async (session: FakePop3Session, arg: string) => {
  const until = Date.now() + 1_500;
  const count = () => server.connections.at(-1)!.commands.filter((c) => c.line.startsWith('RETR')).length;
  while (count() < n && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
  await (session as unknown as { dispatch(verb: string, arg: string): Promise<void> }).dispatch('RETR', arg);
};

describe('pipelined RETR (RFC 2449 PIPELINING)', () => {
  it('keeps several RETRs in flight and returns every message byte-exact and in order', async () => {
    let server: Pop3FakeServer;
    server = await Pop3FakeServer.start({
      messages,
      pipelining: true,
      respond: { RETR: (s, a) => waitForRetrs(server, 8)(s, a) },
      // Bodies split at awkward places, and responses of several RETRs share chunks.
      split: (verb, response) =>
        verb === 'RETR' ? [1, Math.floor(response.length / 2), response.length - 3] : undefined,
    });
    servers.push(server);
    const client = await openFake(server);
    const { list } = await client.listWithUids();
    const t0 = Date.now();
    const bodies = await client.retrieveManyBuffers(list.map((m) => m.number));
    expect(Date.now() - t0).toBeLessThan(1_500); // had it waited for each RETR, the fake would have stalled ~1.5 s per message
    expect(bodies.map((b) => b.toString('latin1'))).toEqual(messages.map((m) => m.toString('latin1')));
    await client.quit();
  });

  it('falls back to one RETR at a time when the server does not announce PIPELINING', async () => {
    const server = await Pop3FakeServer.start({ messages: messages.slice(0, 3) });
    servers.push(server);
    const client = await openFake(server);
    const { list } = await client.listWithUids();
    const bodies = await client.retrieveManyBuffers(list.map((m) => m.number));
    expect(bodies).toHaveLength(3);
    const cmds = server.connections[0]!.commands.map((c) => c.line);
    expect(cmds.filter((c) => c.startsWith('RETR'))).toEqual(['RETR 1', 'RETR 2', 'RETR 3']);
    await client.quit();
  });

  it('drops the connection when a pipelined RETR is refused, with the server’s reply', async () => {
    const server = await Pop3FakeServer.start({
      messages: messages.slice(0, 4),
      pipelining: true,
      respond: {
        RETR: (s, a) =>
          a === '2'
            ? s.send('-ERR [SYS/TEMP] message locked\r\n')
            : (s as unknown as { dispatch(v: string, a: string): Promise<void> }).dispatch('RETR', a),
      },
    });
    servers.push(server);
    const client = await openFake(server);
    const { list } = await client.listWithUids();
    await expect(client.retrieveManyBuffers(list.map((m) => m.number))).rejects.toMatchObject({
      failure: { kind: 'reply', step: 'retr' },
    });
    expect(client.isAlive).toBe(false);
  });
});
