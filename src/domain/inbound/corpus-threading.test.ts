import { describe, expect, it } from 'vitest';
import { corpusFolder, expectEveryFileListed, ours } from '../../../test/helpers/inbound-corpus.js';
import { classifyInbound } from './classify-inbound.js';
import { headerValue } from './header-block.js';
import { readReceived } from './read-received.js';
import { threadKeys } from './thread-keys.js';

/**
 * Thread headers as real clients write them (test/fixtures/inbound/threading): References far
 * over 998 characters folded over many lines, threads nobody trimmed (130 and 500 ids, ours the newest),
 * In-Reply-To with comments before or after the id (MH/exmh, Gnus), ids without angle brackets,
 * and Outlook's Thread-Index/Thread-Topic alone, which name nothing of ours (decision 0007).
 */
const { root, load } = corpusFolder('threading');
const keysOf = (msg: Awaited<ReturnType<typeof load>>) =>
  threadKeys({
    ...msg,
    rawThreadHeaders: `${headerValue(msg.headers, 'in-reply-to')} ${headerValue(msg.headers, 'references')}`,
  });

/** The first of our ids in match order (the email it answers), or null; how many ids; the tokens; the new text. */
const REPLIES: [file: string, answers: string | null, ids: number, tokens: string[], visible: string][] = [
  [
    'references-folded-long.eml',
    ours('foldedfoldedfold'),
    25,
    ['aaaabbbbccccdddd'],
    'Proszę o ostateczną cenę.',
  ],
  [
    'references-130-ids-ours-last.eml',
    ours('longthreadlongth'),
    100,
    ['aaaabbbbccccdddd'],
    'Zgoda na wszystkie punkty.',
  ],
  // 29 KB of References, ours only the last: a cap that keeps the start would lose it.
  [
    'references-500-ids-ours-last.eml',
    ours('fivehundredids'),
    100,
    ['aaaabbbbccccdddd'],
    'Zgoda, zamawiamy.',
  ],
  [
    'in-reply-to-mh-comment-first.eml',
    ours('mhstylemhstylemh'),
    1,
    ['aaaabbbbccccdddd'],
    'Proszę o wersję w PDF.',
  ],
  ['in-reply-to-comment-with-address.eml', ours('commentaddresscc'), 1, ['aaaabbbbccccdddd'], 'Zgoda.'],
  ['references-no-angle-brackets.eml', ours('nobracketsnobrac'), 2, ['aaaabbbbccccdddd'], 'Potwierdzam.'],
  // Only the subject (workspace opt-in) can place it: see decision 0007 on Thread-Index.
  ['outlook-thread-index-only.eml', null, 0, [], 'Dzień dobry,\n\nproszę o fakturę.'],
];

describe('inbound corpus: thread headers of real clients', () => {
  it('covers every sample in the fixture folders, each with CRLF line ends', () => {
    expectEveryFileListed(root, REPLIES);
  });

  it.each(REPLIES)('%s answers %s', async (file, answers, count, tokens, visible) => {
    const msg = await load('replies', file);
    expect(classifyInbound(msg)).toEqual({ kind: 'message' });
    const keys = keysOf(msg);
    expect(keys.messageIds.find((id) => id.startsWith('<mr.')) ?? null).toBe(answers);
    expect(keys.messageIds).toHaveLength(count);
    expect(keys.tokens).toEqual(tokens);
    expect(readReceived(msg.text, msg.html).visibleText).toBe(visible);
  });

  it('reads the subject of an Outlook reply that names no id', async () => {
    const keys = keysOf(await load('replies', 'outlook-thread-index-only.eml'));
    expect(keys.subjectKey).toBe('oferta na grudzień');
  });
});
