import { afterEach, describe, expect, it, vi } from 'vitest';
import { type DripPoint, dripAt } from '../../../test/servers/smtp-drip.js';
import { type RawSmtpServer, startRawSmtpServer } from '../../../test/servers/smtp-raw-server.js';
import { openLoopbackSender } from '../../../test/servers/smtp-sender-open.js';
import { classify } from '../../domain/catalogue/classify.js';
import { decideAttempt } from '../../domain/message/send-decision.js';
import type { SenderConnection, SendResult } from '../../ports/mail-sender.js';
import type { SmtpSenderTimeouts } from './smtp-sender.js';

// Deadlines are small so the tests are quick; nothing asserts how long anything took. A server
// drips one byte every 20 ms, so a socket inactivity timer (commandMs) never fires on its own:
// only a wall-clock deadline can end these sends. The whole-attempt cap is far above the
// per-command ones unless a test is about it, so a per-command deadline that did not fire
// shows up as a 'session' timeout instead of a hang.
const SMALL: Partial<SmtpSenderTimeouts> = { commandMs: 300, dataEndMs: 300, attemptMs: 10_000 };

const servers: RawSmtpServer[] = [];
const connections: SenderConnection[] = [];
afterEach(async () => {
  for (const c of connections.splice(0)) await c.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function dripping(at: DripPoint, opts: Parameters<typeof dripAt>[1] = {}) {
  const drip = dripAt(at, opts);
  const server = await startRawSmtpServer(drip.scenario);
  servers.push(server);
  return { server, drip };
}

async function open(port: number, timeouts: Partial<SmtpSenderTimeouts>): Promise<SenderConnection> {
  const c = await openLoopbackSender(port, timeouts);
  connections.push(c);
  return c;
}

const to = ['c@example.com'];
const mime = Buffer.from('Subject: hi\r\n\r\nhello\r\n');
const send = (c: SenderConnection) =>
  c.send({ from: 'u@firma.example', to, smtpUtf8: false }, mime, { beforeDataEnd: async () => {} });

function failureOf(r: SendResult) {
  if (r.ok) throw new Error(`expected a failure, got ${JSON.stringify(r)}`);
  return r;
}

describe('a server dripping a reply is cut off by a wall-clock deadline', () => {
  it.each([
    ['after MAIL FROM', 'deferred', 'mail', true, 'mail_from'],
    ['after RCPT TO (pipelined)', 'deferred', 'rcpt', true, 'rcpt_to'],
    ['after RCPT TO (one command at a time)', 'deferred', 'rcpt', false, 'rcpt_to'],
    ['after DATA, instead of 354', 'deferred', 'data', true, 'data'],
    // After the final dot a timeout is no clean failure: the server may have taken the email.
    ['before the 250 to the final dot', 'uncertain', 'dot', true, 'data'],
  ] as const)(
    '%s: a command timeout, the email %s, the connection closed',
    async (_name, status, at, pipelining, step) => {
      const { server, drip } = await dripping(at, { pipelining });
      const c = await open(server.port, SMALL);
      const r = failureOf(await send(c));
      const afterDot = at === 'dot';
      expect(r).toMatchObject({ phase: afterDot ? 'after_data_end' : 'before_data_end', broken: true });
      expect(r.failure).toMatchObject({ kind: 'timeout', timeout: 'command', step });
      expect(c.usable).toBe(false);
      expect(decideAttempt(r, to).status).toBe(status);
      expect(classify(r.failure).entry.id).toBe('server-timeout');
      expect(await server.allClosed(5_000)).toBe(true);
      await vi.waitFor(() => expect(drip.closedWhileDripping()).toBe(1), { timeout: 5_000 });
      expect(drip.dots()).toBe(afterDot ? 1 : 0);
    },
  );

  it('RSET after a refused MAIL FROM is bounded too: the refusal is reported, the connection closed', async () => {
    const { server, drip } = await dripping('rset');
    const c = await open(server.port, SMALL);
    const r = failureOf(await send(c));
    // The server's own 451 is the outcome; the dripped RSET only costs the connection.
    expect(r).toMatchObject({ phase: 'before_data_end', broken: true });
    expect(r.failure).toMatchObject({ kind: 'reply', responseCode: 451 });
    expect(await server.allClosed(5_000)).toBe(true);
    await vi.waitFor(() => expect(drip.closedWhileDripping()).toBe(1), { timeout: 5_000 });
  });
});

describe('the whole attempt has its own cap', () => {
  // Per-command deadlines far away: only the attempt cap can end these.
  const CAPPED: Partial<SmtpSenderTimeouts> = { commandMs: 20_000, dataEndMs: 20_000, attemptMs: 300 };

  it.each([
    ['waiting for RCPT TO', 'deferred', 'rcpt', 'before_data_end', 'rcpt_to'],
    ['waiting for the reply to the final dot', 'uncertain', 'dot', 'after_data_end', 'data'],
  ] as const)('%s: a session timeout, the email %s', async (_name, status, at, phase, step) => {
    const { server, drip } = await dripping(at);
    const c = await open(server.port, CAPPED);
    const r = failureOf(await send(c));
    expect(r).toMatchObject({ phase, broken: true });
    expect(r.failure).toMatchObject({ kind: 'timeout', timeout: 'session', step });
    expect(decideAttempt(r, to)).toMatchObject({ status });
    expect(await server.allClosed(5_000)).toBe(true);
    await vi.waitFor(() => expect(drip.closedWhileDripping()).toBe(1), { timeout: 5_000 });
  });
});

describe('pooled connections', () => {
  it("a send's deadlines end with it: the next emails on the connection get their own", async () => {
    // Two healthy emails, idle gaps longer than the whole-attempt cap, then a drip after MAIL
    // FROM. (commandMs is also the socket's inactivity timeout, which ends an idle pooled
    // connection by design: the gaps stay below it.)
    const limits = { commandMs: 4_000, dataEndMs: 4_000, attemptMs: 1_000 };
    const { server, drip } = await dripping('mail', { healthy: 2 });
    const c = await open(server.port, limits);
    expect(await send(c)).toMatchObject({ ok: true, queueId: 'D1' });
    await new Promise((r) => setTimeout(r, limits.attemptMs + 500));
    // A deadline of the first email still armed would have closed the connection by now.
    expect(c.usable).toBe(true);
    expect(await send(c)).toMatchObject({ ok: true, queueId: 'D2' });
    await new Promise((r) => setTimeout(r, limits.attemptMs + 500));
    const r = failureOf(await send(c));
    // Its own whole-attempt cap, started with it (a leftover one would have closed the
    // connection during the gap), ends it.
    expect(r.failure).toMatchObject({ kind: 'timeout', timeout: 'session', step: 'mail_from' });
    expect(await server.allClosed(5_000)).toBe(true);
    await vi.waitFor(() => expect(drip.closedWhileDripping()).toBe(1), { timeout: 5_000 });
    expect(server.connections()).toBe(1);
  });
});
