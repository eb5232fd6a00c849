import { describe, expect, it } from 'vitest';
import type { MailSender, SenderConnection, SenderEndpoint } from '../../ports/mail-sender.js';
import { AddressLane } from './address-lane.js';
import { isAuthRejection } from './outbox-endpoint.js';

const connection = (): SenderConnection => ({
  capabilities: { size: null, smtpUtf8: true },
  usable: true,
  send: async () => ({ ok: true, reply: '250 ok', queueId: null, rejected: [] }),
  close: async () => {},
});

/** A fake sending port: refuses the first `refusals` logins, then opens. */
function fakeSender(refusals: number) {
  const opened: SenderEndpoint[] = [];
  const sender: MailSender = {
    async open(endpoint) {
      opened.push(endpoint);
      if (opened.length <= refusals)
        return { ok: false, failure: { kind: 'auth', protocol: 'smtp', step: 'auth', responseCode: 535 } };
      return { ok: true, connection: connection() };
    },
  };
  return { sender, opened };
}

const opts = { idleMs: 60_000, failureMemoMs: 1_000, isOAuthRejection: isAuthRejection };
const signal = new AbortController().signal;

describe('address lane: pooled connections of one address', () => {
  it('a refused XOAUTH2 token is forgotten and the login retried once with a fresh one (M47)', async () => {
    const { sender, opened } = fakeSender(1);
    const retries: boolean[] = [];
    const lane = new AddressLane(
      sender,
      async (retry) => {
        retries.push(retry);
        return {
          host: 'smtp.example',
          port: 465,
          security: 'tls',
          pinnedCert: null,
          auth: { type: 'oauth2', user: 'a@example.com', accessToken: retry ? 'fresh' : 'stale' },
        };
      },
      { maxConnections: 1, perMinute: null },
      opts,
    );
    const got = await lane.acquire(signal);
    expect(got.ok).toBe(true);
    expect(retries).toEqual([false, true]);
    expect(opened.map((e) => (e.auth.type === 'oauth2' ? e.auth.accessToken : ''))).toEqual([
      'stale',
      'fresh',
    ]);
  });

  it('a refused password is not retried, and the emails queued behind it get the same failure without dialling', async () => {
    const { sender, opened } = fakeSender(5);
    const lane = new AddressLane(
      sender,
      async () => ({
        host: 'smtp.example',
        port: 465,
        security: 'tls',
        pinnedCert: null,
        auth: { type: 'password', user: 'a', pass: 'b' },
      }),
      { maxConnections: 2, perMinute: null },
      opts,
    );
    const [a, b] = await Promise.all([lane.acquire(signal), lane.acquire(signal)]);
    expect(a.ok || b.ok).toBe(false);
    const c = await lane.acquire(signal);
    expect(c.ok).toBe(false);
    expect(opened.length).toBeLessThanOrEqual(2);
  });

  it('holds at most maxConnections at once and reuses a released connection', async () => {
    const { sender, opened } = fakeSender(0);
    const lane = new AddressLane(
      sender,
      async () => ({
        host: 'h',
        port: 465,
        security: 'tls',
        pinnedCert: null,
        auth: { type: 'password', user: 'a', pass: 'b' },
      }),
      { maxConnections: 1, perMinute: 2 },
      opts,
    );
    const first = await lane.acquire(signal);
    if (!first.ok) throw new Error('open failed');
    let secondDone = false;
    const second = lane.acquire(signal).then((r) => {
      secondDone = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(secondDone).toBe(false);
    first.release(true);
    const s = await second;
    expect(s.ok && s.connection).toBe(first.connection);
    expect(opened).toHaveLength(1);
    lane.noteFull(60_001);
    lane.noteFull(30_000); // an older answer never shortens the wait
    expect(lane.rateWaitMs(2)).toBe(59_999);
    expect(lane.rateWaitMs(60_001)).toBe(0);
  });
});
