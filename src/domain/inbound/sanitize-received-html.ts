import type sanitizeHtml from 'sanitize-html';
import { sanitizeHtmlLib } from './load-sanitize-html.js';

/**
 * Received HTML made safe to show (M41, issue 10 item 4), server-side, before it is stored.
 * sanitize-html (htmlparser2, no DOM emulation on the server; docs/decisions/0007):
 * - an allow-list of tags and attributes: scripts, styles, frames, forms, SVG, event
 *   handlers and unknown attributes are dropped;
 * - links keep only http(s), mailto and tel, and open in a new tab without referrer;
 * - remote images lose `src` (kept as `data-mr-src`): the browser fetches nothing until the
 *   user asks, and the server never fetches anything; `cid:` images point at their part;
 *   `data:` is allowed only for raster images;
 * - inline styles only from a list of harmless properties, values without `url(`,
 *   `expression(` or escapes;
 * - known quote containers (Gmail, Apple Mail/Thunderbird `blockquote type=cite`, Outlook's
 *   `divRplyFwdMsg`, Yahoo) are marked `data-mr-quote` so the UI folds the history.
 */
export interface SanitizedHtml {
  html: string;
  /** Remote images blocked (the "Pokaż obrazy" toggle is offered when > 0). */
  remoteImages: number;
  /** Whether a quoted-history container was found and marked. */
  hasQuote: boolean;
}

/**
 * Bounds on what the parser is handed (decision 0007 "Hostile texts"). htmlparser2 keeps its open
 * elements in an array it `unshift`s, so each open tag costs the current depth: 2 MiB of unclosed
 * `<b>` took 260 s. Real mail nests far less (newsletters ~30, a Gmail quote chain 3 per quoted
 * message). Even flat HTML costs ~2 µs per tag: 512 KiB (Gmail clips mail at 102 KB, so mail
 * written for it is far smaller; a long Outlook thread keeps its new text first) and 50,000
 * tags keep one message under ~0.5 s. HTML past the input cap is cut; HTML past the depth or
 * tag limit is not shown at all (its text is).
 */
export const MAX_HTML_INPUT = 512 * 1024;
export const HTML_LIMITS = { depth: 256, tags: 50_000 };

class TooDeep extends Error {}

