import { describe, expect, it } from 'vitest';
import type { MailFailure } from '../mailbox/mail-failure.js';
import type { ClassifyHints } from './classify.js';
import { classify, classifyReply } from './index.js';

interface Case {
  name: string;
  failure: MailFailure;
  hints?: ClassifyHints;
  expected: string;
  confidence?: string;
}

const run = (cases: Case[]) =>
  it.each(cases)('$name → $expected', ({ failure, hints, expected, confidence }) => {
    const result = classify(failure, hints);
    expect(result.entry.id).toBe(expected);
    if (confidence) expect(result.confidence).toBe(confidence);
  });

describe('nodemailer error shapes (STACK-NOTES) as MailFailure', () => {
  run([
    {
      name: 'EAUTH 535 permanent',
      failure: {
        kind: 'auth',
        protocol: 'smtp',
        code: 'EAUTH',
        responseCode: 535,
        response: '535 Error: authentication failed',
        step: 'AUTH PLAIN',
      },
      expected: 'wrong-password',
    },
    {
      name: 'EENVELOPE 550 relay denied at RCPT',
      failure: {
        kind: 'reply',
        protocol: 'smtp',
        code: 'EENVELOPE',
        responseCode: 550,
        response: '550 5.7.1 <klient@example.com>: Relay access denied',
        step: 'RCPT TO',
      },
      expected: 'relay-denied',
    },
    {
      name: '451 greylisting (permanent: false)',
      failure: {
        kind: 'reply',
        protocol: 'smtp',
        code: 'EENVELOPE',
        responseCode: 451,
        response: '451 4.7.1 Greylisting in action, please come back later',
        step: 'RCPT TO',
      },
      expected: 'greylisted',
    },
    {
      name: '451 with no wording is temporary',
      failure: {
        kind: 'reply',
        protocol: 'smtp',
        code: 'EENVELOPE',
        responseCode: 451,
        response: '451 Try later',
      },
      expected: 'temporary-server-problem',
      confidence: 'class',
    },
    {
      name: '552 after DATA (EMESSAGE)',
      failure: {
        kind: 'reply',
        protocol: 'smtp',
        code: 'EMESSAGE',
        responseCode: 552,
        response: '552 Error: message exceeds fixed maximum message size',
        step: 'DATA',
      },
      expected: 'message-too-large',
    },
    {
      name: '552 after DATA with no wording',
      failure: {
        kind: 'reply',
        protocol: 'smtp',
        code: 'EMESSAGE',
        responseCode: 552,
        response: '552',
        step: 'DATA',
      },
      expected: 'message-too-large',
      confidence: 'code',
    },
    {
      name: 'EMESSAGE: larger than the advertised SIZE, before DATA',
      failure: {
        kind: 'reply',
        protocol: 'smtp',
        code: 'EMESSAGE',
        detail: 'Message size larger than allowed 1000',
      },
      expected: 'message-too-large',
    },
    {
      name: 'ESOCKET + ECONNREFUSED',
      failure: {
        kind: 'connect',
        protocol: 'smtp',
        code: 'ESOCKET',
        detail: 'connect ECONNREFUSED 127.0.0.1:2525',
      },
      expected: 'connection-refused',
      confidence: 'code',
    },
    {
      name: 'ESOCKET + ERR_SSL_WRONG_VERSION_NUMBER',
      failure: {
        kind: 'connect',
        protocol: 'smtp',
        code: 'ESOCKET',
        detail: 'originalCode ERR_SSL_WRONG_VERSION_NUMBER',
      },
      expected: 'tls-mode-mismatch',
    },
    {
      name: "ESOCKET 'wrong version number' text",
      failure: {
        kind: 'connect',
        protocol: 'smtp',
        code: 'ESOCKET',
        detail: 'ssl3_get_record:wrong version number',
      },
      expected: 'tls-mode-mismatch',
    },
    {
      name: 'ETIMEDOUT GREETING_TIMEOUT, no endpoint hints',
      failure: {
        kind: 'timeout',
        protocol: 'smtp',
        code: 'ETIMEDOUT',
        detail: 'Greeting never received (GREETING_TIMEOUT)',
      },
      expected: 'greeting-timeout',
    },
    {
      name: 'ETIMEDOUT GREETING_TIMEOUT, STARTTLS on 465',
      failure: { kind: 'connect', protocol: 'smtp', code: 'ETIMEDOUT', detail: 'GREETING_TIMEOUT' },
      hints: { port: 465, security: 'starttls' },
      expected: 'tls-mode-mismatch',
    },
    {
      name: 'greeting timeout, plaintext on POP3S 995',
      failure: { kind: 'timeout', protocol: 'pop3', timeout: 'greeting' },
      hints: { port: 995, security: 'none' },
      expected: 'tls-mode-mismatch',
    },
    {
      name: 'greeting timeout with SSL/TLS on 465 is not a mode mismatch',
      failure: { kind: 'timeout', protocol: 'smtp', timeout: 'greeting' },
      hints: { port: 465, security: 'tls' },
      expected: 'greeting-timeout',
    },
    {
      name: 'greeting timeout on 587',
      failure: { kind: 'timeout', protocol: 'smtp', timeout: 'greeting' },
      hints: { port: 587, security: 'starttls' },
      expected: 'greeting-timeout',
    },
    {
      name: 'ESOCKET self-signed certificate',
      failure: { kind: 'connect', protocol: 'smtp', code: 'ESOCKET', detail: 'self-signed certificate' },
      expected: 'certificate-untrusted',
    },
    {
      name: 'DEPTH_ZERO_SELF_SIGNED_CERT code',
      failure: { kind: 'tls', protocol: 'imap', code: 'DEPTH_ZERO_SELF_SIGNED_CERT' },
      expected: 'certificate-untrusted',
      confidence: 'code',
    },
    {
      name: 'EAUTH XOAUTH2 535 on Gmail (not the password entry)',
      failure: {
        kind: 'auth',
        protocol: 'smtp',
        code: 'EAUTH',
        responseCode: 535,
        response: '535-5.7.8 Username and Password not accepted. - gsmtp',
        step: 'AUTH XOAUTH2',
        host: 'smtp.gmail.com',
      },
      expected: 'oauth-grant-invalid',
    },
    {
      name: 'EAUTH XOAUTH2 535 against smtp-server',
      failure: {
        kind: 'auth',
        protocol: 'smtp',
        code: 'EAUTH',
        responseCode: 535,
        response: '535 Error: authentication failed',
        detail: 'AUTH XOAUTH2 rejected',
      },
      expected: 'oauth-grant-invalid',
    },
    {
      name: 'XOAUTH2 with a temporary 454 stays temporary',
      failure: {
        kind: 'auth',
        protocol: 'smtp',
        responseCode: 454,
        response: '454 4.7.0 Temporary authentication failure',
        step: 'AUTH XOAUTH2',
      },
      expected: 'temporary-server-problem',
    },
  ]);
});

