import { describe, expect, it } from 'vitest';
import { splitReplyText } from './reply-text.js';

/** New text first, history folded: the quoting styles of common mail programs, Polish included. */
describe('splitReplyText', () => {
  it.each([
    [
      'Outlook (Polish header block)',
      'Dziękuję, akceptuję.\n\nPozdrawiam\nJan\n\nOd: Firma Biuro <biuro@firma.pl>\nWysłano: czwartek, 3 grudnia 2026 10:15\nDo: Jan <jan@klient.example>\nTemat: Oferta\n\nDzień dobry, w załączeniu oferta.',
      'Dziękuję, akceptuję.\n\nPozdrawiam\nJan',
      'Wysłano: czwartek',
    ],
    [
      'Outlook (English, Original Message)',
      'Thanks.\r\n\r\n-----Original Message-----\r\nFrom: Firma <biuro@firma.pl>\r\nSent: Thursday\r\nSubject: Oferta\r\n\r\nTreść',
      'Thanks.',
      '-----Original Message-----',
    ],
    [
      'Outlook on the web (underscore rule)',
      'Zgoda.\n\n________________________________\nOd: Firma <biuro@firma.pl>\nWysłane: czwartek\n\nTreść',
      'Zgoda.',
      'Od: Firma',
    ],
    [
      'Onet/WP webmail (Oryginalna wiadomość)',
      'OK\n\n----- Oryginalna wiadomość -----\nOd: "Firma" <biuro@firma.pl>\nWysłane: czwartek\n\nTreść',
      'OK',
      'Oryginalna wiadomość',
    ],
    [
      'Gmail in Polish',
      'Dziękuję.\n\nAdam\n\nczw., 3 gru 2026 o 10:15 Firma Biuro <biuro@firma.pl> napisał(a):\n\n> Treść\n>\n',
      'Dziękuję.\n\nAdam',
      'napisał(a):',
    ],
    [
      'Thunderbird in Polish',
      'Proszę o piątek.\n\nW dniu 3.12.2026 o 10:15, Firma Biuro pisze:\n> Treść',
      'Proszę o piątek.',
      'pisze:',
    ],
    [
      'Apple Mail in English',
      'Zgoda.\n\n> On 3 Dec 2026, at 10:15, Firma Biuro <biuro@firma.pl> wrote:\n>\n> Treść',
      'Zgoda.',
      'wrote:',
    ],
    [
      'a greeting right above an attribution (Thunderbird in Czech)',
      'Danke\nDne 03. 12. 26 v 10:15 Biuro Firma napsal(a):\n> Treść',
      'Danke',
      'napsal(a):',
    ],
  ])('%s', (_name, text, visible, quotedContains) => {
    const r = splitReplyText(text);
    expect(r.visible).toBe(visible);
    expect(r.quoted).toContain(quotedContains);
  });

  it('keeps a forward whole, and a message without history as it is', () => {
    const forward =
      'Ok\n\n---------- Forwarded message ---------\nOd: X <x@y.pl>\nDate: czw.\nSubject: a\n\nb';
    expect(splitReplyText(forward)).toEqual({ visible: forward, quoted: '' });
    const german =
      'Zur Info\n\n-------- Weitergeleitete Nachricht --------\nVon: Biuro Firma\nGesendet: Donnerstag\nAn: Hans\nBetreff: a\n\nb';
    expect(splitReplyText(german)).toEqual({ visible: german, quoted: '' });
    expect(splitReplyText('Krótko: Od: poniedziałku pracuję zdalnie.')).toEqual({
      visible: 'Krótko: Od: poniedziałku pracuję zdalnie.',
      quoted: '',
    });
  });

  it('shows everything when nothing new stands above the quote', () => {
    const r = splitReplyText('> tylko cytat\n> nic więcej');
    expect(r.visible).toContain('tylko cytat');
  });

  it('reads at most the first 64 KB of a huge, hostile text and keeps the rest untouched', () => {
    // The cap is what keeps the quote rules and the reply parser from running over megabytes.
    const hostile = `${'On a b c d e f\n'.repeat(20_000)}${'>'.repeat(100_000)}`;
    const r = splitReplyText(hostile);
    expect(r.visible.length).toBeLessThanOrEqual(64 * 1024);
    expect(r.quoted.endsWith('>'.repeat(100_000))).toBe(true);
    expect(r.visible.length + r.quoted.length).toBeGreaterThan(hostile.length - 64 * 1024);
  });
});
