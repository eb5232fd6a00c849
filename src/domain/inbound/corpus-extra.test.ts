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
import { headerValue } from './header-block.js';
import { readReceived } from './read-received.js';
import { threadKeys } from './thread-keys.js';

/**
 * Edge cases next to the wide corpus (test/fixtures/inbound/extra): lower-case DSN fields,
 * people writing about a failed delivery (replies, not bounces), thread headers written
 * loosely (commas, no angle brackets), quote markers of Yahoo, Outlook for iOS and Samsung
 * Mail, and automatic replies marked only by a tag or an odd-case header. CRLF line ends.
 */
const { root, load } = corpusFolder('extra');
/** Thread keys as the pipeline builds them (process-inbound): parsed ids plus the raw headers. */
const keysOf = (msg: Awaited<ReturnType<typeof load>>) =>
  threadKeys({
    ...msg,
    rawThreadHeaders: `${headerValue(msg.headers, 'in-reply-to')} ${headerValue(msg.headers, 'references')}`,
  });

const BOUNCES: BounceRow[] = [
  [
    'haraka-lowercase-fields.eml',
    'adam@haraka-klient.example',
    'failed',
    '5.1.1',
    'recipient-unknown',
    ours('harakaharakahara'),
  ],
  // Old Sendmail's 4-hour warning without a DSN: a delay, never `bounced`.
  [
    'sendmail-warning-plain.eml',
    'witold@wolny.example',
    'delayed',
    '',
    'delivery-delayed',
    ours('sendmailwarnsend'),
  ],
  // Domino labels its delivery-status part text/plain inside a multipart/report.
  [
    'report-status-as-text-plain.eml',
    'roman@notes.klient.example',
    'failed',
    '5.1.1',
    'recipient-unknown',
    ours('notesnotesnotesn'),
  ],
];

const AUTO_REPLIES: [file: string, reason: string, token: string][] = [
  ['bracket-auto-reply-subject.eml', 'out-of-office-subject', 'aaaabbbbccccdddd'],
  ['auto-submitted-comment.eml', 'auto-submitted', 'aaaabbbbccccdddd'],
  ['precedence-auto-reply-caps.eml', 'precedence', 'aaaabbbbccccdddd'],
  ['automatic-reply-with-prefix-tag.eml', 'out-of-office-subject', 'aaaabbbbccccdddd'],
  ['subject-autoresponder.eml', 'out-of-office-subject', 'aaaabbbbccccdddd'],
];

/** Replies: the id they answer (null: only the thread token finds it), the new text, what is folded. */
const REPLIES: [file: string, parent: string | null, visible: string, quotedContains: string][] = [
  [
    'person-odp-nie-zostala-dostarczona.eml',
    ours('personbouncetalk'),
    'Dostałem od Państwa informację',
    'pisze:',
  ],
  ['fwd-undelivered-from-client.eml', ours('clientfwdbounce2'), 'Our old mail server returned', 'wrote:'],
  [
    'references-commas-no-in-reply-to.eml',
    ours('commascommascomm'),
    'Przyjmuję warunki.',
    'Original Message',
  ],
  ['in-reply-to-no-brackets.eml', null, 'Dziękuję, potwierdzam.', 'pisze:'],
  ['yahoo-html-quoted.eml', ours('yahooyahooyahooy'), 'Proszę o fakturę proforma.', 'napisał(a):'],
  ['outlook-ios-pl.eml', ours('outlookiosoutloo'), 'Biorę pozycję 2.', 'Wysłane:'],
  ['samsung-oryginalna.eml', ours('samsungsamsungsa'), 'Zamawiam.', 'Oryginalna wiadomość'],
  ['outlook-suppress-normal.eml', ours('suppresssuppress'), 'Akceptuję.', 'Sent:'],
  ['wp-webmail-od-do-wyslane.eml', ours('wpwebmailwpwebma'), 'Proszę o kontakt telefoniczny.', 'Wysłane:'],
  ['onet-oryginalna-wiadomosc.eml', ours('onetonetonetonet'), 'Proszę o rabat 5%.', 'Oryginalna wiadomość'],
  ['iphone-pl-napisana-przez.eml', ours('iphoneiphoneipho'), 'Dobrze, dziękuję.', 'Wiadomość napisana przez'],
  ['thunderbird-html-only.eml', ours('tbhtmltbhtmltbht'), 'Zgadzam się na termin.', 'pisze:'],
];

describe('inbound corpus: edge cases', () => {
  it('covers every sample in the fixture folders, each with CRLF line ends', () => {
    expectEveryFileListed(root, [...BOUNCES, ...AUTO_REPLIES, ...REPLIES]);
  });

  it.each(BOUNCES)('%s reports %s (%s %s → %s)', async (...row) => {
    expectBounce(await load('bounces', row[0]), row);
  });

  it.each(AUTO_REPLIES)('%s is an automatic reply (%s)', async (file, reason, token) => {
    const msg = await load('auto-replies', file);
    expect(classifyInbound(msg)).toEqual({ kind: 'auto_reply', reason });
    expect(keysOf(msg).tokens).toEqual([token]);
  });

  it.each(REPLIES)(
    '%s threads to its email and shows the new text first',
    async (file, parent, visible, quoted) => {
      const msg = await load('replies', file);
      expect(classifyInbound(msg)).toEqual({ kind: 'message' });
      const keys = keysOf(msg);
      if (parent) {
        expect(keys.messageIds).toContain(parent);
        expect(threadTokenOf(parent)).toBe('aaaabbbbccccdddd');
      }
      expect(keys.tokens).toEqual(['aaaabbbbccccdddd']);
      const reading = readReceived(msg.text, msg.html);
      expect(reading.visibleText.startsWith(visible), reading.visibleText).toBe(true);
      expect(reading.visibleText).not.toContain('w załączeniu oferta');
      expect(reading.quotedText).toContain(quoted);
    },
  );
});
