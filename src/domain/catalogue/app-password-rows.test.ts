import { describe, expect, it } from 'vitest';
import type { MailFailure } from '../mailbox/mail-failure.js';
import { classify } from './index.js';

// Issue 11 item 1: every "app password / basic auth / SMTP AUTH off" reply is named, with its fix.
const smtpAuth = (host: string, responseCode: number, response: string): MailFailure => ({
  kind: 'auth',
  protocol: 'smtp',
  code: 'EAUTH',
  responseCode,
  response,
  step: 'AUTH PLAIN',
  host,
});

describe('app passwords and switched-off password sign-in', () => {
  it.each([
    {
      name: 'Gmail 534 5.7.9 application-specific password required',
      failure: smtpAuth(
        'smtp.gmail.com',
        534,
        '534-5.7.9 Application-specific password required. Learn more at https://support.google.com/mail/?p=InvalidSecondFactor - gsmtp',
      ),
      expected: 'gmail-app-password-required',
    },
    {
      name: 'Gmail preset, a plain 535 with no enhanced code',
      failure: smtpAuth('smtp.gmail.com', 535, '535 Authentication failed'),
      expected: 'gmail-password-rejected',
    },
    {
      name: 'Microsoft 535 5.7.139 SMTP AUTH disabled for the tenant',
      failure: smtpAuth(
        'smtp.office365.com',
        535,
        '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.',
      ),
      expected: 'microsoft-smtp-auth-disabled',
    },
    {
      name: 'Microsoft 535 5.7.3 authentication unsuccessful',
      failure: smtpAuth(
        'smtp.office365.com',
        535,
        '535 5.7.3 Authentication unsuccessful [AM0PR02CA0123.eurprd02.prod.outlook.com]',
      ),
      expected: 'microsoft-authentication-unsuccessful',
    },
    {
      name: 'basic authentication is disabled',
      failure: smtpAuth(
        'mail.example.com',
        535,
        '535 5.7.3 Basic authentication is disabled for this mailbox.',
      ),
      expected: 'microsoft-basic-auth-retired',
    },
    {
      name: 'another host, a plain 535 stays a wrong password',
      failure: smtpAuth('mail.example.com', 535, '535 Authentication failed'),
      expected: 'wrong-password',
    },
  ])('$name → $expected', ({ failure, expected }) => {
    const { entry } = classify(failure);
    expect(entry.id).toBe(expected);
    expect(entry.pausesAddress).toBe(true);
    // The fix is spelled out in both languages.
    expect(entry.userAction.pl.length).toBeGreaterThan(40);
    expect(entry.userAction.en.length).toBeGreaterThan(40);
  });

  it('tells Gmail users where the app password is made, or to connect with Google', () => {
    const { entry } = classify(smtpAuth('smtp.gmail.com', 535, '535 Authentication failed'));
    expect(entry.userAction.pl).toMatch(/hasło aplikacji/);
    expect(entry.userAction.pl).toMatch(/Połącz z Google/);
    expect(entry.helpUrl).toBe('https://support.google.com/accounts/answer/185833');
  });

  it('the Gmail preset names the provider when neither host nor reply does (a relay, a test server)', () => {
    const plain = smtpAuth('127.0.0.1', 535, '535 Authentication failed');
    expect(classify(plain).entry.id).toBe('wrong-password');
    expect(classify(plain, { provider: 'gmail' }).entry.id).toBe('gmail-password-rejected');
    const appPassword = smtpAuth('127.0.0.1', 534, '534 5.7.9 Authentication failed');
    expect(classify(appPassword, { provider: 'gmail' }).entry.id).toBe('gmail-app-password-required');
    // A host that names another provider wins over the preset.
    expect(
      classify(smtpAuth('smtp.office365.com', 535, '535 x'), { provider: 'gmail' }).entry.id,
    ).not.toMatch(/^gmail-/);
  });
});
