import { createServer } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Pop3FakeOptions, Pop3FakeServer } from '../../../test/servers/pop3-fake-server.js';
import {
  endlessBody,
  endlessLine,
  endlessListing,
  type Responder,
} from '../../../test/servers/pop3-fake-session.js';
import { collect, dialFake, openFake } from '../../../test/servers/pop3-test-helpers.js';
import { Pop3Client } from './pop3-client.js';

const servers: Pop3FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function fake(options: Pop3FakeOptions = {}): Promise<Pop3FakeServer> {
  const s = await Pop3FakeServer.start(options);
  servers.push(s);
  return s;
}

const MSG = Buffer.from('Subject: s\r\n\r\nbody\r\n');
// Scripted misbehaviours (module level: the linter treats upper-case keys as components).
const surplusNoop: Responder = (s) => s.send('+OK\r\n+OK surprise\r\n');
const httpGreeting: Responder = (s) => s.writeRaw('HTTP/1.1 400 Bad\r\n');
const busyGreeting: Responder = (s) => s.writeRaw('-ERR [SYS/TEMP] too many connections\r\n');

/** Runs `fn`, returning its failure and how long it took. */
async function failureOf(fn: () => Promise<unknown>) {
  const started = Date.now();
  const err = await fn().then(
    () => null,
    (e: unknown) => e as { failure: Record<string, unknown> },
  );
  return { failure: err?.failure, ms: Date.now() - started };
}

describe('Pop3Client against a hostile server: deadlines (case 32)', () => {
  it('greeting never arrives → greeting deadline', async () => {
    const server = await fake({ greeting: null });
    const client = await dialFake(server, { timeouts: { commandMs: 300 } });
    const { failure, ms } = await failureOf(() => client.readGreeting());
    expect(failure).toMatchObject({ kind: 'timeout', timeout: 'greeting', step: 'greeting' });
    expect(ms).toBeLessThan(3_000);
    expect(client.isAlive).toBe(false);
  });

  it('greeting drips one byte at a time → the wall-clock command deadline still fires', async () => {
    const server = await fake({ drip: { bytes: 1, everyMs: 50 } });
    const client = await dialFake(server, { timeouts: { commandMs: 400 } });
    const { failure, ms } = await failureOf(() => client.readGreeting());
    expect(failure).toMatchObject({ kind: 'timeout', timeout: 'greeting' });
    expect(ms).toBeLessThan(3_000);
  });

  it('a slowly dripping message body → the session deadline ends it', async () => {
    const big = Buffer.from(`Subject: s\r\n\r\n${'z'.repeat(10_000)}\r\n`);
    const server = await fake({ messages: [big], drip: { bytes: 200, everyMs: 20 } });
    const client = await openFake(server, { timeouts: { commandMs: 2_000, sessionMs: 800 } });
    const { failure, ms } = await failureOf(async () => collect(await client.retrieve(1)));
    expect(failure).toMatchObject({ kind: 'timeout', timeout: 'session' });
    expect(ms).toBeLessThan(3_000);
  });

  it('an absolute deadline earlier than sessionMs wins', async () => {
    const server = await fake({ greeting: null });
    const client = await dialFake(server, { deadline: Date.now() + 300, timeouts: { commandMs: 5_000 } });
    const { failure } = await failureOf(() => client.readGreeting());
    expect(failure).toMatchObject({ kind: 'timeout', timeout: 'session' });
  });

  it('a multi-line listing that never terminates → command deadline', async () => {
    const server = await fake({ messages: [MSG], unterminated: ['UIDL'] });
    const client = await openFake(server, { timeouts: { commandMs: 300 } });
    const { failure } = await failureOf(() => client.uidl());
    expect(failure).toMatchObject({ kind: 'timeout', timeout: 'command', step: 'uidl' });
  });

  it('a RETR body that never terminates → no-progress deadline', async () => {
    const server = await fake({ messages: [MSG], unterminated: ['RETR'] });
    const client = await openFake(server, { timeouts: { commandMs: 300 } });
    const { failure } = await failureOf(() => client.retrieveBuffer(1));
    expect(failure).toMatchObject({ kind: 'timeout', timeout: 'command', step: 'retr' });
  });

  it('an AbortSignal ends the session', async () => {
    const server = await fake({ greeting: null });
    const controller = new AbortController();
    const client = await Pop3Client.dial({
      target: { host: 'localhost', address: server.host, port: server.port },
      security: 'none',
      signal: controller.signal,
    });
    // Abort while the greeting read is pending (no timing window: it is pending right now).
    const pending = failureOf(() => client.readGreeting());
    controller.abort();
    const { failure } = await pending;
    expect(failure).toMatchObject({ kind: 'closed', code: 'ABORT_ERR' });
  });
});

