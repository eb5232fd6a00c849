import { describe, expect, it } from 'vitest';
import type { MailFailure } from '../mailbox/mail-failure.js';
import { decideAttempt } from './send-decision.js';

const reply = (response: string, step = 'data'): MailFailure => ({
  kind: 'reply',
  protocol: 'smtp',
  step,
  response,
  responseCode: Number(response.slice(0, 3)),
});
const closed: MailFailure = { kind: 'closed', protocol: 'smtp', step: 'data', code: 'ECONNECTION' };

describe('one attempt → the email state (M32, SECURITY.md §5.3)', () => {
  it('250 → sent, with refused recipients kept per recipient', () => {
    const d = decideAttempt(
      {
        ok: true,
        reply: '250 ok',
        queueId: 'Q1',
        rejected: [{ address: 'x@example.com', failure: reply('550 5.1.1 User unknown', 'rcpt_to') }],
      },
      ['a@example.com', 'x@example.com'],
    );
    expect(d.status).toBe('sent');
    if (d.status !== 'sent') return;
    expect(d.recipients.map((r) => r.status)).toEqual(['accepted', 'rejected']);
  });

  it('connection lost after the final dot → uncertain; a reply after it is definite', () => {
    expect(
      decideAttempt({ ok: false, phase: 'after_data_end', failure: closed, rejected: [] }, ['a@x.pl']).status,
    ).toBe('uncertain');
    const later = decideAttempt(
      { ok: false, phase: 'after_data_end', failure: reply('451 4.3.0 try later'), rejected: [] },
      ['a@x.pl'],
    );
    expect(later.status).toBe('deferred');
    const never = decideAttempt(
      { ok: false, phase: 'after_data_end', failure: reply('554 5.7.1 rejected as spam'), rejected: [] },
      ['a@x.pl'],
    );
    expect(never.status).toBe('failed');
  });

  it('before the final dot: network → deferred, 5xx → failed, refused login → pause', () => {
    const net: MailFailure = { kind: 'connect', protocol: 'smtp', step: 'connect', code: 'ECONNREFUSED' };
    expect(
      decideAttempt({ ok: false, phase: 'before_data_end', failure: net, rejected: [] }, ['a@x.pl']).status,
    ).toBe('deferred');
    expect(
      decideAttempt(
        {
          ok: false,
          phase: 'before_data_end',
          failure: reply('550 5.7.1 Sender rejected', 'mail_from'),
          rejected: [],
        },
        ['a@x.pl'],
      ).status,
    ).toMatch(/failed|pause/);
    const auth: MailFailure = {
      kind: 'auth',
      protocol: 'smtp',
      step: 'auth',
      code: 'EAUTH',
      responseCode: 535,
      response: '535 5.7.8 Authentication failed',
    };
    expect(
      decideAttempt({ ok: false, phase: 'before_data_end', failure: auth, rejected: [] }, ['a@x.pl']).status,
    ).toBe('pause');
  });

  it('every recipient refused: 5xx for all → failed; a 4xx among them → deferred', () => {
    const all = (r2: string) =>
      decideAttempt(
        {
          ok: false,
          phase: 'before_data_end',
          failure: reply('550 5.1.1 all recipients were rejected', 'rcpt_to'),
          rejected: [
            { address: 'a@x.pl', failure: reply('550 5.1.1 User unknown', 'rcpt_to') },
            { address: 'b@x.pl', failure: reply(r2, 'rcpt_to') },
          ],
        },
        ['a@x.pl', 'b@x.pl'],
      );
    expect(all('550 5.1.1 User unknown').status).toBe('failed');
    const d = all('451 4.7.1 Greylisting in action');
    expect(d.status).toBe('deferred');
    if (d.status === 'deferred') expect(d.recipients.map((r) => r.status)).toEqual(['rejected', 'pending']);
  });

  it('a refused MAIL FROM says nothing about the recipients: the RCPT replies after it are ignored', () => {
    // With pipelining the server answers every RCPT after a refused MAIL FROM with 503.
    const d = decideAttempt(
      {
        ok: false,
        phase: 'before_data_end',
        failure: reply('451 4.3.0 Try again later', 'mail_from'),
        rejected: [{ address: 'a@x.pl', failure: reply('503 5.5.1 Error: need MAIL command', 'rcpt_to') }],
      },
      ['a@x.pl'],
    );
    expect(d.status).toBe('deferred');
    if (d.status === 'deferred') expect(d.recipients.map((r) => r.status)).toEqual(['pending']);
  });

  it('some recipients refused for good, the others never answered → deferred for those others', () => {
    const d = decideAttempt(
      {
        ok: false,
        phase: 'before_data_end',
        failure: { kind: 'closed', protocol: 'smtp', step: 'rcpt_to', code: 'ECONNECTION' },
        rejected: [{ address: 'a@x.pl', failure: reply('550 5.1.1 User unknown', 'rcpt_to') }],
      },
      ['a@x.pl', 'b@x.pl'],
    );
    expect(d.status).toBe('deferred');
    if (d.status === 'deferred') expect(d.recipients.map((r) => r.status)).toEqual(['rejected', 'pending']);
  });

  it('every mix of recipients refused for good, refused for now and never answered', () => {
    // Failed only when every recipient was refused for good; one never answered stays pending.
    const kinds = ['gone', 'later', 'silent'] as const;
    const refusal = { gone: '550 5.1.1 User unknown', later: '451 4.7.1 Greylisting in action' };
    type Kind = (typeof kinds)[number];
    const ones: Kind[][] = kinds.map((k) => [k]);
    const twos = ones.flatMap((m) => kinds.map((k) => [...m, k]));
    const threes = twos.flatMap((m) => kinds.map((k) => [...m, k]));
    // At least one refusal: with none the connection failure alone decides (tested above).
    const mixes = [...ones, ...twos, ...threes].filter((m) => m.some((k) => k !== 'silent'));
    expect(mixes).toHaveLength(2 + 8 + 26);
    for (const mix of mixes) {
      const to = mix.map((_, i) => `r${i}@x.pl`);
      const d = decideAttempt(
        {
          ok: false,
          phase: 'before_data_end',
          failure: { kind: 'closed', protocol: 'smtp', step: 'rcpt_to', code: 'ECONNECTION' },
          rejected: mix.flatMap((k, i) =>
            k === 'silent' ? [] : [{ address: to[i] as string, failure: reply(refusal[k], 'rcpt_to') }],
          ),
        },
        to,
      );
      expect([mix, d.status]).toEqual([mix, mix.every((k) => k === 'gone') ? 'failed' : 'deferred']);
      if (d.status === 'failed' || d.status === 'deferred')
        expect([mix, d.recipients.map((r) => r.status)]).toEqual([
          mix,
          mix.map((k) => (k === 'gone' ? 'rejected' : 'pending')),
        ]);
    }
  });
});
