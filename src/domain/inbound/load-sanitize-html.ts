import { createRequire } from 'node:module';
import type SanitizeHtml from 'sanitize-html';

const require = createRequire(import.meta.url);
let loaded: typeof SanitizeHtml | null = null;

/**
 * sanitize-html (with htmlparser2 and postcss, ~90 files) loads on the first received HTML
 * rather than on every start: only reading received mail needs it (issue 12 item 2).
 */
export function sanitizeHtmlLib(): typeof SanitizeHtml {
  loaded ??= require('sanitize-html') as typeof SanitizeHtml;
  return loaded;
}
