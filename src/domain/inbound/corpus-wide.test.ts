import { describe, expect, it } from 'vitest';
import {
  type BounceRow,
  corpusFolder,
  expectBounce,
  expectEveryFileListed,
  ours,
} from '../../../test/helpers/inbound-corpus.js';
import { threadTokenOf } from '../message/message-id.js';
import { classifyInbound } from './classify-inbound.js';
import { readReceived } from './read-received.js';
import { threadKeys } from './thread-keys.js';

/**
 * The wider corpus (test/fixtures/inbound/wide): bounces from more MTAs and providers, replies
 * from the common mail programs and automatic replies, written from the RFCs (3464, 6533,
 * 3834) and what these systems are documented to send. CRLF line ends, as mail has.
 */
const { root, load } = corpusFolder('wide');

const BOUNCES: BounceRow[] = [
  [
    'amazon-ses.eml',
    'piotr.nowicki@odbiorca.example',
    'failed',
    '5.1.1',
    'recipient-unknown',
    ours('sessessessessess'),
  ],
  [
    'mimecast-rejected.eml',
    'zarzad@holding.example',
    'failed',
    '5.0.0',
    'rejected-by-policy',
    ours('mimecastmimecast'),
  ],
  [
    'mdaemon-permanent.eml',
    'ksiegowa@biuro-rachunkowe.example',
    'failed',
    '5.1.1',
    'recipient-unknown',
    ours('mdaemonmdaemon22'),
  ],
  [
    'zimbra-postfix-pl.eml',
    'handlowy@klient.example',
    'failed',
    '5.2.2',
    'recipient-mailbox-full',
    ours('zimbrazimbrazimb'),
  ],
  // Courier's catch-all Status 5.0.0 gives way to the remote server's 5.1.1 in the diagnostic.
  [
    'courier-mta.eml',
    'stefan@stary.example',
    'failed',
    '5.1.1',
    'recipient-unknown',
    ours('couriercourierco'),
  ],
  [
    'sendmail-transcript-no-dsn.eml',
    'jerzy@stary.example',
    'failed',
    '5.1.1',
    'recipient-unknown',
    ours('sendmailsendmail'),
  ],
  [
    'qmail-vpopmail.eml',
    'marta@hosting-klient.example',
    'failed',
    '5.1.1',
    'recipient-unknown',
    ours('vpopmailvpopmail'),
  ],
  [
    'netqmail-remote.eml',
    'robert@odlegly.example',
    'failed',
    '5.1.1',
    'recipient-unknown',
    ours('netqmailnetqmail'),
  ],
  [
    'exim-x-failed-recipients-only.eml',
    'dyrektor@szkola.example',
    'failed',
    '5.7.1',
    'rejected-by-policy',
    ours('eximeximeximexim'),
  ],
  [
    'exchange-en-delivery-has-failed.eml',
    'b.kowalczyk@corp.example',
    'failed',
    '5.1.1',
    'recipient-unknown',
    ours('exchangeexchange'),
  ],
  [
    'office365-pl-dsn.eml',
    'kadry@urzad.example',
    'failed',
    '5.1.10',
    'recipient-unknown',
    ours('officeplofficepl'),
  ],
  [
    'outlook-com-mailbox-unavailable.eml',
    'ola.kwiatkowska@outlook.com',
    'failed',
    '5.5.0',
    'recipient-unknown',
    ours('outlookcomoutloo'),
  ],
  [
    'google-workspace-group.eml',
    'sprzedaz@klient-grupa.example',
    'failed',
    '5.7.1',
    'rejected-by-policy',
    ours('googlegroupgoogl'),
  ],
  [
    'aol-yahoo-no-account.eml',
    'dawny.klient@aol.com',
    'failed',
    '5.0.0',
    'recipient-unknown',
    ours('aolaolaolaolaola'),
  ],
  [
    'icloud-inactive.eml',
    'zofia.jablonska@icloud.com',
    'failed',
    '5.1.1',
    'recipient-unknown',
    ours('icloudicloudiclo'),
  ],
  ['gmx-exim.eml', 'klaus.mueller@web.de', 'failed', '5.0.0', 'recipient-unknown', ours('gmxgmxgmxgmxgmxg')],
  [
    'yandex-dsn-ru.eml',
    'ivan.petrov@yandex.ru',
    'failed',
    '5.1.1',
    'recipient-unknown',
    ours('yandexyandexyand'),
  ],
  [
    'mailru-exim.eml',
    'sergey.ivanov@mail.ru',
    'failed',
    '5.0.0',
    'recipient-unknown',
    ours('mailrumailrumail'),
  ],
  [
    'homepl-pl.eml',
    'zamowienia@sklep-homepl.example',
    'failed',
    '5.1.1',
    'recipient-unknown',
    ours('homeplhomeplhome'),
  ],
  [
    'o2pl-pl.eml',
    'karol.wrobel@o2.pl',
    'failed',
    '5.2.2',
    'recipient-mailbox-full',
    ours('oopolskaoopolska'),
  ],
  [
    'rfc6533-global-dsn.eml',
    'łukasz@przykład.example',
    'failed',
    '5.1.1',
    'recipient-unknown',
    ours('globalglobalglob'),
  ],
  [
    'postfix-multi-one-failed.eml',
    'wojtek@zespol.example',
    'failed',
    '5.1.1',
    'recipient-unknown',
    ours('multimultimulti2'),
  ],
  [
    'exchange-delayed-dsn.eml',
    'cezary@wolny-serwer.example',
    'delayed',
    '4.4.7',
    'delivery-delayed',
    ours('delayeddelayedde'),
  ],
  [
    'gmail-legacy-plain.eml',
    'henryk@stara-domena.example',
    'failed',
    '5.1.1',
    'recipient-unknown',
    ours('gmaillegacygmail'),
  ],
  [
    'exchange-2003-did-not-reach.eml',
    'l.mroz@corp2003.example',
    'failed',
    '5.1.1',
    'recipient-unknown',
    ours('exchangetwoooooo'),
  ],
  [
    'postfix-old-plain.eml',
    'irena@stary-hosting.example',
    'failed',
    '5.2.2',
    'recipient-mailbox-full',
    ours('postfixoldpostfi'),
  ],
];

