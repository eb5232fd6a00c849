import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { OUTGOING_STATUSES } from '../../db/schema/outbox.js';
import { getEntry } from '../../domain/catalogue/index.js';
import type { MailFailure } from '../../domain/mailbox/mail-failure.js';
import {
  type OutgoingMessageRecord,
  presentFailure,
  presentOutgoingMessage,
} from './outgoing-message.presenter.js';
import { OutgoingMessage, OutgoingStatus } from './outgoing-message.schema.js';

const smtp = (over: Partial<MailFailure>): MailFailure => ({ kind: 'reply', protocol: 'smtp', ...over });

const row = (over: Partial<OutgoingMessageRecord> = {}): OutgoingMessageRecord => ({
  id: '00000000-0000-4000-8000-000000000001',
  status: 'failed',
  taskId: '00000000-0000-4000-8000-000000000002',
  commentId: '00000000-0000-4000-8000-000000000003',
  addressId: '00000000-0000-4000-8000-000000000004',
  senderEmail: 'biuro@firma.pl',
  senderName: 'Biuro',
  subject: 'Oferta',
  attempts: 1,
  nextAttemptAt: new Date('2026-12-04T10:00:00Z'),
  acceptedReply: null,
  sentAt: null,
  failure: null,
  sentCopy: null,
  sentCopyDetail: null,
  resendOfId: null,
  createdAt: new Date('2026-12-04T09:00:00Z'),
  ...over,
});

describe('outgoing email presenter: catalogue explanations (M43, M44)', () => {
  it('uses the stored catalogue entry: cause and fix in the caller’s language, reply beside, help link', () => {
    const stored = {
      reason: 'smtp',
      catalogueId: 'recipient-unknown',
      failure: smtp({ responseCode: 550, enhancedCode: '5.1.1', response: '550 5.1.1 User unknown' }),
      at: '2026-12-04T09:00:00Z',
      attempt: 1,
    };
    const entry = getEntry('recipient-unknown')!;
    const pl = presentFailure(stored, 'failed', 'pl')!;
    expect(pl).toEqual({
      reason: 'smtp',
      catalogueId: 'recipient-unknown',
      title: entry.title.pl,
      cause: entry.cause.pl,
      fix: entry.userAction.pl,
      serverReply: '550 5.1.1 User unknown',
      helpHref: '/help/common-causes#recipient-unknown',
    });
    expect(presentFailure(stored, 'failed', 'en')!.cause).toBe(entry.cause.en);
  });

  it('classifies a stored failure that carries no catalogue id', () => {
    const stored = {
      reason: 'smtp',
      failure: smtp({
        responseCode: 552,
        enhancedCode: '5.3.4',
        response: '552 5.3.4 Message size exceeds fixed limit',
      }),
    };
    const p = presentFailure(stored, 'failed', 'en')!;
    expect(p.catalogueId).toBe('message-too-large');
    expect(p.helpHref).toBe('/help/common-causes#message-too-large');
  });

  it('maps our own size and SMTPUTF8 refusals to their entries', () => {
    expect(presentFailure({ reason: 'too_large' }, 'failed', 'pl')!.catalogueId).toBe('message-too-large');
    expect(presentFailure({ reason: 'smtputf8_required' }, 'failed', 'pl')!.catalogueId).toBe(
      'smtputf8-unsupported',
    );
  });

  it('explains reasons no server said, without a misleading help link', () => {
    const p = presentFailure({ reason: 'no_sender' }, 'failed', 'pl')!;
    expect(p.title).toBe('Brak adresu nadawcy');
    expect(p.helpHref).toBeNull();
    expect(p.serverReply).toBeNull();
  });

  it('an uncertain email says it may have arrived, never "we will retry", even with a closed-connection entry', () => {
    const stored = {
      reason: 'connection_lost_after_data',
      catalogueId: 'connection-closed',
      failure: smtp({ kind: 'closed', code: 'ECONNRESET' }),
    };
    const p = presentFailure(stored, 'uncertain', 'pl')!;
    expect(p.title).toBe('Nie wiadomo, czy wiadomość dotarła');
    expect(p.fix).toMatch(/dwa razy/);
    expect(p.serverReply).toBe('ECONNRESET');
    expect(presentFailure(null, 'uncertain', 'en')!.title).toBe('Not known whether the email arrived');
  });

  it('never says "unknown error" alone, and hides why a policy refused', () => {
    const p = presentFailure(
      { reason: 'weird', failure: { kind: 'policy', protocol: 'smtp' } },
      'failed',
      'en',
    )!;
    expect(p.cause.length).toBeGreaterThan(20);
    expect(p.serverReply).toBeNull();
    expect(presentFailure({ reason: 'mystery' }, 'failed', 'en')!.title).toBe('The email could not be sent');
  });

  it('re-sanitises the stored server reply (control and bidi characters)', () => {
    const stored = {
      reason: 'smtp',
      failure: smtp({ responseCode: 550, response: '550 no\u202e\u0007 way' }),
    };
    expect(presentFailure(stored, 'failed', 'en')!.serverReply).toBe('550 no way');
  });
});

