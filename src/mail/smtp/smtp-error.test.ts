import { describe, expect, it } from 'vitest';
import { hostNotFound, targetRefused } from '../net/mail-target-error.js';
import { PIN_MISMATCH_CODE } from '../net/tls-options.js';
import { DeadlineExceededError } from '../probe/probe-deadline.js';
import { parseEhloReply } from './smtp-capabilities.js';
import { parseSmtpReply, smtpFailureFromError } from './smtp-error.js';

const err = (message: string, fields: Record<string, unknown>) => Object.assign(new Error(message), fields);

describe('parseSmtpReply', () => {
  it.each([
    ['535 5.7.8 Username and Password not accepted. gsmtp', 535, '5.7.8'],
    ['535-5.7.8 Username and Password not accepted.\n535 5.7.8 https://support.google.com', 535, '5.7.8'],
    ['550 5.7.139 Authentication unsuccessful', 550, '5.7.139'],
    ['451 Greylisted', 451, undefined],
    ['250 2.0.0 OK', 250, '2.0.0'],
    ['553 5.7.1x not an enhanced code', 553, undefined],
  ])('%s', (text, code, enhanced) => {
    const reply = parseSmtpReply(text);
    expect(reply?.code).toBe(code);
    expect(reply?.enhancedCode).toBe(enhanced);
  });

  it('returns null without a reply code', () => {
    expect(parseSmtpReply('garbage')).toBeNull();
  });
});

describe('smtpFailureFromError', () => {
  it('maps nodemailer EAUTH with the reply, redacting credentials before sanitising', () => {
    const secret = 'p@ss w0rd';
    const f = smtpFailureFromError(
      err('Invalid login: 535 5.7.8 bad', {
        code: 'EAUTH',
        response: `535 5.7.8 Credentials\u202e rejected ${Buffer.from(secret).toString('base64')} (${secret})`,
        responseCode: 535,
        command: 'AUTH PLAIN',
      }),
      'auth',
      'smtp.gmail.com',
      [secret],
    );
    expect(f).toMatchObject({
      kind: 'auth',
      protocol: 'smtp',
      step: 'auth',
      host: 'smtp.gmail.com',
      code: 'EAUTH',
      responseCode: 535,
      enhancedCode: '5.7.8',
    });
    expect(f.response).toBe('535 5.7.8 Credentials rejected *** (***)');
  });

  it.each([
    ['refused', { code: 'ESOCKET', originalCode: 'ECONNREFUSED' }, 'connect', 'connect', 'ECONNREFUSED'],
    [
      'TLS to a plain port',
      { code: 'ESOCKET', originalCode: 'ERR_SSL_WRONG_VERSION_NUMBER' },
      'tls',
      'tls',
      undefined,
    ],
    ['raw Node TLS error', { code: 'ERR_SSL_WRONG_VERSION_NUMBER' }, 'tls', 'tls', undefined],
    ['no greeting', { code: 'ETIMEDOUT', timeoutType: 'GREETING_TIMEOUT' }, 'greeting', 'timeout', undefined],
    ['envelope', { code: 'EENVELOPE', response: '550 5.1.1 no such user' }, 'rcpt_to', 'reply', undefined],
    ['huge reply', { code: 'EPROTOCOL' }, 'ehlo', 'limit', undefined],
    ['reset while dialling', { code: 'ECONNRESET' }, 'connect', 'connect', undefined],
    ['reset in a handshake', { code: 'ECONNRESET' }, 'tls', 'tls', undefined],
    ['closed mid-session', { code: 'ECONNECTION' }, 'auth', 'closed', undefined],
  ])('%s', (name, fields, step, kind, code) => {
    const message = name === 'huge reply' ? 'Server response exceeds maximum allowed size' : name;
    const f = smtpFailureFromError(err(message, fields), step, 'mail.example.test');
    expect(f.kind).toBe(kind);
    if (code) expect(f.code).toBe(code);
  });

  it('greeting timeout carries timeout=greeting', () => {
    const f = smtpFailureFromError(
      err('Greeting never received', { code: 'ETIMEDOUT', timeoutType: 'GREETING_TIMEOUT' }),
      'greeting',
      'h',
    );
    expect(f.timeout).toBe('greeting');
  });

  it('STARTTLS refused with a reply is starttls_unavailable', () => {
    const f = smtpFailureFromError(
      err('Error upgrading connection with STARTTLS', {
        code: 'ETLS',
        command: 'STARTTLS',
        response: '502 5.5.1 nope',
      }),
      'starttls',
      'h',
    );
    expect(f).toMatchObject({ kind: 'starttls_unavailable', responseCode: 502 });
  });

  it('certificate errors, including ones nodemailer re-wrapped, are certificate failures', () => {
    expect(
      smtpFailureFromError(
        err('Error initiating TLS - self-signed certificate', { code: 'ETLS' }),
        'tls',
        'h',
      ),
    ).toMatchObject({ kind: 'certificate', certificateProblem: 'self_signed' });
    expect(smtpFailureFromError(err('pin', { code: PIN_MISMATCH_CODE }), 'tls', 'h')).toMatchObject({
      kind: 'certificate',
      certificateProblem: 'pin_mismatch',
    });
  });

  it('policy and DNS refusals keep their kind; the deadline is a session timeout', () => {
    expect(smtpFailureFromError(targetRefused('smtp', 'h', 'loopback'), 'resolve', 'h').kind).toBe('policy');
    expect(smtpFailureFromError(hostNotFound('smtp', 'h', 'ENOTFOUND', 'nx'), 'resolve', 'h').kind).toBe(
      'dns',
    );
    expect(smtpFailureFromError(new DeadlineExceededError('deadline'), 'ehlo', 'h')).toMatchObject({
      kind: 'timeout',
      timeout: 'session',
      step: 'ehlo',
    });
  });
});

describe('parseEhloReply', () => {
  it('reads extensions, AUTH methods and SIZE, skipping the server name line', () => {
    const caps = parseEhloReply(
      '250-smtp.example.test at your service\n250-SIZE 35882577\n250-8BITMIME\n250-AUTH LOGIN PLAIN XOAUTH2\n250-ENHANCEDSTATUSCODES\n250-PIPELINING\n250 SMTPUTF8',
    );
    expect(caps).toMatchObject({
      authMethods: ['LOGIN', 'PLAIN', 'XOAUTH2'],
      size: 35882577,
      eightBitMime: true,
      pipelining: true,
      smtpUtf8: true,
      startTls: false,
    });
    expect(caps.extensions).toEqual([
      'SIZE',
      '8BITMIME',
      'AUTH',
      'ENHANCEDSTATUSCODES',
      'PIPELINING',
      'SMTPUTF8',
    ]);
  });

  it('accepts AUTH=LOGIN, ignores junk and caps what a hostile reply can add', () => {
    const junk = Array.from({ length: 500 }, (_, i) => `250-X${i}`).join('\n');
    const caps = parseEhloReply(`250-name\n250-AUTH=LOGIN\n250-<script>\n${junk}\n250 STARTTLS`);
    expect(caps.authMethods).toEqual(['LOGIN']);
    expect(caps.extensions.length).toBeLessThanOrEqual(40);
    expect(caps.extensions).not.toContain('<SCRIPT>');
  });
});
