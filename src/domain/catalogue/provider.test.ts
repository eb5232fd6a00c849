import { describe, expect, it } from 'vitest';
import type { Provider } from './catalogue-entry.js';
import { detectProvider, providerFromHost, providerFromText } from './provider.js';
import { parseEnhanced, parseSmtpReply } from './reply-parse.js';

describe('provider from host', () => {
  it.each<[string, Provider | undefined]>([
    ['smtp.gmail.com', 'gmail'],
    ['SMTP.GMAIL.COM.', 'gmail'],
    ['pop.googlemail.com', 'gmail'],
    ['smtp-relay.google.com', 'gmail'],
    ['smtp.office365.com', 'microsoft'],
    ['outlook.office365.com', 'microsoft'],
    ['smtp-mail.outlook.com', 'microsoft'],
    ['smtp.live.com', 'microsoft'],
    ['smtp.mail.yahoo.com', 'yahoo'],
    ['smtp.mail.yahoo.co.jp', 'yahoo'],
    ['smtp.yandex.ru', 'yandex'],
    ['smtp.yandex.com', 'yandex'],
    ['smtp.mail.ru', 'mailru'],
    ['smtp.mail.me.com', 'icloud'],
    ['imap.mail.icloud.com', 'icloud'],
    ['smtp.zoho.eu', 'zoho'],
    ['mail.gmx.net', 'gmx'],
    ['smtp.wp.pl', 'wp'],
    ['smtp.poczta.onet.pl', 'onet'],
    ['poczta.interia.pl', 'interia'],
    ['poczta.o2.pl', 'o2'],
    ['mail.firma.pl', undefined],
    ['notgmail.com', undefined],
    ['gmail.com.evil.example', undefined],
    ['gmail.ru', undefined],
    ['', undefined],
  ])('%s → %s', (host, provider) => {
    expect(providerFromHost(host)).toBe(provider);
  });
});

describe('provider from reply text', () => {
  it.each<[string, Provider | undefined]>([
    ['535-5.7.8 Username and Password not accepted. - gsmtp', 'gmail'],
    ['534 5.7.9 see https://support.google.com/mail/?p=InvalidSecondFactor', 'gmail'],
    ['535 5.7.3 Authentication unsuccessful [AM0PR02CA0123.eurprd02.prod.outlook.com]', 'microsoft'],
    ['554 5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException', 'microsoft'],
    ['421 4.7.0 [TSS04] Messages temporarily deferred', 'yahoo'],
    ['554 5.7.1 Message rejected under suspicion of SPAM; https://ya.cc/1IrBc', 'yandex'],
    ['550 5.1.1 <klient@outlook.com>: User unknown', undefined],
    ['550 5.1.1 <klient@gmail.com>: User unknown', undefined],
    ['550 5.7.1 gsmtpx', undefined],
  ])('%s → %s', (text, provider) => {
    expect(providerFromText(text)).toBe(provider);
  });

  it('prefers the host the user typed', () => {
    expect(detectProvider('smtp.office365.com', '550 x - gsmtp')).toBe('microsoft');
    expect(detectProvider(undefined, '550 x - gsmtp')).toBe('gmail');
  });
});

describe('reply parsing', () => {
  it.each<[string, number | undefined, string | undefined]>([
    ['535 5.7.8 Username and Password not accepted', 535, '5.7.8'],
    ['550-5.7.26 Unauthenticated email', 550, '5.7.26'],
    ['550 5.1.10 RESOLVER.ADR.RecipientNotFound', 550, '5.1.10'],
    ['smtp; 550 5.1.1 <x@example.com>: User unknown', 550, '5.1.1'],
    ['Diagnostic-Code: smtp; 452 4.2.2 over quota', 452, '4.2.2'],
    ['Status: 5.1.1', undefined, '5.1.1'],
    ['#5.1.1 user unknown', undefined, '5.1.1'],
    ['421 4.16.55.1 deferred', 421, undefined],
    ['530 Authentication required', 530, undefined],
    ['5501 no', undefined, undefined],
    ['650 no', undefined, undefined],
    ['', undefined, undefined],
  ])('%s', (line, replyCode, enhancedCode) => {
    expect(parseSmtpReply(line)).toEqual({
      ...(replyCode === undefined ? {} : { replyCode }),
      ...(enhancedCode === undefined ? {} : { enhancedCode }),
    });
  });

  it('parses enhanced codes strictly', () => {
    expect(parseEnhanced('5.7.139')).toMatchObject({ cls: 5, subject: 7, detail: 139, code: '5.7.139' });
    expect(parseEnhanced('3.1.1')).toBeUndefined();
    expect(parseEnhanced('5.7')).toBeUndefined();
    expect(parseEnhanced('5.7.1.2')).toBeUndefined();
  });
});
