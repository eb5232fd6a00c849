import {
  CONNECTION_TEST_LIMIT_MS,
  HTTP_TIMEOUT_MARGIN_MS,
} from '../domain/mailbox/connection-test-timing.js';

/**
 * Node's HTTP server timeouts, derived from the longest request we serve: a connection
 * test, which is silent until it answers (issue 8 item 15, README "Production notes").
 */
export const HTTP_TIMEOUTS = {
  /** Socket idle time (no bytes either way) before Node drops it: 40 s. */
  connectionTimeout: CONNECTION_TEST_LIMIT_MS + HTTP_TIMEOUT_MARGIN_MS,
  /** Whole request, from its first byte to the end of the answer: 60 s. */
  requestTimeout: CONNECTION_TEST_LIMIT_MS + 3 * HTTP_TIMEOUT_MARGIN_MS,
  /** Idle keep-alive between requests; never during one, so not on a test's path. */
  keepAliveTimeout: 10_000,
} as const;
