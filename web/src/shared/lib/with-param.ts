/**
 * The query string after one filter change: `value` set (removed when empty), and, unless the
 * change is the page itself, back to page 1 (a new filter's results start at their first page).
 * Pure, so it is tested without a browser.
 */
export function withParam(search: string, key: string, value: string | null | undefined): URLSearchParams {
  const next = new URLSearchParams(search);
  if (value) next.set(key, value);
  else next.delete(key);
  if (key !== 'page') next.delete('page');
  return next;
}
