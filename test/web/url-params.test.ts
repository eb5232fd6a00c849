import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withParam } from '../../web/src/shared/lib/with-param.js';
import { filesUnder } from '../helpers/source-files.js';

/**
 * Filters kept in the URL (delivery log, audit log, every list's search and page): a change
 * starts from the address bar's query, so a second change before React renders again keeps
 * the first (react-router hands a functional update the last render's parameters).
 */
describe('withParam', () => {
  it('keeps the other filters the address bar already has', () => {
    // The address bar has a fresh "to" that the last render did not know about yet.
    const next = withParam('?from=2026-12-01&to=2026-12-05', 'from', null);
    expect(next.toString()).toBe('to=2026-12-05');
  });

  it('sets a value, replaces an old one, and removes an empty one', () => {
    expect(withParam('', 'status', 'failed').toString()).toBe('status=failed');
    expect(withParam('?status=sent', 'status', 'failed').toString()).toBe('status=failed');
    expect(withParam('?status=sent&q=x', 'status', '').toString()).toBe('q=x');
    expect(withParam('?status=sent', 'status', undefined).toString()).toBe('');
  });

  it('goes back to page 1 on a filter change, but not on a page change', () => {
    expect(withParam('?q=anna&page=3', 'status', 'sent').toString()).toBe('q=anna&status=sent');
    expect(withParam('?q=anna&page=3', 'page', '4').toString()).toBe('q=anna&page=4');
    expect(withParam('?q=anna&page=3', 'page', null).toString()).toBe('q=anna');
  });
});

const WEB = join(import.meta.dirname, '../../web/src');
const HOOK = 'shared/lib/url-params.ts';

describe('the URL-state rule', () => {
  it("pages change query parameters only through useUrlParams (never from the render's params)", () => {
    const users = filesUnder(WEB, (p) => /\.tsx?$/.test(p))
      .filter((file) => /\buseSearchParams\b/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(WEB, file));
    // The hook itself is found (the check reads the nested folders), and nothing else.
    expect(users).toEqual([HOOK]);
  });
});