const SAFE_VALUE =
  /^(?!.*(?:url\s*\(|expression\s*\(|\\|javascript:|@import|behavior\s*:|-moz-binding))[^<>]*$/i;
const STYLE_PROPS = [
  'color',
  'background-color',
  'font-weight',
  'font-style',
  'font-size',
  'font-family',
  'text-align',
  'text-decoration',
  'line-height',
  'margin',
  'margin-left',
  'margin-right',
  'margin-top',
  'margin-bottom',
  'padding',
  'padding-left',
  'padding-right',
  'padding-top',
  'padding-bottom',
  'border',
  'border-left',
  'border-collapse',
  'width',
  'max-width',
  'vertical-align',
  'white-space',
];
const RASTER_DATA = /^data:image\/(?:png|gif|jpe?g|webp);base64,[a-z0-9+/=\s]+$/i;
const QUOTE_CLASSES =
  /\b(?:gmail_quote|yahoo_quoted|moz-cite-prefix|protonmail_quote|ms-outlook-mobile-reference-message)\b/;
const OUTLOOK_IDS =
  /^(?:divRplyFwdMsg|appendonsend|OLK_SRC_BODY_SECTION|mail-editor-reference-message-container)$/i;

/** `input` made safe, or null when it nests deeper or has more tags than `limits` (then its text is shown). */
export function sanitizeReceivedHtml(input: string, limits = HTML_LIMITS): SanitizedHtml | null {
  try {
    return sanitizeWithin(input, limits);
  } catch (err) {
    if (err instanceof TooDeep) return null;
    throw err;
  }
}

function sanitizeWithin(input: string, limits: typeof HTML_LIMITS): SanitizedHtml {
  let remoteImages = 0;
  // The parser's open elements, counted from its own events (implied closes included): parsing
  // stops at the first tag past a limit, so its cost stays linear (≤ limits.depth per tag).
  let depth = 0;
  let tags = 0;
  let hasQuote = false;
  const quoteMark = (attribs: sanitizeHtml.Attributes): Record<string, string> => {
    const cls = attribs.class ?? '';
    const id = attribs.id ?? '';
    if (QUOTE_CLASSES.test(cls)) {
      hasQuote = true;
      return { 'data-mr-quote': 'block' };
    }
    if (OUTLOOK_IDS.test(id)) {
      hasQuote = true;
      return { 'data-mr-quote': 'outlook' };
    }
    return {};
  };
  const sanitize = sanitizeHtmlLib();
  const html = sanitize(input.slice(0, MAX_HTML_INPUT), {
    allowedTags: [
      ...sanitize.defaults.allowedTags.filter((t) => t !== 'style'),
      'img',
      'font',
      'center',
      'span',
      'div',
      'u',
      's',
      'strike',
      'big',
      'small',
    ],
    disallowedTagsMode: 'discard',
    onOpenTag: () => {
      if (++depth > limits.depth || ++tags > limits.tags) throw new TooDeep();
    },
    onCloseTag: () => {
      depth--;
    },
    nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'head', 'xml', 'template'],
    allowedAttributes: {
      '*': ['style', 'title', 'dir', 'lang', 'align'],
      div: ['data-mr-quote'],
      blockquote: ['type', 'data-mr-quote'],
      a: ['href', 'name', 'target', 'rel'],
      img: ['src', 'alt', 'width', 'height', 'data-mr-src', 'data-mr-cid'],
      font: ['color', 'face', 'size'],
      td: ['colspan', 'rowspan', 'width', 'valign', 'bgcolor'],
      th: ['colspan', 'rowspan', 'width', 'valign', 'bgcolor'],
      table: ['width', 'cellpadding', 'cellspacing', 'border', 'bgcolor'],
      ol: ['start', 'type'],
    },
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowedSchemesByTag: { img: ['data', 'cid'] },
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
    allowProtocolRelative: false,
    allowedStyles: { '*': Object.fromEntries(STYLE_PROPS.map((p) => [p, [SAFE_VALUE]])) },
    transformTags: {
      a: (tagName, attribs) => ({
        tagName,
        attribs: {
          ...(attribs.href ? { href: attribs.href } : {}),
          target: '_blank',
          rel: 'noopener noreferrer nofollow',
        },
      }),
      img: (tagName, attribs) => {
        const src = (attribs.src ?? '').trim();
        const keep: Record<string, string> = {};
        for (const k of ['alt', 'width', 'height']) if (attribs[k]) keep[k] = attribs[k]!;
        if (/^cid:/i.test(src))
          return { tagName, attribs: { ...keep, 'data-mr-cid': src.slice(4).replace(/^<|>$/g, '') } };
        if (RASTER_DATA.test(src)) return { tagName, attribs: { ...keep, src } };
        if (/^https?:\/\//i.test(src)) {
          remoteImages++;
          return { tagName, attribs: { ...keep, 'data-mr-src': src } };
        }
        return { tagName, attribs: keep };
      },
      div: (tagName, attribs) => ({ tagName, attribs: { ...stripOwn(attribs), ...quoteMark(attribs) } }),
      blockquote: (tagName, attribs) => {
        const cite = (attribs.type ?? '').toLowerCase() === 'cite' || QUOTE_CLASSES.test(attribs.class ?? '');
        if (cite) hasQuote = true;
        return { tagName, attribs: { ...stripOwn(attribs), ...(cite ? { 'data-mr-quote': 'block' } : {}) } };
      },
    },
  });
  return { html, remoteImages, hasQuote };
}

/** A sender may not set our own marker attributes (allowed only on div/blockquote); only the transforms above do. */
function stripOwn(attribs: sanitizeHtml.Attributes): sanitizeHtml.Attributes {
  const out: sanitizeHtml.Attributes = {};
  for (const [k, v] of Object.entries(attribs)) if (!k.startsWith('data-mr-')) out[k] = v;
  return out;
}
