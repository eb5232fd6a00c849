import { describe, expect, it } from 'vitest';
import type { MailFailure } from '../mailbox/mail-failure.js';
import { classify, getEntry } from './index.js';

/**
 * Issue 8 item 14: our caps on a server's reply (`kind: 'limit'`) are explained by what was too
 * long. Rows as the adapters build them (src/mail/smtp/smtp-error.ts, imap/imap-error.ts,
 * pop3/pop3-reader.ts); src/mail/oversized-reply.test.ts drives the real libraries.
 */
const rows: [name: string, failure: MailFailure, entry: string][] = [
  [
    'SMTP greeting over nodemailer’s cap',
    {
      kind: 'limit',
      protocol: 'smtp',
      step: 'greeting',
      code: 'EPROTOCOL',
      detail: 'Server response exceeds maximum allowed size',
    },
    'server-reply-oversized',
  ],
  [
    'SMTP EHLO reply over the cap',
    {
      kind: 'limit',
      protocol: 'smtp',
      step: 'ehlo',
      code: 'EPROTOCOL',
      detail: 'Server response exceeds maximum allowed size',
    },
    'server-reply-oversized',
  ],
  [
    'IMAP literal in the LOGIN answer',
    {
      kind: 'limit',
      protocol: 'imap',
      step: 'auth',
      code: 'LiteralTooLarge',
      detail: 'Literal size 2147483648 exceeds maximum allowed size of 1048576 bytes',
    },
    'server-reply-oversized',
  ],
  [
    'IMAP literal in the CAPABILITY answer',
    {
      kind: 'limit',
      protocol: 'imap',
      step: 'capability',
      code: 'LiteralTooLarge',
      detail: 'Literal size 99999999 exceeds maximum allowed size of 1048576 bytes',
    },
    'server-reply-oversized',
  ],
  [
    'IMAP line over the cap',
    {
      kind: 'limit',
      protocol: 'imap',
      step: 'greeting',
      code: 'LineTooLarge',
      detail: 'Line length 70000 exceeds maximum allowed size of 65536 bytes',
    },
    'server-reply-oversized',
  ],
  [
    'IMAP response over the cap while selecting',
    {
      kind: 'limit',
      protocol: 'imap',
      step: 'select',
      code: 'ResponseTooLarge',
      detail: 'Response size 3000000 exceeds maximum allowed size of 2097152 bytes',
    },
    'server-reply-oversized',
  ],
  [
    'POP3 response line over the cap',
    { kind: 'limit', protocol: 'pop3', step: 'greeting', detail: 'response line longer than 2048 bytes' },
    'server-reply-oversized',
  ],
  [
    'our LINE_TOO_LONG code',
    { kind: 'limit', protocol: 'smtp', code: 'LINE_TOO_LONG' },
    'server-reply-oversized',
  ],
  // What really is about a message's size keeps its entry.
  [
    'IMAP literal while fetching a message',
    {
      kind: 'limit',
      protocol: 'imap',
      step: 'fetch',
      code: 'LiteralTooLarge',
      detail: 'Literal size 99999999 exceeds maximum allowed size of 1048576 bytes',
    },
    'incoming-message-too-large',
  ],
  [
    'POP3 message over our cap',
    {
      kind: 'limit',
      protocol: 'pop3',
      step: 'retr',
      code: 'MESSAGE_TOO_LARGE',
      detail: 'message larger than 26214400 bytes',
    },
    'incoming-message-too-large',
  ],
  [
    'POP3 message sending far more than its LIST size (stopped at the allowance)',
    {
      kind: 'limit',
      protocol: 'pop3',
      step: 'retr',
      detail: 'message 3 sent more than the 1 bytes LIST announced (stopped at 65537)',
    },
    'incoming-message-larger-than-listed',
  ],
  [
    'IMAP message sending more than its RFC822.SIZE (a partial FETCH filled its allowance)',
    {
      kind: 'limit',
      protocol: 'imap',
      step: 'fetch',
      detail: 'message UID 7 sent more than the 1 bytes RFC822.SIZE announced (stopped at 65537)',
    },
    'incoming-message-larger-than-listed',
  ],
  [
    'IMAP message listed without a size, past the message cap',
    {
      kind: 'limit',
      protocol: 'imap',
      step: 'fetch',
      detail: 'message UID 7 is too large: the server listed no size and sent more than 1048576 bytes',
    },
    'incoming-message-too-large',
  ],
  [
    'SMTP message over SIZE',
    { kind: 'limit', protocol: 'smtp', code: 'MESSAGE_TOO_LARGE' },
    'message-too-large',
  ],
  [
    'POP3 listing with too many lines',
    { kind: 'limit', protocol: 'pop3', step: 'uidl', detail: 'listing longer than 100000 lines' },
    'server-reply-too-long',
  ],
  [
    'POP3 maildrop STAT counted past the listing cap (a full mailbox, not a flood)',
    {
      kind: 'limit',
      protocol: 'pop3',
      step: 'list',
      detail: 'the mailbox holds 150000 messages, more than the 100000 one listing may name',
    },
    'mailbox-too-many-messages',
  ],
  ['too many recipients', { kind: 'limit', protocol: 'smtp', code: 'EMAXRECIPIENTS' }, 'too-many-recipients'],
];

describe('over-long replies vs message size (issue 8 item 14)', () => {
  it.each(rows)('%s', (_name, failure, entry) => {
    expect(classify(failure).entry.id).toBe(entry);
  });

  it('says in both languages that the reply, not the email, was too long', () => {
    const entry = getEntry('server-reply-oversized');
    expect(entry?.title).toEqual({
      pl: 'Serwer przysłał odpowiedź zbyt długą jak na serwer poczty',
      en: 'The server sent a reply too long for a mail server',
    });
    expect(entry?.cause.en).toMatch(/not about the size of your email/);
    expect(entry?.cause.pl).toMatch(/nie dotyczy rozmiaru Twojej wiadomości/);
    expect(entry?.retryable).toBe(false);
  });
});
