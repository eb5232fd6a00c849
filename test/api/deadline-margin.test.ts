import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  CONNECTION_TEST_LIMIT_MS,
  CONNECTION_TEST_TIMEOUT_MS,
  HTTP_TIMEOUT_MARGIN_MS,
} from '../../src/domain/mailbox/connection-test-timing.js';
import { HTTP_TIMEOUTS } from '../../src/http/http-timeouts.js';
import type { IncomingProber } from '../../src/ports/mail-probes.js';
import { createConnectionTester } from '../../src/services/mailbox/test-connection.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * Issue 8 item 15: a connection test that runs into its deadline must still answer well
 * before any HTTP timeout on its path closes the connection under it.
 */
describe('connection test deadline vs HTTP timeouts', () => {
  it('the relation: the probes fit in M22, every HTTP timeout on the path is clearly above', () => {
    expect(CONNECTION_TEST_TIMEOUT_MS).toBeLessThanOrEqual(CONNECTION_TEST_LIMIT_MS - 5_000);
    expect(HTTP_TIMEOUT_MARGIN_MS).toBeGreaterThanOrEqual(5_000);
    for (const name of ['connectionTimeout', 'requestTimeout'] as const)
      expect(HTTP_TIMEOUTS[name], name).toBeGreaterThanOrEqual(
        CONNECTION_TEST_LIMIT_MS + HTTP_TIMEOUT_MARGIN_MS,
      );
  });

  describe('the server', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp();
      await t.app.ready();
    });
    afterAll(() => t.close());

    it('runs with those timeouts', () => {
      expect(t.app.server.timeout).toBe(HTTP_TIMEOUTS.connectionTimeout);
      expect(t.app.server.requestTimeout).toBe(HTTP_TIMEOUTS.requestTimeout);
    });
  });

  describe('a test whose servers never answer', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('answers by its own deadline, not at the HTTP timeout', async () => {
      vi.useFakeTimers();
      // Probers that ignore their deadline: only the tester's hard stop can end the test.
      const silent: IncomingProber = { probe: () => new Promise(() => {}) };
      const tester = createConnectionTester({ smtp: silent as never, pop3: silent, imap: silent });
      let answeredAt: number | null = null;
      const started = Date.now();
      const running = tester
        .test({
          smtp: { host: 'smtp.example.com', port: 587, security: 'starttls' } as never,
          incoming: { protocol: 'imap' } as never,
        })
        .then((r) => {
          answeredAt = Date.now() - started;
          return r;
        });
      await vi.advanceTimersByTimeAsync(CONNECTION_TEST_TIMEOUT_MS);
      const result = await running;
      expect(result.ok).toBe(false);
      expect(result.smtp.failure).toMatchObject({ kind: 'timeout', timeout: 'session' });
      expect(answeredAt).toBe(CONNECTION_TEST_TIMEOUT_MS);
      expect(answeredAt).toBeLessThanOrEqual(
        HTTP_TIMEOUTS.connectionTimeout - HTTP_TIMEOUT_MARGIN_MS - 5_000,
      );
    });
  });
});
