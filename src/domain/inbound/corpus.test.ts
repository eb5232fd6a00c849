import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusFolder, ours } from '../../../test/helpers/inbound-corpus.js';
import { explainBounce } from './bounce-explanation.js';
import { classifyInbound } from './classify-inbound.js';
import { readReceived } from './read-received.js';
import { threadKeys } from './thread-keys.js';

/**
 * The corpus (test/fixtures/inbound): bounces, automatic replies and replies in the shapes
 * the MTAs and mail programs are documented to send, written for these tests. Each sample's
 * class, and for bounces the recipient, status, catalogue entry and original Message-ID.
 */
const { root, load } = corpusFolder('');

const BOUNCES: [
  file: string,
  format: string,
  recipient: string,
  status: string,
  entry: string,
  original: string,
][] = [
  [
    'postfix-dsn-user-unknown.eml',
    'rfc3464',
    'jan.kowalski@klient.example',
    '5.1.1',
    'recipient-unknown',
    ours('qqqqrrrrsssstttt'),
  ],
  [
    'exim-plain-failed.eml',
    'exim',
    'anna.nowak@sklep.example',
    '5.1.1',
    'recipient-unknown',
    ours('qqqqrrrrsssstttt'),
  ],
  [
    'sendmail-dsn-headers-only.eml',
    'rfc3464',
    'p.wisniewski@uni.example',
    '5.2.1',
    'recipient-unknown',
    ours('uuuuvvvvwwwwxxxx'),
  ],
  [
    'qmail-plain.eml',
    'qmail',
    'tomasz@odbiorca.example',
    '5.1.1',
    'recipient-unknown',
    ours('yyyyzzzz22223333'),
  ],
  [
    'yahoo-failure-notice.eml',
    'yahoo',
    'kasia.zielinska@yahoo.com',
    '5.0.0',
    'recipient-unknown',
    ours('44445555666677aa'),
  ],
  [
    'office365-ndr.eml',
    'rfc3464',
    'm.lewandowski@kancelaria.example',
    '5.1.10',
    'recipient-unknown',
    ours('bbbbccccddddeeee'),
  ],
  [
    'exchange-legacy-plain.eml',
    'exchange',
    'k.wojcik@corp.example',
    '5.1.1',
    'recipient-unknown',
    ours('ccccddddeeeeffff'),
  ],
  [
    'gmail-dsn-address-not-found.eml',
    'rfc3464',
    'nieistnieje.klient@gmail.com',
    '5.1.1',
    'recipient-unknown',
    ours('ddddeeeeffffgggg'),
  ],
  [
    'wp-pl-niedostarczona.eml',
    'polish',
    'ewa.mazur@wp.pl',
    '5.2.2',
    'recipient-mailbox-full',
    ours('eeeeffffgggghhhh'),
  ],
  [
    'onet-pl-adres-nie-istnieje.eml',
    'polish',
    'marek.kaczmarek@onet.pl',
    '5.1.1',
    'recipient-unknown',
    ours('ffffgggghhhhiiii'),
  ],
  [
    'interia-pl-odrzucona.eml',
    'polish',
    'agnieszka.dabrowska@interia.pl',
    '5.7.1',
    'rejected-as-spam',
    ours('gggghhhhiiiijjjj'),
  ],
  [
    'mail-delivery-subsystem-plain.eml',
    'generic',
    'zamowienia@hurtownia.example',
    '5.7.1',
    'rejected-by-policy',
    ours('hhhhiiiijjjjkkkk'),
  ],
  [
    'postfix-dsn-delayed.eml',
    'rfc3464',
    'jola@wolna.example',
    '4.4.1',
    'delivery-delayed',
    ours('iiiijjjjkkkkllll'),
  ],
  [
    'gmail-dns-domain-not-found.eml',
    'gmail',
    'biuro@nieistniejaca-domena.example',
    '',
    'recipient-domain-not-found',
    ours('jjjjkkkkllllmmmm'),
  ],
  [
    'exchange-pl-niedostarczalne.eml',
    'exchange',
    'sekretariat@urzad.example',
    '5.1.10',
    'recipient-unknown',
    ours('kkkkllllmmmmnnnn'),
  ],
  ['exim-delay-warning.eml', 'exim', 'wolny@serwer.example', '4.7.1', 'greylisted', ours('llllmmmmnnnnoooo')],
  [
    'domino-delivery-failure.eml',
    'generic',
    'adwokat@kancelaria-notes.example',
    '',
    'recipient-unknown',
    ours('mmmmnnnnoooopppp'),
  ],
];

const AUTO_REPLIES: [file: string, reason: string][] = [
  ['exchange-automatic-reply-en.eml', 'auto-submitted'],
  ['outlook-automatyczna-odpowiedz-pl.eml', 'auto-submitted'],
  ['gmail-vacation-responder.eml', 'auto-submitted'],
  ['x-autoreply-zimbra.eml', 'x-autoreply'],
  ['x-autorespond-cpanel.eml', 'x-autorespond'],
  ['precedence-auto-reply.eml', 'precedence'],
  ['subject-nieobecnosc.eml', 'out-of-office-subject'],
  ['subject-out-of-office.eml', 'out-of-office-subject'],
  ['read-receipt-mdn.eml', 'read-receipt'],
];

