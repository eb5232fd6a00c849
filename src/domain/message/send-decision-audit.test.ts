import { describe, expect, it } from 'vitest';
import type { MailFailure } from '../mailbox/mail-failure.js';
import { decideAttempt, readFailure } from './send-decision.js';

/**
 * send-audit: the retry classification (M32–M33, SECURITY.md §5.3) against replies the outbox's
 * own tests do not use. A 4xx is temporary whatever catalogue entry explains it; a 5xx that does
 * not concern the address fails the email; silence after the final dot is never a failure.
 */
const reply = (response: string, step = 'rcpt_to'): MailFailure => ({
  kind: 'reply',
  protocol: 'smtp',
  step,
  response,
  responseCode: Number(response.slice(0, 3)),
});

const TEMPORARY = [
  '450 4.1.1 <x@y.pl>: Recipient address rejected: User unknown in local recipient table',
  '450 4.7.1 Message rejected as spam',
  // Explained by a catalogue entry that is permanent for its 5xx form: the 4xx is still temporary.
  '451 4.7.1 Unauthenticated email from example.com is not accepted due to domain DMARC policy',
  '452 4.5.3 Too many recipients',
  '452 4.3.1 Insufficient system storage',
  '421 4.7.0 Try again later, closing connection',
  '451 4.3.0 Message size exceeds fixed limit',
];

const PERMANENT = [
  '550 5.1.1 <x@y.pl>: Recipient address rejected: User unknown',
  '554 5.7.1 Message rejected as spam',
  '552 5.3.4 Message size exceeds fixed maximum message size',
  '550 5.7.26 Unauthenticated email from example.com is not accepted due to domain DMARC policy',
  // 500 is the lowest permanent code (RFC 5321 §4.2.1).
  '500 5.5.1 Command unrecognized',
];

describe('retry classification (send-audit)', () => {
  it.each(TEMPORARY)('%s → retried, never failed for good', (text) => {
    expect(readFailure(reply(text)).verdict).toBe('retry');
    for (const [phase, step] of [
      ['before_data_end', 'mail_from'],
      ['before_data_end', 'data'],
      ['after_data_end', 'data'],
    ] as const) {
      const d = decideAttempt({ ok: false, phase, failure: reply(text, step), rejected: [] }, ['a@x.pl']);
      expect(d.status, `${phase}/${step}`).toBe('deferred');
    }
  });

  it.each(PERMANENT)('%s → failed, not retried', (text) => {
    expect(readFailure(reply(text)).verdict).toBe('fail');
    const d = decideAttempt(
      { ok: false, phase: 'after_data_end', failure: reply(text, 'data'), rejected: [] },
      ['a@x.pl'],
    );
    expect(d.status).toBe('failed');
  });

  it('a per-recipient 4xx after others were accepted keeps the email deferred for that one only', () => {
    const d = decideAttempt(
      {
        ok: true,
        reply: '250 ok',
        queueId: null,
        rejected: [{ address: 'B@x.pl', failure: reply(TEMPORARY[0]!) }],
      },
      ['a@x.pl', 'b@x.pl'],
    );
    expect(d.status).toBe('deferred');
    if (d.status !== 'deferred') return;
    expect(d.recipients.map((r) => [r.address, r.status])).toEqual([
      ['a@x.pl', 'accepted'],
      ['b@x.pl', 'pending'],
    ]);
  });

  it('no answer after the final dot (timeout, reset, close) → uncertain; before it → deferred', () => {
    for (const failure of [
      { kind: 'timeout', protocol: 'smtp', step: 'data', code: 'ETIMEDOUT' },
      { kind: 'closed', protocol: 'smtp', step: 'data', code: 'ECONNRESET' },
      { kind: 'closed', protocol: 'smtp', step: 'data', code: 'ECONNECTION' },
    ] as MailFailure[]) {
      expect(
        decideAttempt({ ok: false, phase: 'after_data_end', failure, rejected: [] }, ['a@x.pl']).status,
      ).toBe('uncertain');
      expect(
        decideAttempt({ ok: false, phase: 'before_data_end', failure, rejected: [] }, ['a@x.pl']).status,
      ).toBe('deferred');
    }
  });

  it('rate limits wait an hour at least, daily quotas a day (the catalogue entry’s backoff)', () => {
    const volume = '421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume';
    expect(readFailure(reply(volume, 'data'))).toMatchObject({
      verdict: 'retry',
      catalogueId: 'rate-limited',
      hint: 'long',
    });
    expect(readFailure(reply('550 5.4.5 Daily user sending limit exceeded', 'data'))).toMatchObject({
      verdict: 'retry',
      catalogueId: 'daily-sending-limit',
      hint: 'next-day',
    });
  });
});