describe('Pop3Client against a hostile server: caps (cases 32, 33)', () => {
  it('a 10 MB line without CRLF → line cap, not 10 MB of memory', async () => {
    const server = await fake({ respond: { GREETING: endlessLine } });
    const client = await dialFake(server);
    const { failure } = await failureOf(() => client.readGreeting());
    expect(failure).toMatchObject({ kind: 'limit', step: 'greeting' });
    expect(client.isAlive).toBe(false);
  });

  it('an endless UIDL listing → listing cap', async () => {
    const server = await fake({ messages: [MSG], respond: { UIDL: endlessListing } });
    const client = await openFake(server, { limits: { maxListingEntries: 5_000 } });
    const { failure } = await failureOf(() => client.uidl());
    expect(failure).toMatchObject({ kind: 'limit', step: 'uidl' });
  });

  it('RETR that streams forever → message size cap, connection destroyed', async () => {
    const server = await fake({ messages: [MSG], respond: { RETR: endlessBody } });
    const client = await openFake(server, { limits: { maxMessageBytes: 1024 * 1024 } });
    const { failure } = await failureOf(async () => collect(await client.retrieve(1)));
    expect(failure).toMatchObject({ kind: 'limit', step: 'retr' });
    expect(client.isAlive).toBe(false);
    await expect(client.noop()).rejects.toMatchObject({ failure: { kind: 'limit' } });
  });
});

describe('Pop3Client against a hostile server: framing and closes', () => {
  it('server closes mid-response → kind closed, stream errors', async () => {
    const server = await fake({ messages: [MSG], closeOn: { verb: 'RETR', afterBytes: 25 } });
    const client = await openFake(server);
    const { failure } = await failureOf(async () => collect(await client.retrieve(1)));
    expect(failure).toMatchObject({ kind: 'closed', step: 'retr' });
  });

  it('server closes on a command → kind closed', async () => {
    const server = await fake({ closeOn: { verb: 'STAT' } });
    const client = await openFake(server);
    const { failure } = await failureOf(() => client.stat());
    expect(failure).toMatchObject({ kind: 'closed', step: 'stat' });
  });

  it('an extra, unrequested response → protocol error (no desynchronised session)', async () => {
    const server = await fake({ respond: { NOOP: surplusNoop } });
    const client = await openFake(server);
    // NOOP got its answer; the surplus kills the session instead of answering the next command.
    await client.noop();
    expect(client.isAlive).toBe(false);
    const { failure } = await failureOf(() => client.stat());
    expect(failure).toMatchObject({ kind: 'protocol', detail: 'server sent more than one response' });
    expect(server.commandLines()).not.toContain('STAT');
  });

  it('a reply that is not POP3 → protocol error', async () => {
    const server = await fake({
      greeting: null,
      respond: { GREETING: httpGreeting },
    });
    const client = await dialFake(server);
    const { failure } = await failureOf(() => client.readGreeting());
    expect(failure).toMatchObject({ kind: 'protocol', step: 'greeting' });
  });

  it('-ERR greeting → kind reply with the text', async () => {
    const server = await fake({
      respond: { GREETING: busyGreeting },
    });
    const client = await dialFake(server);
    const { failure } = await failureOf(() => client.readGreeting());
    expect(failure).toMatchObject({
      kind: 'reply',
      code: 'SYS/TEMP',
      response: '-ERR [SYS/TEMP] too many connections',
    });
  });

  it('connection refused → kind connect', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const { failure } = await failureOf(() =>
      Pop3Client.dial({ target: { host: 'localhost', address: '127.0.0.1', port }, security: 'none' }),
    );
    expect(failure).toMatchObject({ kind: 'connect', code: 'ECONNREFUSED', step: 'connect' });
  });
});

describe('Pop3Client: errors after the client was abandoned (case 39)', () => {
  it('a reset on an idle, abandoned plain connection does not crash the process', async () => {
    const server = await fake();
    let client: Pop3Client | null = await openFake(server);
    const ref = new WeakRef(client);
    client = null; // abandoned: no pending operation, no handler of ours
    server.sessions[0]?.reset();
    // Waits for the event's effect, not for a fixed time; an uncaught error would fail the run.
    await vi.waitFor(() => expect(ref.deref()?.isAlive ?? false).toBe(false));
  });

  it('a TLS error on an idle, abandoned connection does not crash the process', async () => {
    const server = await fake({ implicitTls: true });
    const client = await openFake(server, { security: 'tls' });
    server.sessions[0]?.corruptTls();
    await vi.waitFor(() => expect(client.isAlive).toBe(false));
  });

  it('late socket events after destroy() are ignored', async () => {
    const server = await fake();
    const client = await openFake(server);
    client.destroy();
    server.sessions[0]?.reset();
    await vi.waitFor(() => expect(server.sessions[0]?.closed).toBe(true));
    await expect(client.noop()).rejects.toMatchObject({ failure: { kind: 'closed' } });
  });
});

describe('Pop3Client: a listing is bounded by the message count (issue 8 item 13)', () => {
  it('UIDL listing more messages than STAT counted → listing cap', async () => {
    const server = await fake({ messages: [MSG, MSG], respond: { UIDL: endlessListing } });
    const client = await openFake(server);
    expect((await client.stat()).count).toBe(2);
    const { failure } = await failureOf(() => client.uidl());
    expect(failure).toMatchObject({ kind: 'limit', step: 'uidl', detail: 'listing longer than 2 lines' });
  });
});