const AUTO_REPLIES: [file: string, reason: string, parent: string][] = [
  ['vacation-looks-like-bounce.eml', 'x-autoreply', ours('vacationvacation')],
  ['left-company-re-subject.eml', 'auto-submitted', ours('leftcompanylefta')],
  ['exchange-oof-suppress.eml', 'auto-submitted', ours('oofoofoofoofoofo')],
  ['gmail-vacation-no-auto-submitted.eml', 'x-autoreply', ours('gmailvacationgma')],
  ['subject-autoodpowiedz.eml', 'out-of-office-subject', ours('autoodpowiedzaut')],
  ['subject-nieobecnosc-w-biurze.eml', 'out-of-office-subject', ours('nieobecnoscnieob')],
  ['ooo-precedence-bulk.eml', 'precedence', ours('precedencebulkpr')],
];

/** Replies: the id they answer (first threading key), the new text, what is folded, whether HTML marks a quote. */
const REPLIES: [file: string, parent: string, visible: string, quotedContains: string, htmlQuote: boolean][] =
  [
    [
      'outlook-desktop-pl-no-in-reply-to.eml',
      ours('outlookplnoirtxa'),
      'potwierdzam zamówienie 40 sztuk.',
      'Wysłano:',
      true,
    ],
    ['outlook-web-reply.eml', ours('owaowaowaowaowao'), 'Proszę o korektę ceny w pozycji 3.', 'Sent:', true],
    [
      'gmail-polish-w-dniu.eml',
      ours('gmailplgmailplgm'),
      'Poproszę jeszcze o termin dostawy.',
      'napisał(a):',
      true,
    ],
    [
      'apple-mail-folded-references.eml',
      ours('applefoldedapple'),
      'Termin pasuje, do zobaczenia.',
      'Wiadomość napisana przez',
      true,
    ],
    ['thunderbird-moz-cite.eml', ours('thunderbirdthund'), 'Wszystko się zgadza, akceptuję.', 'wrote:', true],
    [
      'mobile-in-reply-to-only.eml',
      ours('mobilemobilemobi'),
      'Ok, biorę.',
      'Wiadomość napisana przez',
      false,
    ],
    [
      'in-reply-to-case-and-spacing.eml',
      ours('spacingspacings2'),
      'Zgoda na wszystkie punkty.',
      'Original Message',
      false,
    ],
    [
      'person-about-undelivered-goods.eml',
      ours('towartowartowart'),
      'Paczka nadal nie została dostarczona',
      'pisze:',
      false,
    ],
    ['gmail-wrapped-attribution.eml', ours('gmailwrappedgmai'), 'Tak, zamawiamy.', 'wrote:', false],
    [
      'old-style-in-reply-to-comment.eml',
      ours('oldstyleoldstyle'),
      'Proszę o wersję w PDF.',
      'writes:',
      false,
    ],
  ];