describe('system and library codes', () => {
  run([
    {
      name: 'ECONNRESET',
      failure: { kind: 'closed', protocol: 'pop3', code: 'ECONNRESET' },
      expected: 'connection-closed',
    },
    {
      name: 'EHOSTUNREACH',
      failure: { kind: 'connect', protocol: 'smtp', code: 'EHOSTUNREACH' },
      expected: 'host-unreachable',
    },
    {
      name: 'ENETUNREACH in detail',
      failure: {
        kind: 'connect',
        protocol: 'imap',
        code: 'ESOCKET',
        detail: 'connect ENETUNREACH 2001:db8::1:993',
      },
      expected: 'host-unreachable',
    },
    {
      name: 'ENOTFOUND',
      failure: { kind: 'connect', protocol: 'smtp', detail: 'getaddrinfo ENOTFOUND smtp.gmial.com' },
      expected: 'host-not-found',
    },
    {
      name: 'nodemailer ETLS',
      failure: { kind: 'tls', protocol: 'smtp', code: 'ETLS', detail: 'Error initiating TLS' },
      expected: 'tls-handshake-failed',
    },
    {
      name: 'nodemailer EPROTOCOL',
      failure: { kind: 'reply', protocol: 'smtp', code: 'EPROTOCOL' },
      expected: 'protocol-violation',
    },
    {
      name: 'nodemailer EMAXRECIPIENTS',
      failure: { kind: 'limit', protocol: 'smtp', code: 'EMAXRECIPIENTS' },
      expected: 'too-many-recipients',
    },
    {
      name: 'EMAXRECIPIENTS as an envelope error',
      failure: { kind: 'reply', protocol: 'smtp', code: 'EMAXRECIPIENTS' },
      expected: 'too-many-recipients',
    },
    {
      name: 'EOAUTH2',
      failure: { kind: 'auth', protocol: 'smtp', code: 'EOAUTH2' },
      expected: 'oauth-grant-invalid',
    },
  ]);
});

