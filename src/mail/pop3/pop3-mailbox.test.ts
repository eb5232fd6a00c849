import { afterEach, describe, expect, it } from 'vitest';
import { testCaPem } from '../../../test/helpers/tls-fixtures.js';
import { createLoopbackResolver } from '../../../test/servers/loopback-resolver.js';
import {
  type FakeMessage,
  type Pop3FakeOptions,
  Pop3FakeServer,
} from '../../../test/servers/pop3-fake-server.js';
import { collect } from '../../../test/servers/pop3-test-helpers.js';
import { classify } from '../../domain/catalogue/index.js';
import type { IncomingSettings, MailSecurity } from '../../domain/mailbox/connection.js';
import type { MailFailure } from '../../domain/mailbox/mail-failure.js';
import { createPop3Mailbox } from './pop3-mailbox.js';

const servers: Pop3FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function fake(options: Pop3FakeOptions = {}): Promise<Pop3FakeServer> {
  const s = await Pop3FakeServer.start(options);
  servers.push(s);
  return s;
}

const settingsFor = (server: Pop3FakeServer, security: MailSecurity = 'none'): IncomingSettings => ({
  protocol: 'pop3',
  host: 'localhost',
  port: server.port,
  security,
  auth: { type: 'password', user: 'user', pass: 'secret' },
});
const mailbox = createPop3Mailbox({ resolver: createLoopbackResolver(), trustedCa: [testCaPem()] });
const open = (server: Pop3FakeServer, security: MailSecurity = 'none') =>
  mailbox.open(settingsFor(server, security), { deadline: Date.now() + 20_000 });

const msg = (n: number): Buffer =>
  Buffer.from(`Subject: message ${n}\r\n\r\n.body ${n}\r\n\xe9\r\n`, 'latin1');