describe('outgoing email presenter: shape', () => {
  it('the schema knows every outbox state', () => {
    expect(OutgoingStatus.anyOf.map((s) => s.const)).toEqual([...OUTGOING_STATUSES]);
  });

  it('matches the response schema, hides the BCC-to-self copy and old failures of a sent email', () => {
    const sent = presentOutgoingMessage(
      row({
        status: 'sent',
        sentAt: new Date('2026-12-04T09:00:01Z'),
        acceptedReply: '250 2.0.0 Ok: queued as ABC',
        failure: { reason: 'smtp', catalogueId: 'greylisted' },
        sentCopy: 'done',
        sentCopyDetail: { folder: 'Wysłane' },
      }),
      [
        { email: 'klient@example.com', name: 'Klient', kind: 'to', status: 'accepted' },
        { email: 'biuro@firma.pl', name: 'Biuro', kind: 'bcc', status: 'accepted' },
      ],
      'pl',
    );
    expect(Value.Check(OutgoingMessage, sent)).toBe(true);
    expect(sent.to).toEqual([{ email: 'klient@example.com', name: 'Klient', status: 'accepted' }]);
    expect(sent.failure).toBeNull();
    expect(sent.nextAttemptAt).toBeNull();
    expect(sent.sentCopy).toEqual({ status: 'done', folder: 'Wysłane', note: null });
  });

  it('shows a failed copy in Sent beside a sent email, with its cause', () => {
    const p = presentOutgoingMessage(
      row({
        status: 'sent',
        sentCopy: 'failed',
        sentCopyDetail: {
          failure: { kind: 'reply', protocol: 'imap', response: 'NO [OVERQUOTA] Quota exceeded' },
        },
      }),
      [],
      'en',
    );
    expect(p.status).toBe('sent');
    expect(p.sentCopy?.status).toBe('failed');
    expect(p.sentCopy?.note).toContain('NO [OVERQUOTA] Quota exceeded');
  });

  it('explains a copy in Sent that found no folder, and one that was skipped', () => {
    const failed = presentOutgoingMessage(
      row({ status: 'sent', sentCopy: 'failed', sentCopyDetail: { reason: 'no_sent_folder' } }),
      [],
      'pl',
    );
    expect(failed.sentCopy?.note).toMatch(/Nie znaleziono folderu Wysłane/);
    const skipped = presentOutgoingMessage(
      row({ status: 'sent', sentCopy: 'skipped', sentCopyDetail: { reason: 'provider_files_sent' } }),
      [],
      'en',
    );
    expect(skipped.sentCopy).toEqual({
      status: 'skipped',
      folder: null,
      note: 'The mail provider files sent mail in the Sent folder itself.',
    });
  });

  it('a bounced email is explained by the reader’s failure record, else as undelivered', () => {
    const withRecord = presentOutgoingMessage(
      row({
        status: 'bounced',
        failure: {
          reason: 'bounced',
          catalogueId: 'recipient-mailbox-full',
          failure: smtp({ response: '552 5.2.2 Mailbox full' }),
        },
        bounce: { reportingMta: 'mx.example.com' },
      }),
      [],
      'pl',
    );
    expect(withRecord.failure).toMatchObject({
      reason: 'bounced',
      catalogueId: 'recipient-mailbox-full',
      serverReply: '552 5.2.2 Mailbox full',
    });
    const reportOnly = presentOutgoingMessage(
      row({ status: 'bounced', failure: null, bounce: { x: 1 } }),
      [],
      'en',
    );
    expect(reportOnly.failure?.catalogueId).toBe('delivery-failed');
  });

  it('a deferred email shows when it is tried next', () => {
    const p = presentOutgoingMessage(
      row({ status: 'deferred', failure: { reason: 'smtp', catalogueId: 'greylisted' } }),
      [],
      'en',
    );
    expect(p.nextAttemptAt).toBe('2026-12-04T10:00:00.000Z');
    expect(p.failure?.catalogueId).toBe('greylisted');
    expect(Value.Check(OutgoingMessage, p)).toBe(true);
  });
});