describe('our own failure kinds come first', () => {
  run([
    {
      name: 'policy refusal',
      failure: { kind: 'policy', protocol: 'smtp', host: 'localhost', detail: 'loopback' },
      expected: 'server-address-not-allowed',
    },
    {
      name: 'pin mismatch (structured)',
      failure: { kind: 'certificate', protocol: 'smtp', certificateProblem: 'pin_mismatch' },
      expected: 'certificate-pin-changed',
    },
    {
      name: 'pin mismatch (code from tls-options)',
      failure: { kind: 'tls', protocol: 'pop3', code: 'ERR_MAILROOM_PIN_MISMATCH' },
      expected: 'certificate-pin-changed',
    },
    {
      name: 'not yet valid',
      failure: { kind: 'certificate', protocol: 'smtp', certificateProblem: 'not_yet_valid' },
      expected: 'certificate-expired',
    },
    {
      name: 'hostname mismatch code',
      failure: { kind: 'tls', protocol: 'smtp', code: 'ERR_TLS_CERT_ALTNAME_INVALID' },
      expected: 'certificate-wrong-name',
    },
    {
      name: 'certificate kind without details',
      failure: { kind: 'certificate', protocol: 'imap' },
      expected: 'certificate-invalid',
    },
    {
      name: 'STARTTLS missing',
      failure: { kind: 'starttls_unavailable', protocol: 'smtp', step: 'ehlo', response: '250 SIZE 1000' },
      expected: 'starttls-unavailable',
    },
    {
      name: 'connect timeout',
      failure: { kind: 'timeout', protocol: 'smtp', timeout: 'connect' },
      expected: 'connection-timeout',
    },
    {
      name: 'command timeout',
      failure: { kind: 'timeout', protocol: 'pop3', timeout: 'command' },
      expected: 'server-timeout',
    },
    {
      name: 'session timeout',
      failure: { kind: 'timeout', protocol: 'imap', timeout: 'session' },
      expected: 'server-timeout',
    },
    {
      name: 'nodemailer SOCKET_TIMEOUT',
      failure: { kind: 'connect', protocol: 'smtp', code: 'ETIMEDOUT', detail: 'Timeout SOCKET_TIMEOUT' },
      expected: 'server-timeout',
    },
    {
      name: 'dns kind',
      failure: { kind: 'dns', protocol: 'smtp', code: 'ESERVFAIL' },
      expected: 'host-not-found',
    },
    {
      name: 'limit: SMTP message over SIZE',
      failure: { kind: 'limit', protocol: 'smtp', code: 'MESSAGE_TOO_LARGE' },
      expected: 'message-too-large',
    },
    {
      name: 'limit: POP3 message over our cap',
      failure: {
        kind: 'limit',
        protocol: 'pop3',
        code: 'MESSAGE_TOO_LARGE',
        detail: 'LIST says 2147483648 bytes',
      },
      expected: 'incoming-message-too-large',
    },
    {
      name: 'limit: reply line too long',
      failure: { kind: 'limit', protocol: 'smtp', code: 'LINE_TOO_LONG' },
      expected: 'server-reply-oversized',
    },
    {
      name: 'protocol breakage beats a reply-looking text',
      failure: { kind: 'protocol', protocol: 'smtp', response: 'HTTP/1.1 400 Bad Request' },
      expected: 'protocol-violation',
    },
    {
      name: 'UIDL unsupported',
      failure: { kind: 'unsupported', protocol: 'pop3', step: 'uidl', response: '-ERR unknown command' },
      expected: 'uidl-unsupported',
    },
    {
      name: 'SMTPUTF8 unsupported',
      failure: { kind: 'unsupported', protocol: 'smtp', code: 'SMTPUTF8' },
      expected: 'smtputf8-unsupported',
    },
    {
      name: 'no usable AUTH mechanism',
      failure: { kind: 'unsupported', protocol: 'smtp', step: 'auth', detail: 'server offers CRAM-MD5 only' },
      expected: 'auth-method-unsupported',
    },
    {
      name: 'credential unreadable',
      failure: { kind: 'auth', protocol: 'smtp', code: 'SECRET_UNREADABLE' },
      expected: 'credential-unreadable',
    },
  ]);

  it('gives every refused target the identical entry (no error oracle)', () => {
    const details = ['loopback', 'private range 10.0.0.0/8', 'port 6379 not allowed', 'metadata address'];
    const ids = new Set(
      details.map((detail) => classify({ kind: 'policy', protocol: 'smtp', detail }).entry.id),
    );
    expect([...ids]).toEqual(['server-address-not-allowed']);
  });
});

