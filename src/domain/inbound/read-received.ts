import { sanitizeHtmlLib } from './load-sanitize-html.js';
import { splitReplyText } from './reply-text.js';
import { type SanitizedHtml, sanitizeReceivedHtml } from './sanitize-received-html.js';

/** What the task thread shows of a received message (issue 10 item 4). */
export interface ReceivedReading {
  /** The new text, quoted history folded away. */
  visibleText: string;
  quotedText: string;
  /**
   * Sanitized HTML (remote images blocked, quotes marked), or null for plain-text mail and for
   * HTML nested too deeply to parse in bounded time (its text is shown).
   */
  html: SanitizedHtml | null;
}

export function readReceived(text: string, html: string | null): ReceivedReading {
  const { visible, quoted } = splitReplyText(text);
  const clean = html ? sanitizeReceivedHtml(html) : null;
  if (clean?.hasQuote && quoted === '') {
    // The text (often generated from the HTML when there was no plain part) hid no history,
    // but the HTML marks some: the new text is the HTML's text without the marked quotes.
    const fromHtml = visibleTextOfHtml(clean.html);
    if (fromHtml && fromHtml.length < visible.length) {
      return { visibleText: fromHtml, quotedText: visible.slice(0, 200_000), html: clean };
    }
  }
  return { visibleText: visible, quotedText: quoted, html: clean };
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };

/** Text of sanitized HTML up to Outlook's reply header, without `data-mr-quote` blocks. */
export function visibleTextOfHtml(html: string): string {
  const outlook = html.search(/<div data-mr-quote="outlook"/);
  const head = outlook >= 0 ? html.slice(0, outlook) : html;
  const sanitize = sanitizeHtmlLib();
  // sanitize-html only runs exclusiveFilter on tags it keeps: first drop the marked quotes
  // (keeping div/blockquote with our marker), then every tag.
  const unquoted = sanitize(
    head.replace(/<br\s*\/?>/gi, '\n').replace(/<\/(?:p|div|tr|li|h[1-6]|table|blockquote)>/gi, '$&\n'),
    {
      allowedTags: ['div', 'blockquote'],
      allowedAttributes: { div: ['data-mr-quote'], blockquote: ['data-mr-quote'] },
      exclusiveFilter: (frame) => 'data-mr-quote' in frame.attribs,
    },
  );
  const text = sanitize(unquoted, { allowedTags: [], allowedAttributes: {} });
  return text
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, e: string) => ENTITIES[e] ?? '')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