describe('wider inbound corpus', () => {
  it('covers every sample in the fixture folders, each with CRLF line ends', () => {
    expectEveryFileListed(root, [...BOUNCES, ...AUTO_REPLIES, ...REPLIES]);
  });

  it.each(BOUNCES)('%s is a bounce for %s (%s %s → %s)', async (...row) => {
    // Only a delay report may leave out the remote server's words (Exchange's does).
    expectBounce(await load('bounces', row[0]), row, { delayMayLackDiagnostic: true });
  });

  it.each(AUTO_REPLIES)(
    '%s is an automatic reply (%s) attached to its email',
    async (file, reason, parent) => {
      const msg = await load('auto-replies', file);
      expect(classifyInbound(msg)).toEqual({ kind: 'auto_reply', reason });
      const keys = threadKeys({ ...msg, rawThreadHeaders: '' });
      expect(keys.messageIds[0]).toBe(parent);
      expect(keys.tokens).toEqual(['aaaabbbbccccdddd']);
    },
  );

  it.each(REPLIES)(
    '%s threads to its email and shows the new text first',
    async (file, parent, visible, quotedContains, htmlQuote) => {
      const msg = await load('replies', file);
      expect(classifyInbound(msg)).toEqual({ kind: 'message' });
      const keys = threadKeys({ ...msg, rawThreadHeaders: '' });
      expect(keys.messageIds[0]).toBe(parent);
      expect(threadTokenOf(keys.messageIds[0]!)).toBe('aaaabbbbccccdddd');
      expect(keys.tokens).toEqual(['aaaabbbbccccdddd']);
      const reading = readReceived(msg.text, msg.html);
      expect(
        reading.visibleText.startsWith(visible) ||
          reading.visibleText.startsWith(`Dzień dobry,\n\n${visible}`),
      ).toBe(true);
      // Quoted history never leaks into the new text.
      expect(reading.visibleText).not.toContain('w załączeniu oferta');
      expect(reading.quotedText).toContain(quotedContains);
      expect(reading.html?.hasQuote ?? false).toBe(htmlQuote);
    },
  );
});

describe('SMTPUTF8 reports (RFC 6533)', () => {
  it('reads an escaped utf-8 recipient and finds the address in the report text', async () => {
    const result = classifyInbound(await load('bounces', 'rfc6533-global-dsn.eml'));
    if (result.kind !== 'bounce') throw new Error(`not a bounce: ${result.kind}`);
    expect(result.bounce.recipients[0]!.recipient).toBe('łukasz@przykład.example');
    expect(result.bounce.mentionedAddresses).toContain('łukasz@przykład.example');
  });
});
