import { describe, expect, it } from 'vitest';
import type { MailFailure } from '../mailbox/mail-failure.js';
import type { ClassifyHints } from './classify.js';
import { classify } from './index.js';

/**
 * SECURITY.md §6: every row's example reply (or failure) → the entry that explains it.
 * `retry` is the table's Retry column where it is unambiguous.
 */
interface Row {
  row: number;
  name: string;
  failure: MailFailure;
  hints?: ClassifyHints;
  expected: string;
  retry?: boolean;
  pause?: boolean;
}

const GMAIL = 'smtp.gmail.com';
const M365 = 'smtp.office365.com';

const smtp = (response: string, host?: string, extra: Partial<MailFailure> = {}): MailFailure => ({
  kind: 'reply',
  protocol: 'smtp',
  response,
  ...(host ? { host } : {}),
  ...extra,
});

const ROWS: Row[] = [
  {
    row: 1,
    name: 'Gmail BadCredentials',
    failure: smtp(
      '535-5.7.8 Username and Password not accepted. For more information, go to 535 5.7.8 https://support.google.com/mail/?p=BadCredentials a640c23a62f3a-a4 - gsmtp',
      GMAIL,
      { kind: 'auth', code: 'EAUTH', step: 'AUTH PLAIN' },
    ),
    expected: 'gmail-password-rejected',
    retry: false,
    pause: true,
  },
  {
    row: 2,
    name: 'Gmail application-specific password',
    failure: smtp(
      '534-5.7.9 Application-specific password required. Learn more at 534 5.7.9 https://support.google.com/mail/?p=InvalidSecondFactor - gsmtp',
      GMAIL,
    ),
    expected: 'gmail-app-password-required',
    retry: false,
  },
  {
    row: 3,
    name: 'Gmail web login (older wording)',
    failure: smtp('535 5.7.1 Please log in with your web browser and then try again.', GMAIL),
    expected: 'web-login-required',
    retry: false,
  },
  {
    row: 4,
    name: 'Gmail too many logins',
    failure: smtp('454 4.7.0 Too many login attempts, please try again later. - gsmtp', GMAIL),
    expected: 'too-many-login-attempts',
    retry: true,
  },
  {
    row: 4,
    name: 'Gmail 454 4.7.0 without the wording',
    failure: smtp(
      '454 4.7.0 Cannot authenticate due to a temporary system problem. Try again later. - gsmtp',
      GMAIL,
    ),
    expected: 'too-many-login-attempts',
    retry: true,
  },
  {
    row: 5,
    name: 'STARTTLS first',
    failure: smtp('530 5.7.0 Must issue a STARTTLS command first. - gsmtp', GMAIL),
    expected: 'tls-mode-mismatch',
    retry: false,
  },
  {
    row: 5,
    name: 'pipelining after STARTTLS',
    failure: smtp(
      '454 4.5.0 SMTP protocol violation, no commands allowed to pipeline after STARTTLS, see RFC 3207',
    ),
    expected: 'tls-mode-mismatch',
  },
  {
    row: 6,
    name: 'Gmail daily quota',
    failure: smtp('550 5.4.5 Daily user sending quota exceeded. - gsmtp', GMAIL),
    expected: 'daily-sending-limit',
    retry: true,
    pause: false,
  },
  {
    row: 6,
    name: 'Gmail 5.4.5 beats the generic "quota exceeded" (mailbox full) wording',
    failure: smtp('550 5.4.5 Quota exceeded', GMAIL),
    expected: 'daily-sending-limit',
  },
  {
    row: 7,
    name: 'Gmail try again later',
    failure: smtp('421-4.7.0 Try again later, closing connection. (EHLO) - gsmtp', GMAIL),
    expected: 'rate-limited',
    retry: true,
  },
  {
    row: 7,
    name: 'Gmail unusual rate of unsolicited mail',
    failure: smtp(
      '421-4.7.28 Our system has detected an unusual rate of unsolicited mail originating from your IP address. - gsmtp',
      GMAIL,
    ),
    expected: 'rate-limited',
    retry: true,
  },
  {
    row: 8,
    name: 'too many recipients',
    failure: smtp(
      "452 4.5.3 Your message has too many recipients. For more information regarding Google's sending limits, visit https://support.google.com/mail/?p=TooManyRecipientsError - gsmtp",
      GMAIL,
    ),
    expected: 'too-many-recipients',
    retry: true,
  },
  {
    row: 9,
    name: 'size 5.3.4',
    failure: smtp('552 5.3.4 Message size exceeds fixed limit'),
    expected: 'message-too-large',
    retry: false,
  },
  {
    row: 9,
    name: 'size 5.2.3 (Gmail)',
    failure: smtp("552-5.2.3 Your message exceeded Google's message size limits. - gsmtp", GMAIL),
    expected: 'message-too-large',
    retry: false,
  },
  {
    row: 10,
    name: 'Microsoft SMTP AUTH disabled for the tenant',
    failure: smtp(
      '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [DB8PR04CA0012.eurprd04.prod.outlook.com]',
      M365,
    ),
    expected: 'microsoft-smtp-auth-disabled',
    retry: false,
    pause: true,
  },
  {
    row: 10,
    name: 'Microsoft security defaults',
    failure: smtp(
      "535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults policy. Contact your administrator.",
      M365,
    ),
    expected: 'microsoft-smtp-auth-disabled',
    pause: true,
  },
  {
    row: 10,
    name: 'Microsoft request did not meet the criteria',
    failure: smtp(
      '535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully. Contact your administrator.',
      M365,
    ),
    expected: 'microsoft-smtp-auth-disabled',
  },
  {
    row: 11,
    name: 'Microsoft 5.7.3',
    failure: smtp('535 5.7.3 Authentication unsuccessful [BN8PR15CA0061.namprd15.prod.outlook.com]', M365),
    expected: 'microsoft-authentication-unsuccessful',
    retry: false,
  },
  {
    row: 12,
    name: 'Microsoft basic auth retired',
    failure: smtp('550 5.7.30 Basic authentication is not supported for Client Submission.', M365),
    expected: 'microsoft-basic-auth-retired',
    retry: false,
  },
  {
    row: 13,
    name: 'Microsoft client not authenticated',
    failure: smtp(
      '530 5.7.57 Client not authenticated to send mail. [VI1PR0102CA0059.eurprd01.prod.exchangelabs.com]',
      M365,
    ),
    expected: 'relay-denied',
    retry: false,
  },
  {
    row: 14,
    name: 'Microsoft send as',
    failure: smtp('550 5.7.60 SMTP; Client does not have permissions to send as this sender', M365),
    expected: 'microsoft-send-as-denied',
    retry: false,
  },
  {
    row: 15,
    name: 'Microsoft SendAsDenied (older wording, no host)',
    failure: smtp(
      '554 5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message due to a permanent exception with message Cannot submit message.',
    ),
    expected: 'microsoft-send-as-denied',
    retry: false,
  },
  {
    row: 16,
    name: 'Microsoft bad outbound sender',
    failure: smtp('550 5.1.8 Access denied, bad outbound sender', M365),
    expected: 'microsoft-sender-restricted',
    retry: false,
    pause: true,
  },
  {
    row: 17,
    name: 'Postfix sender login mismatch',
    failure: smtp(
      '553 5.7.1 <biuro@firma.pl>: Sender address rejected: not owned by user jan@firma.pl',
      'smtp.yandex.ru',
    ),
    expected: 'sender-not-owned',
    retry: false,
  },
  {
    row: 18,
    name: 'Mail.ru sending disabled',
    failure: smtp('550 Message sending for this account is disabled', 'smtp.mail.ru'),
    expected: 'account-blocked',
    retry: false,
    pause: true,
  },
  {
    row: 19,
    name: 'Yandex spam',
    failure: smtp(
      '554 5.7.1 Message rejected under suspicion of SPAM; https://ya.cc/1IrBc 1610374923-8t2v1RTvlB-M3o4Lsgl',
      'smtp.yandex.ru',
    ),
    expected: 'rejected-as-spam',
    retry: false,
  },
  {
    row: 20,
    name: 'Yandex access for mail programs',
    failure: {
      kind: 'auth',
      protocol: 'pop3',
      host: 'pop.yandex.ru',
      step: 'PASS',
      response: '-ERR this user does not have access rights to this service',
    },
    expected: 'mail-client-access-disabled',
    retry: false,
  },
  {
    row: 20,
    name: 'external SMTP access switched off',
    failure: smtp('535 5.7.8 Error: external SMTP access is disabled', 'mail.inbox.lv', { kind: 'auth' }),
    expected: 'mail-client-access-disabled',
    retry: false,
  },
  {
    row: 21,
    name: 'Yahoo policy reasons (bounce)',
    failure: smtp(
      'smtp; 554 5.7.9 Message not accepted for policy reasons. See https://help.yahoo.com/kb/postmaster/SLN7253.html',
      'mta7.am0.yahoodns.net',
      { step: 'bounce', enhancedCode: '5.7.9' },
    ),
    expected: 'dmarc-rejected',
    retry: false,
  },
  {
    row: 22,
    name: 'Yahoo TSS04',
    failure: smtp(
      '421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes',
    ),
    expected: 'rate-limited',
    retry: true,
  },
  {
    row: 23,
    name: 'Gmail 5.7.26 (code only)',
    failure: smtp(
      '550-5.7.26 This mail is unauthenticated, which poses a security risk to the sender and Gmail users, and has been blocked. - gsmtp',
    ),
    expected: 'dmarc-rejected',
    retry: false,
  },
  {
    row: 23,
    name: 'DMARC in the wording (Mail.ru)',
    failure: smtp('550 5.7.1 Email rejected per DMARC policy for mail.ru domain', 'mxs.mail.ru', {
      step: 'bounce',
    }),
    expected: 'dmarc-rejected',
  },
  {
    row: 24,
    name: 'Postfix relay access denied',
    failure: smtp('554 5.7.1 <klient@example.com>: Relay access denied'),
    expected: 'relay-denied',
    retry: false,
  },
  {
    row: 24,
    name: 'Microsoft TenantAttribution relay',
    failure: smtp(
      '550 5.7.64 TenantAttribution; Relay Access Denied [AM4PEPF00027A5C.eurprd04.prod.outlook.com]',
      M365,
    ),
    expected: 'relay-denied',
  },
  {
    row: 25,
    name: 'postgrey',
    failure: smtp(
      '450 4.2.0 <klient@example.com>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.com.html',
    ),
    expected: 'greylisted',
    retry: true,
  },
  {
    row: 25,
    name: 'greylisting in action',
    failure: smtp('451 4.7.1 Greylisting in action, please come back later'),
    expected: 'greylisted',
    retry: true,
  },
  {
    row: 26,
    name: 'mailbox full 4.2.2',
    failure: smtp(
      '452-4.2.2 The email account that you tried to reach is over quota. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaTemp - gsmtp',
    ),
    expected: 'recipient-mailbox-full',
    retry: true,
  },
  {
    row: 26,
    name: 'mailbox full 5.2.2 (code only)',
    failure: smtp('552 5.2.2 <klient@example.com>: requested action aborted'),
    expected: 'recipient-mailbox-full',
  },
  {
    row: 27,
    name: 'user unknown',
    failure: smtp(
      '550 5.1.1 <nikt@example.com>: Recipient address rejected: User unknown in virtual mailbox table',
    ),
    expected: 'recipient-unknown',
    retry: false,
  },
  {
    row: 28,
    name: 'self-signed',
    failure: { kind: 'tls', protocol: 'smtp', code: 'ESOCKET', detail: 'self-signed certificate' },
    expected: 'certificate-untrusted',
    retry: false,
  },
  {
    row: 28,
    name: 'unknown issuer',
    failure: { kind: 'tls', protocol: 'imap', detail: 'unable to get local issuer certificate' },
    expected: 'certificate-untrusted',
  },
  {
    row: 28,
    name: 'expired',
    failure: { kind: 'tls', protocol: 'pop3', detail: 'certificate has expired' },
    expected: 'certificate-expired',
  },
  {
    row: 28,
    name: 'wrong name',
    failure: {
      kind: 'tls',
      protocol: 'smtp',
      detail:
        "Hostname/IP does not match certificate's altnames: Host: mail.firma.pl. is not in the cert's altnames: DNS:serwer123.hosting.example",
    },
    expected: 'certificate-wrong-name',
  },
  {
    row: 29,
    name: 'wrong version number',
    failure: {
      kind: 'tls',
      protocol: 'smtp',
      code: 'ESOCKET',
      detail: 'C0F7:error:0A00010B:SSL routines:ssl3_get_record:wrong version number',
    },
    expected: 'tls-mode-mismatch',
    retry: false,
  },
  {
    row: 29,
    name: 'greeting never received on an implicit-TLS port',
    failure: { kind: 'timeout', protocol: 'smtp', timeout: 'greeting', detail: 'Greeting never received' },
    hints: { port: 465, security: 'starttls' },
    expected: 'tls-mode-mismatch',
    retry: false,
  },
  {
    row: 30,
    name: 'ECONNREFUSED',
    failure: { kind: 'connect', protocol: 'smtp', code: 'ECONNREFUSED' },
    expected: 'connection-refused',
  },
  {
    row: 30,
    name: 'ETIMEDOUT',
    failure: { kind: 'connect', protocol: 'smtp', code: 'ETIMEDOUT' },
    expected: 'connection-timeout',
    retry: true,
  },
  {
    row: 30,
    name: 'ENOTFOUND',
    failure: { kind: 'dns', protocol: 'pop3', code: 'ENOTFOUND' },
    expected: 'host-not-found',
  },
  {
    row: 30,
    name: 'EAI_AGAIN',
    failure: { kind: 'connect', protocol: 'imap', code: 'EAI_AGAIN' },
    expected: 'host-not-found',
    retry: true,
  },
  {
    row: 31,
    name: 'Gmail POP3 after 2FA',
    failure: {
      kind: 'auth',
      protocol: 'pop3',
      host: 'pop.gmail.com',
      step: 'PASS',
      response: '-ERR [AUTH] Username and password not accepted.',
    },
    expected: 'gmail-pop-imap-login-refused',
    retry: false,
    pause: true,
  },
];

describe('SECURITY.md §6 rows', () => {
  it('covers all 31 rows', () => {
    expect(new Set(ROWS.map((r) => r.row))).toEqual(new Set(Array.from({ length: 31 }, (_, i) => i + 1)));
  });

  it.each(ROWS)('row $row: $name → $expected', ({ failure, hints, expected, retry, pause }) => {
    const { entry } = classify(failure, hints);
    expect(entry.id).toBe(expected);
    if (retry !== undefined) expect(entry.retryable).toBe(retry);
    if (pause !== undefined) expect(entry.pausesAddress).toBe(pause);
  });
});
