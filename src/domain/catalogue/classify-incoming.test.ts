import { describe, expect, it } from 'vitest';
import type { IncomingProtocol } from '../mailbox/connection.js';
import type { MailFailure } from '../mailbox/mail-failure.js';
import { classify, classifyReply } from './index.js';

interface Case {
  protocol: IncomingProtocol;
  reply: string;
  host?: string;
  expected: string;
}

/** POP3 `-ERR` texts (RFC 2449/3206 codes and provider wordings) and IMAP responses (RFC 5530). */
const CASES: Case[] = [
  { protocol: 'pop3', reply: '-ERR [AUTH] Authentication failed.', expected: 'wrong-password' },
  {
    protocol: 'pop3',
    reply: '-ERR [AUTH] Invalid login',
    host: 'pop3.poczta.onet.pl',
    expected: 'wrong-password',
  },
  { protocol: 'pop3', reply: '-ERR authentication failed', expected: 'wrong-password' },
  { protocol: 'pop3', reply: '-ERR [AUTH] nope', expected: 'wrong-password' },
  {
    protocol: 'pop3',
    reply: '-ERR [SYS/TEMP] Server is busy, try again later',
    expected: 'temporary-server-problem',
  },
  {
    protocol: 'pop3',
    reply: '-ERR [SYS/PERM] Your account is not enabled for POP access.',
    expected: 'pop-imap-access-disabled',
  },
  { protocol: 'pop3', reply: '-ERR [IN-USE] Unable to lock maildrop', expected: 'mailbox-in-use' },
  {
    protocol: 'pop3',
    reply: '-ERR [LOGIN-DELAY] Minimum time between mail checks violation',
    expected: 'too-many-login-attempts',
  },
  {
    protocol: 'pop3',
    reply: '-ERR [AUTH] Web login required: https://support.google.com/mail/answer/78754',
    host: 'pop.gmail.com',
    expected: 'web-login-required',
  },
  {
    protocol: 'pop3',
    reply:
      '-ERR [AUTH] Application-specific password required: https://support.google.com/accounts/answer/185833',
    host: 'pop.gmail.com',
    expected: 'gmail-app-password-required',
  },
  {
    protocol: 'pop3',
    reply: '-ERR [AUTH] Application-specific password required',
    host: 'pop.mail.yahoo.com',
    expected: 'app-password-required',
  },
  { protocol: 'pop3', reply: '-ERR POP access is disabled', expected: 'pop-imap-access-disabled' },
  {
    protocol: 'pop3',
    reply: '-ERR this user does not have access rights to this service',
    host: 'pop.yandex.ru',
    expected: 'mail-client-access-disabled',
  },
  {
    protocol: 'pop3',
    reply: '-ERR [AUTH] Username and password not accepted.',
    host: 'pop.gmail.com',
    expected: 'gmail-pop-imap-login-refused',
  },
  { protocol: 'pop3', reply: '-ERR no such user', expected: 'pop3-server-refused' },
  {
    protocol: 'imap',
    reply: 'a1 NO [AUTHENTICATIONFAILED] Authentication failed.',
    expected: 'wrong-password',
  },
  { protocol: 'imap', reply: 'A0001 NO [AUTHENTICATIONFAILED] nope', expected: 'wrong-password' },
  {
    protocol: 'imap',
    reply: 'a1 NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)',
    host: 'imap.gmail.com',
    expected: 'gmail-pop-imap-login-refused',
  },
  {
    protocol: 'imap',
    reply:
      'a1 NO [ALERT] Please log in via your web browser: https://support.google.com/mail/accounts/answer/78754 (Failure)',
    host: 'imap.gmail.com',
    expected: 'web-login-required',
  },
  {
    protocol: 'imap',
    reply:
      'a1 NO [ALERT] Application-specific password required: https://support.google.com/accounts/answer/185833 (Failure)',
    expected: 'gmail-app-password-required',
  },
  {
    protocol: 'imap',
    reply:
      'a1 NO [ALERT] Your account is not enabled for IMAP use. Please visit your Gmail settings page. (Failure)',
    host: 'imap.gmail.com',
    expected: 'pop-imap-access-disabled',
  },
  {
    protocol: 'imap',
    reply: 'a1 NO IMAP access is disabled for this account',
    expected: 'pop-imap-access-disabled',
  },
  { protocol: 'imap', reply: 'a1 NO [UNAVAILABLE] Backend down', expected: 'temporary-server-problem' },
  { protocol: 'imap', reply: 'a1 NO [CONTACTADMIN] Account locked', expected: 'account-blocked' },
  { protocol: 'imap', reply: 'a1 NO [PRIVACYREQUIRED] Use TLS', expected: 'tls-mode-mismatch' },
  {
    protocol: 'imap',
    reply: 'a1 NO [AUTHENTICATIONFAILED] INVALID credentials or IMAP is disabled',
    host: 'imap.yandex.ru',
    expected: 'wrong-password',
  },
  { protocol: 'imap', reply: '* BYE Autologout; idle for too long', expected: 'imap-server-refused' },
];

describe('POP3 and IMAP replies', () => {
  it.each(CASES)('$protocol "$reply" ($host) → $expected', ({ protocol, reply, host, expected }) => {
    expect(classifyReply(protocol, reply, host).entry.id).toBe(expected);
  });

  it('treats an unexplained POP3 refusal at login as a wrong password', () => {
    const failure: MailFailure = { kind: 'auth', protocol: 'pop3', step: 'PASS', response: '-ERR nope' };
    expect(classify(failure)).toMatchObject({ entry: { id: 'wrong-password' }, confidence: 'class' });
  });

  it('treats any Gmail POP3 login refusal as row 31, even without wording', () => {
    const failure: MailFailure = {
      kind: 'auth',
      protocol: 'pop3',
      step: 'PASS',
      host: 'pop.gmail.com',
      response: '-ERR',
    };
    expect(classify(failure).entry.id).toBe('gmail-pop-imap-login-refused');
  });

  it('does not read SMTP-only wordings into POP3 (no "recipient unknown" at login)', () => {
    expect(classifyReply('pop3', '-ERR [SYS/PERM] mailbox unavailable').entry.id).toBe('pop3-server-refused');
  });
});
