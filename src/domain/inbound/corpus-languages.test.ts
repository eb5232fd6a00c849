import { describe, expect, it } from 'vitest';
import { corpusFolder, expectEveryFileListed, ours } from '../../../test/helpers/inbound-corpus.js';
import { classifyInbound } from './classify-inbound.js';
import { readReceived } from './read-received.js';
import { threadKeys } from './thread-keys.js';

/**
 * Replies in the languages of our clients' clients (test/fixtures/inbound/languages): Outlook's
 * quote header block ("Von:/Gesendet:/An:/Betreff:", "De :/Envoyé :", "От:/Отправлено:", …),
 * Gmail, Thunderbird and Apple Mail attribution lines ("Am … schrieb …:", "Le … a écrit :", …),
 * and people who start a line of their own text with such a word ("Von: Berlin", "Od:
 * poniedziałku"), which must stay theirs. Each sample answers `ours(random)`; the row states the
 * whole new text and how the folded history starts. And Outlook's automatic-reply subjects in
 * those languages on a notice that lost its Auto-Submitted header (a gateway stripped it).
 */
const { root, load } = corpusFolder('languages');

const REPLIES: [file: string, random: string, visible: string, quotedStart: string][] = [
  [
    'outlook-de-von-gesendet.eml',
    'outlookdeoutlook',
    'Guten Tag,\n\nwir nehmen das Angebot an.\n\nMit freundlichen Grüßen\nHans Müller',
    'Von: Biuro Firma',
  ],
  ['outlook-de-no-address-datum.eml', 'outlookdedatumou', 'Bitte liefern Sie am Montag.', 'Von: Biuro Firma'],
  ['outlook-de-rule-bold.eml', 'outlookdeboldrul', 'Einverstanden.', '________________________________'],
  ['outlook-de-urspruengliche.eml', 'outlookdeursprun', 'Danke, passt.', '-----Ursprüngliche Nachricht-----'],
  [
    'gmail-de-am-schrieb-wrapped.eml',
    'gmaildegmaildegm',
    'Vielen Dank, wir bestellen 20 Stück.\n\nGruß\nHans',
    'Am Do., 3. Dez. 2026 um 10:15 Uhr schrieb',
  ],
  ['thunderbird-de-am-um-schrieb.eml', 'thunderbirddethu', 'Wir melden uns morgen.', 'Am 03.12.26 um 10:15'],
  ['apple-de-am-um-schrieb.eml', 'appledeappledeap', 'Passt so.\n\nViele Grüße\nHans', '> Am 03.12.2026'],
  [
    'outlook-fr-de-envoye.eml',
    'outlookfroutlook',
    // email-reply-parser takes "Cordialement" for the start of a signature and hides it.
    "Bonjour,\n\nNous acceptons l'offre.",
    'De : Biuro Firma',
  ],
  ['gmail-fr-a-ecrit-wrapped.eml', 'gmailfrgmailfrgm', "Merci, c'est noté.", 'Le jeu. 3 déc. 2026'],
  [
    'outlook-es-enviado-el.eml',
    'outlookesoutlook',
    'Hola,\n\nConfirmamos el pedido.\n\nSaludos\nPedro',
    'De: Biuro Firma',
  ],
  ['gmail-es-escribio.eml', 'gmailesgmailesgm', 'De acuerdo.', 'El jue, 3 dic 2026'],
  [
    'outlook-it-da-inviato.eml',
    'outlookitoutlook',
    "Buongiorno,\n\naccettiamo l'offerta.",
    'Da: Biuro Firma',
  ],
  ['gmail-it-il-giorno.eml', 'gmailitgmailitgm', 'Va bene, grazie.', 'Il giorno gio 3 dic 2026'],
  [
    'outlook-nl-van-verzonden.eml',
    'outlooknloutlook',
    'Akkoord.\n\nMet vriendelijke groet,\nJan',
    'Van: Biuro Firma',
  ],
  ['gmail-nl-op-schreef.eml', 'gmailnlgmailnlgm', 'Prima.', 'Op do 3 dec 2026'],
  ['outlook-cs-od-odeslano.eml', 'outlookcsoutlook', 'Dobrý den,\n\nsouhlasíme.', 'Od: Biuro Firma'],
  ['outlook-sk-od-odoslane.eml', 'outlookskoutlook', 'Súhlasíme.', 'Od: Biuro Firma'],
  ['thunderbird-cs-dne-napsal.eml', 'thunderbirdcsthu', 'Děkuji, objednáváme.', 'Dne 03. 12. 26'],
  ['gmail-cs-odesilatel-napsal.eml', 'gmailcsgmailcsgm', 'Dobře.', 'čt 3. 12. 2026 v 10:15 odesílatel'],
  ['outlook-ru-ot-otpravleno.eml', 'outlookruoutlook', 'Добрый день,\n\nсогласны.', 'От: Biuro Firma'],
  ['thunderbird-ru-pishet.eml', 'thunderbirdruthu', 'Спасибо.', '03.12.2026 10:15, Biuro Firma пишет:'],
  ['gmail-ru-no-verb.eml', 'gmailrugmailrugm', 'Хорошо.', 'чт, 3 дек. 2026 г. в 10:15'],
  ['outlook-uk-vid-nadislano.eml', 'outlookukoutlook', 'Погоджуємось.', 'Від: Biuro Firma'],
  [
    'apple-pl-wiadomosc-napisana.eml',
    'appleplappleplap',
    'Zamawiam dwie sztuki.\n\nPozdrawiam\nBeata',
    '> Wiadomość napisana przez',
  ],
  // People's own lines that start like a quote header stay in the new text.
  [
    'person-von-berlin-nach.eml',
    'personvonberlinn',
    'Hallo,\n\ndie Lieferung bitte so:\nVon: Berlin\nNach: Hamburg\nDatum: 10.12.2026\nGewicht: 120 kg\n\nGruß\nHans',
    'Am 03.12.2026 um 10:15 schrieb',
  ],
  [
    'person-od-poniedzialku.eml',
    'personodponiedzi',
    'Od: poniedziałku do piątku odbieramy towar w godzinach 8-16.\nData: dostawy proszę potwierdzić do środy.\nDo: soboty jesteśmy też pod telefonem.\n\nPozdrawiam\nAnna',
    'W dniu 3.12.2026 o 10:15, Biuro Firma pisze:',
  ],
  [
    'person-from-sent-status.eml',
    'personfromsentst',
    'Hi,\n\nthe order so far:\nFrom: our warehouse in Poznań\nSent: 20 pallets on Monday\nTo: the Berlin shop\nRemaining: 5 pallets\n\nThanks\nJohn',
    'On Thu, 3 Dec 2026 at 10:15',
  ],
];