describe('createPop3Mailbox', () => {
  it('lists with UIDs, fetches by ref and by uid, deletes on close', async () => {
    const server = await fake({ implicitTls: true, messages: [msg(1), msg(2), msg(3)] });
    const session = await open(server, 'tls');
    const listing = await session.list();
    expect(listing).toEqual({
      uidlSupported: true,
      uidsValid: true,
      messages: [1, 2, 3].map((n) => ({ seq: n, uid: `uid-${n}`, size: msg(n).length, uidValid: true })),
    });
    expect((await collect(await session.fetch(listing.messages[0]!))).equals(msg(1))).toBe(true);
    expect((await session.fetchBuffer('uid-3')).equals(msg(3))).toBe(true);
    await session.delete('uid-2');
    await session.close();
    expect(server.messages.map((m) => m.uid)).toEqual(['uid-1', 'uid-3']);
  });

  it('abort() leaves every message on the server', async () => {
    const server = await fake({ messages: [msg(1)] });
    const session = await open(server);
    await session.delete((await session.list()).messages[0]!);
    session.abort();
    expect(server.messages).toHaveLength(1);
  });

  it('broken UIDL (case 34): duplicates, 200-char ids, control chars are flagged, never trusted', async () => {
    const messages: FakeMessage[] = [
      { raw: msg(1), uid: 'same' },
      { raw: msg(2), uid: 'same' },
      { raw: msg(3), uid: 'x'.repeat(200) },
      { raw: msg(4), uid: 'bell\u0007id' },
      { raw: msg(5), uid: 'fine' },
    ];
    const server = await fake({ messages });
    const session = await open(server);
    const listing = await session.list();
    expect(listing.uidsValid).toBe(false);
    expect(listing.messages.map((m) => [m.uid, m.uidValid])).toEqual([
      ['same', false],
      ['same', false],
      [null, false],
      [null, false],
      ['fine', true],
    ]);
    // An ambiguous uid cannot be fetched by uid; the ref (session position) still works.
    await expect(session.fetchBuffer('same')).rejects.toMatchObject({ failure: { kind: 'reply' } });
    expect((await session.fetchBuffer(listing.messages[1]!)).equals(msg(2))).toBe(true);
    expect((await session.fetchBuffer('fine')).equals(msg(5))).toBe(true);
    await session.close();
  });

  it('UIDL unsupported: listing without ids', async () => {
    const server = await fake({ messages: [msg(1)], noUidl: true });
    const session = await open(server);
    expect(await session.list()).toEqual({
      uidlSupported: false,
      uidsValid: false,
      messages: [{ seq: 1, uid: null, size: msg(1).length, uidValid: false }],
    });
    await session.close();
  });

  it('open() fails with the typed failure (auth, policy)', async () => {
    const server = await fake({
      alwaysRefuseLogin: true,
      loginError: '[AUTH] Application-specific password required',
    });
    await expect(open(server)).rejects.toMatchObject({
      failure: { kind: 'auth', code: 'AUTH', response: '-ERR [AUTH] Application-specific password required' },
    });
  });

  it('fetches 2,000 messages (UIDL + RETR) correctly and quickly', async () => {
    const body = `${'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(60)}\r\n`;
    const messages = Array.from({ length: 2000 }, (_, i) =>
      Buffer.from(`Subject: bulk ${i}\r\nMessage-ID: <${i}@example.test>\r\n\r\n.${body}`, 'latin1'),
    );
    const server = await fake({ messages, pipelining: true });
    const started = performance.now();
    const session = await open(server);
    const listing = await session.list();
    let octets = 0;
    for (const m of listing.messages) {
      const raw = await session.fetchBuffer(m);
      if (!raw.equals(messages[m.seq - 1]!)) throw new Error(`message ${m.seq} differs`);
      octets += raw.length;
    }
    await session.close();
    const ms = performance.now() - started;
    console.info(
      `[pop3] 2,000 messages, ${(octets / 1e6).toFixed(1)} MB in ${ms.toFixed(0)} ms (fake server in-process)`,
    );
    expect(listing.messages).toHaveLength(2000);
    expect(ms).toBeLessThan(20_000);
  });
  it('keeps as many pipelined RETRs in flight as the caller asks (8 by default)', async () => {
    const messages = Array.from({ length: 12 }, (_, i) => msg(i + 1));
    /** RETR commands the server had received when it answered the first one. */
    const inFlightAtFirstReply = async (inFlight?: number) => {
      let seen = -1;
      let server: Pop3FakeServer;
      server = await fake({
        messages,
        pipelining: true,
        respond: {
          RETR: async (s, arg) => {
            const retrs = () =>
              server.connections.at(-1)!.commands.filter((c) => c.line.startsWith('RETR')).length;
            if (seen < 0) {
              // Waits (bounded) for the client to send as many as it will before any reply.
              const until = Date.now() + 1_000;
              while (retrs() < messages.length && Date.now() < until)
                await new Promise((r) => setTimeout(r, 5));
              seen = retrs();
            }
            await (s as unknown as { dispatch(v: string, a: string): Promise<void> }).dispatch('RETR', arg);
          },
        },
      });
      const session = await open(server);
      const listing = await session.list();
      const bodies = await session.fetchManyBuffers(listing.messages, inFlight ? { inFlight } : undefined);
      expect(bodies.map((b) => b.toString('latin1'))).toEqual(messages.map((m) => m.toString('latin1')));
      await session.close();
      return seen;
    };
    expect(await inFlightAtFirstReply(12)).toBe(12);
    expect(await inFlightAtFirstReply()).toBe(8);
  });
});

describe('createPop3Mailbox: a maildrop larger than one listing may name', () => {
  const capped = createPop3Mailbox({
    resolver: createLoopbackResolver(),
    trustedCa: [testCaPem()],
    limits: { maxListingEntries: 2 },
  });
  const openCapped = (server: Pop3FakeServer) =>
    capped.open(settingsFor(server), { deadline: Date.now() + 20_000 });

  it('is refused before listing, as a full mailbox the catalogue explains', async () => {
    const session = await openCapped(await fake({ messages: [msg(1), msg(2), msg(3)] }));
    try {
      const err = await session.list().catch((e: unknown) => e);
      const failure = (err as { failure?: MailFailure }).failure;
      expect(failure).toMatchObject({
        kind: 'limit',
        step: 'list',
        detail: 'the mailbox holds 3 messages, more than the 2 one listing may name',
      });
      expect(classify(failure as MailFailure).entry.id).toBe('mailbox-too-many-messages');
    } finally {
      session.abort();
    }
  });

  it('at the cap it lists as usual', async () => {
    const session = await openCapped(await fake({ messages: [msg(1), msg(2)] }));
    try {
      expect((await session.list()).messages.map((m) => m.uid)).toEqual(['uid-1', 'uid-2']);
    } finally {
      session.abort();
    }
  });
});
