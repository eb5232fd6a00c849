/**
 * How long a connection test may take, and how far every HTTP timeout on its path stays
 * above that (issue 8 item 15). The HTTP timeouts are derived from these in
 * `src/http/http-timeouts.ts`, so the two cannot drift apart.
 */

/** M22: a test ends within 30 s in all cases, the answer to the browser included. */
export const CONNECTION_TEST_LIMIT_MS = 30_000;

/**
 * The probes' whole deadline (both directions, in parallel). The 5 s left of the 30 s are
 * for what the request does around the probes: loading the address, saving the result,
 * the audit entry and the answer.
 */
export const CONNECTION_TEST_TIMEOUT_MS = 25_000;

/** The least gap between the 30 s promise and any HTTP timeout on a test's path. */
export const HTTP_TIMEOUT_MARGIN_MS = 10_000;