/** Automatic replies known by their subject alone, and the email they answer. */
const AUTO_REPLIES: [file: string, random: string][] = [
  ['automatische-antwort-de.eml', 'oofdeoofdeoofdeo'],
  ['respuesta-automatica-es.eml', 'oofesoofesoofeso'],
  ['automaticka-odpoved-cs.eml', 'oofcsoofcsoofcso'],
  ['avtomaticheskiy-otvet-ru.eml', 'oofruoofruoofruo'],
];

describe('inbound corpus: replies in other languages', () => {
  it('covers every sample in the fixture folders, each with CRLF line ends', () => {
    expectEveryFileListed(root, [...REPLIES, ...AUTO_REPLIES]);
  });

  it.each(AUTO_REPLIES)('%s is an automatic reply to %s', async (file, random) => {
    const msg = await load('auto-replies', file);
    expect(classifyInbound(msg)).toEqual({ kind: 'auto_reply', reason: 'out-of-office-subject' });
    expect(threadKeys({ ...msg, rawThreadHeaders: '' }).messageIds).toEqual([ours(random)]);
  });

  it.each(REPLIES)(
    '%s shows only the new text, history folded',
    async (file, random, visible, quotedStart) => {
      const msg = await load('replies', file);
      expect(classifyInbound(msg)).toEqual({ kind: 'message' });
      expect(threadKeys({ ...msg, rawThreadHeaders: '' }).messageIds[0]).toBe(ours(random));
      const reading = readReceived(msg.text, msg.html);
      expect(reading.visibleText).toBe(visible);
      expect(reading.quotedText.startsWith(quotedStart), reading.quotedText).toBe(true);
      expect(reading.quotedText).toContain('w załączeniu oferta');
    },
  );
});