/** Replies: the new text shown first, what is folded away, and what threading can use. */
const REPLIES: [file: string, visible: string, quotedContains: string, htmlQuote: boolean][] = [
  ['outlook-desktop-reply.eml', 'akceptujemy ofertę. Proszę o fakturę.', 'Sent: Thursday', true],
  ['gmail-reply.eml', 'Dziękuję, termin mi pasuje.', 'napisał(a):', true],
  ['thunderbird-reply.eml', 'Proszę o przesunięcie terminu na piątek.', 'W dniu 3.12.2026', true],
  ['apple-mail-reply.eml', 'Zgoda, podpisuję.', 'wrote:', true],
  ['person-subject-nieobecnosc.eml', 'Rozumiem, przełóżmy na poniedziałek.', '', false],
  ['client-rewrote-ids.eml', 'Odpowiadam z webmaila, który psuje nagłówki.', '', false],
];

describe('inbound corpus', () => {
  it('covers every sample in the fixture folders', () => {
    const listed = new Set([
      ...BOUNCES.map((b) => b[0]),
      ...AUTO_REPLIES.map((a) => a[0]),
      ...REPLIES.map((r) => r[0]),
    ]);
    for (const dir of ['bounces', 'auto-replies', 'replies'])
      for (const f of readdirSync(join(root, dir))) expect(listed, `${dir}/${f}`).toContain(f);
  });

  it.each(BOUNCES)(
    '%s is a %s bounce for %s (%s → %s)',
    async (file, format, recipient, status, entry, original) => {
      const result = classifyInbound(await load('bounces', file));
      expect(result.kind).toBe('bounce');
      if (result.kind !== 'bounce') return;
      const { bounce } = result;
      expect(bounce.format).toBe(format);
      expect(bounce.recipients).toHaveLength(1);
      const r = bounce.recipients[0]!;
      expect(r.recipient).toBe(recipient);
      expect(r.status).toBe(status);
      expect(r.diagnostic.length).toBeGreaterThan(10);
      expect(explainBounce(r).catalogueId).toBe(entry);
      // The returned headers' Message-ID, or (no copy returned) our id quoted elsewhere in the report.
      expect(bounce.originalMessageId ?? bounce.referencedIds[0]).toBe(original);
      expect(bounce.permanent).toBe(!status.startsWith('4'));
    },
  );

  it.each(AUTO_REPLIES)('%s is an automatic reply (%s)', async (file, reason) => {
    const msg = await load('auto-replies', file);
    expect(classifyInbound(msg)).toEqual({ kind: 'auto_reply', reason });
    // Every sample still names our email, so it is attached to its task (quietly).
    expect(threadKeys({ ...msg, rawThreadHeaders: '' }).tokens).toEqual(['aaaabbbbccccdddd']);
  });

  it.each(REPLIES)(
    '%s is a reply whose new text comes first',
    async (file, visible, quotedContains, htmlQuote) => {
      const msg = await load('replies', file);
      expect(classifyInbound(msg)).toEqual({ kind: 'message' });
      const reading = readReceived(msg.text, msg.html);
      expect(reading.visibleText.startsWith(visible) || reading.visibleText.includes(visible)).toBe(true);
      expect(reading.visibleText).not.toContain('w załączeniu oferta');
      if (quotedContains) expect(reading.quotedText).toContain(quotedContains);
      expect(reading.html?.hasQuote ?? false).toBe(htmlQuote);
      expect(threadKeys({ ...msg, rawThreadHeaders: '' }).tokens).toEqual(['aaaabbbbccccdddd']);
    },
  );

  it('keeps the Outlook attachment and blocks its remote logo', async () => {
    const msg = await load('replies', 'outlook-desktop-reply.eml');
    expect(msg.parts.map((p) => [p.filename, p.contentType])).toEqual([
      ['zamowienie.pdf', 'application/pdf'],
    ]);
    const html = readReceived(msg.text, msg.html).html!;
    expect(html.remoteImages).toBe(1);
    expect(html.html).not.toMatch(/\ssrc="https:/);
    expect(html.html).toContain('data-mr-src="https://klient.example/logo.png"');
    expect(html.html).toContain('data-mr-quote="outlook"');
  });

  it('threads a reply by References with a mangled id through the thread token only', async () => {
    const msg = await load('replies', 'client-rewrote-ids.eml');
    const keys = threadKeys({ ...msg, rawThreadHeaders: '' });
    expect(keys.messageIds).toEqual(['<mr.aaaabbbbccccdddd.zzzz@firma.pl.mangled>']);
    expect(keys.tokens).toEqual(['aaaabbbbccccdddd']);
    expect(keys.subjectKey).toBe('oferta na grudzień');
  });
});
