import { describe, expect, it } from 'vitest';
import {
  type BounceRow,
  corpusFolder,
  expectBounce,
  expectEveryFileListed,
  ours,
} from '../../../test/helpers/inbound-corpus.js';
import { detectBounce } from './bounce.js';
import { classifyInbound } from './classify-inbound.js';
import { readReceived } from './read-received.js';
import { threadKeys } from './thread-keys.js';

/**
 * Bounces whose failed address or original id hides (test/fixtures/inbound/delivery): Google
 * Workspace naming the group as Final-Recipient and our address as Original-Recipient, a
 * forward that failed (our address only in the returned X-Original-To), Amazon SES's own
 * Message-ID in the returned copy, Exchange's X-Supplementary-Info without a Diagnostic-Code,
 * Exchange NDRs that are no multipart/report from a sender we do not know as a mail system
 * (German: its subject says it; Swedish: only X-MS-Exchange-Message-Is-Ndr does), and a Postfix
 * bounce to a plus address. And a reply that names only the id Amazon SES gave our email.
 */
const { root, load } = corpusFolder('delivery');

const BOUNCES: BounceRow[] = [
  [
    'google-workspace-original-recipient.eml',
    'jan.nowak@klient-grupa.example',
    'failed',
    '5.7.1',
    'rejected-by-policy',
    ours('groupaliasgroupa'),
  ],
  [
    'postfix-forward-x-original-to.eml',
    'jan.prywatny@poczta-zewnetrzna.example',
    'failed',
    '5.1.1',
    'recipient-unknown',
    ours('forwardforwardfo'),
  ],
  // SES replaced our Message-ID: the email is found by the queue id the outbox stored (process-bounce).
  [
    'amazon-ses-rewritten-id.eml',
    'marta@odbiorca.example',
    'failed',
    '5.1.1',
    'recipient-unknown',
    '<0102019384a1b2c3-5f6e7d8c-1a2b-4c3d-9e8f-0a1b2c3d4e5f-000000@eu-west-1.amazonses.com>',
  ],
  [
    'exchange-supplementary-info.eml',
    'kasia.wrona@klient.example',
    'failed',
    '5.1.1',
    'recipient-unknown',
    ours('supplementarysup'),
  ],
  [
    'exchange-ndr-de-not-a-report.eml',
    'hans.weber@kunde-de.example',
    'failed',
    '5.1.10',
    'recipient-unknown',
    ours('exchangedeexchan'),
  ],
  // Swedish: no subject or sender we know; only X-MS-Exchange-Message-Is-Ndr says what it is.
  [
    'exchange-ndr-sv-header-only.eml',
    'lars.berg@kund.example',
    'failed',
    '5.1.10',
    'recipient-unknown',
    ours('exchangesvexchan'),
  ],
  // Outlook.com returns a message/rfc822 part that holds only the original's headers.
  [
    'outlook-com-rfc822-headers-only.eml',
    'tomek.zielony@outlook.com',
    'failed',
    '5.5.0',
    'recipient-unknown',
    ours('headersonlyheado'),
  ],
  [
    'postfix-plain-to-plus-address.eml',
    'jan+oferty@klient.example',
    'failed',
    '5.1.1',
    'recipient-unknown',
    ours('plusplusplusplus'),
  ],
];

/**
 * Addresses the report names besides the failed one (matched when the failed one is not ours),
 * and ones it must not: the other recipients in the returned copy of the original.
 */
const MENTIONED: [file: string, address: string, named: boolean][] = [
  ['postfix-forward-x-original-to.eml', 'jan@klient.example', true],
  ['postfix-forward-x-original-to.eml', 'anna@klient.example', false],
  ['exchange-ndr-de-not-a-report.eml', 'ute@kunde-de.example', false],
];

/** Replies that name only a sending service's id for our email: the id to look up by queue id, the new text. */
const REPLIES: [file: string, serverId: string, visible: string][] = [
  [
    'reply-to-ses-rewritten-id.eml',
    '<0102019384a1b2c3-77aa88bb-1a2b-4c3d-9e8f-0a1b2c3d4e5f-000000@eu-west-1.amazonses.com>',
    'Dzień dobry,\n\nproszę o wycenę 50 sztuk.',
  ],
];

describe('inbound corpus: bounces that hide the address or the id', () => {
  it('covers every sample in the fixture folders, each with CRLF line ends', () => {
    expectEveryFileListed(root, [...BOUNCES, ...REPLIES]);
  });

  it.each(REPLIES)('%s is a reply naming %s', async (file, serverId, visible) => {
    const msg = await load('replies', file);
    expect(classifyInbound(msg)).toEqual({ kind: 'message' });
    const keys = threadKeys({ ...msg, rawThreadHeaders: '' });
    expect(keys.serverIds).toEqual([serverId]);
    expect(keys.tokens).toEqual([]);
    expect(readReceived(msg.text, msg.html).visibleText).toBe(visible);
  });

  it.each(BOUNCES)('%s reports %s (%s %s → %s)', async (...row) => {
    expectBounce(await load('bounces', row[0]), row);
  });

  it.each(MENTIONED)('%s names %s for matching: %s', async (file, address, named) => {
    const report = detectBounce(await load('bounces', file));
    expect(report?.mentionedAddresses.includes(address)).toBe(named);
  });
});