describe('code classes and steps', () => {
  run([
    {
      name: '5.7.x at the auth step',
      failure: { kind: 'auth', protocol: 'smtp', response: '535 5.7.0 Nope', step: 'auth' },
      expected: 'wrong-password',
    },
    {
      name: '5.7.x elsewhere is policy',
      failure: { kind: 'reply', protocol: 'smtp', response: '550 5.7.1 Nope', step: 'data' },
      expected: 'rejected-by-policy',
      confidence: 'class',
    },
    {
      name: '5.1.x at MAIL FROM is the sender',
      failure: { kind: 'reply', protocol: 'smtp', response: '550 5.1.0 Nope', step: 'MAIL FROM' },
      expected: 'sender-rejected',
    },
    {
      name: '5.1.x at RCPT is the recipient',
      failure: { kind: 'reply', protocol: 'smtp', response: '550 5.1.0 Nope', step: 'rcpt_to' },
      expected: 'recipient-unknown',
      confidence: 'class',
    },
    {
      name: 'bare 550 at RCPT',
      failure: { kind: 'reply', protocol: 'smtp', responseCode: 550, response: '550 Nope', step: 'RCPT TO' },
      expected: 'recipient-rejected',
    },
    {
      name: '552 at RCPT (storage allocation)',
      failure: {
        kind: 'reply',
        protocol: 'smtp',
        response: '552 Requested mail action aborted',
        step: 'RCPT TO',
      },
      expected: 'recipient-mailbox-full',
    },
    {
      name: 'Microsoft 5.2.2 submission quota is not a full mailbox',
      failure: { kind: 'reply', protocol: 'smtp', response: '550 5.2.2 Submission quota exceeded' },
      expected: 'daily-sending-limit',
    },
    {
      name: 'a 4xx with a permanent-sounding wording stays temporary',
      failure: {
        kind: 'reply',
        protocol: 'smtp',
        response:
          '450 4.1.1 <klient@example.com>: Recipient address rejected: unverified address: temporary lookup failure',
        step: 'RCPT TO',
      },
      expected: 'temporary-server-problem',
    },
    {
      name: 'bounce with an unknown permanent status',
      failure: {
        kind: 'reply',
        protocol: 'smtp',
        step: 'bounce',
        enhancedCode: '5.0.0',
        response: 'smtp; 550 nope',
      },
      expected: 'delivery-failed',
    },
    {
      name: 'bounce with a delay status',
      failure: { kind: 'reply', protocol: 'smtp', step: 'bounce', enhancedCode: '4.4.1' },
      expected: 'delivery-delayed',
    },
    {
      name: 'bounce whose diagnostic names a known cause',
      failure: {
        kind: 'reply',
        protocol: 'smtp',
        step: 'bounce',
        enhancedCode: '5.1.1',
        response: 'smtp; 550 no',
      },
      expected: 'recipient-unknown',
    },
  ]);
});

describe('unseen replies still get an explanation (M43)', () => {
  const weird: Case[] = [
    {
      name: 'SMTP gibberish 5xx',
      failure: { kind: 'reply', protocol: 'smtp', response: '599 ¿¿ zzz qqq' },
      expected: 'smtp-server-refused',
    },
    {
      name: 'SMTP empty reply',
      failure: { kind: 'reply', protocol: 'smtp', response: '' },
      expected: 'smtp-server-refused',
    },
    {
      name: 'POP3 gibberish',
      failure: { kind: 'reply', protocol: 'pop3', response: '-ERR ▒▒▒' },
      expected: 'pop3-server-refused',
    },
    {
      name: 'POP3 [SYS/PERM] alone',
      failure: { kind: 'reply', protocol: 'pop3', response: '-ERR [SYS/PERM] nope' },
      expected: 'pop3-server-refused',
    },
    {
      name: 'IMAP gibberish',
      failure: { kind: 'reply', protocol: 'imap', response: 'a1 NO ??' },
      expected: 'imap-server-refused',
    },
    {
      name: 'unknown socket code',
      failure: { kind: 'connect', protocol: 'smtp', code: 'EWEIRD' },
      expected: 'connection-failed',
    },
    { name: 'server closed', failure: { kind: 'closed', protocol: 'pop3' }, expected: 'connection-closed' },
  ];
  run(weird);

  it.each(weird)('$name has a non-empty explanation', ({ failure }) => {
    const { entry, confidence } = classify(failure);
    expect(['class', 'fallback', 'code']).toContain(confidence);
    expect(entry.cause.pl.length).toBeGreaterThan(20);
    expect(entry.cause.en.length).toBeGreaterThan(20);
    expect(entry.userAction.en.length).toBeGreaterThan(20);
  });
});

describe('no loose substring matching', () => {
  run([
    {
      name: "a recipient address at outlook.com does not make it Microsoft's 535",
      failure: { kind: 'reply', protocol: 'smtp', response: '535 <x@outlook.com> credentials rejected' },
      expected: 'wrong-password',
    },
    {
      name: '"spamhaus" is a blocklist, not a spam verdict',
      failure: {
        kind: 'reply',
        protocol: 'smtp',
        response: '554 5.7.1 Client host [192.0.2.1] blocked using zen.spamhaus.org',
      },
      expected: 'rejected-by-policy',
    },
    {
      name: '"timeout" in a reply text is not our timeout',
      failure: { kind: 'reply', protocol: 'smtp', response: '550 5.7.1 timeout-policy rejected' },
      expected: 'rejected-by-policy',
    },
    {
      name: 'a mailbox called nospam is not spam',
      failure: { kind: 'reply', protocol: 'smtp', response: '550 5.1.1 <nospam@example.com>: User unknown' },
      expected: 'recipient-unknown',
    },
    {
      name: 'an IP address is not an enhanced code',
      failure: { kind: 'reply', protocol: 'smtp', response: '421 4.16.55.1 deferred' },
      expected: 'temporary-server-problem',
    },
  ]);
});

describe('hostile input', () => {
  const big = 100_000;
  const bodies = [
    'a'.repeat(big),
    `550 ${'5.7.1 '.repeat(big / 6)}`,
    `-ERR ${'['.repeat(big)}`,
    `550 ${'x@outlook.com '.repeat(big / 14)}`,
    `550 ${'rejected '.repeat(big / 9)}spam`,
    `554 ${'a.'.repeat(big / 2)}outlook.com`,
    `535 ${'too many '.repeat(big / 9)}`,
    '\u0000\u202e'.repeat(big / 2),
  ];

  it.each(bodies.map((b, i) => [i, b] as const))('returns for 100 KB hostile body #%i', (_i, body) => {
    for (const protocol of ['smtp', 'pop3', 'imap'] as const) {
      const failure: MailFailure = {
        kind: 'reply',
        protocol,
        response: body,
        detail: body,
        code: body.slice(0, 500),
        step: body,
      };
      expect(classify(failure).entry.id).toBeTruthy();
      expect(classifyReply(protocol, body, body).entry.id).toBeTruthy();
    }
  });
});
