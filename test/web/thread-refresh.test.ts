import { describe, expect, it } from 'vitest';
import {
  AWAITING_ANSWER_MS,
  PENDING_REFRESH_MS,
  QUIET_REFRESH_MS,
  threadRefreshMs,
} from '../../web/src/features/tasks/thread-refresh.js';

/**
 * How often an open task refreshes its thread: often while an email is on its way or was just
 * sent (the answer or bounce comes within seconds, and the writer is watching for it), slowly
 * once the thread is quiet.
 */
const NOW = Date.parse('2026-12-04T12:00:00Z');
const comment = (...emails: { status: string; sentAt?: string | null }[]) => ({
  emails: emails.map((e) => ({ sentAt: null, ...e })),
});
const ago = (ms: number) => new Date(NOW - ms).toISOString();

describe('threadRefreshMs', () => {
  it('is quick while an email is queued, sending or deferred', () => {
    for (const status of ['queued', 'sending', 'deferred'])
      expect(threadRefreshMs([comment({ status })], NOW)).toBe(PENDING_REFRESH_MS);
  });

  it('stays quick just after an email was sent: its reply or bounce is seconds away', () => {
    expect(threadRefreshMs([comment({ status: 'sent', sentAt: ago(5_000) })], NOW)).toBe(PENDING_REFRESH_MS);
    expect(threadRefreshMs([comment({ status: 'sent', sentAt: ago(AWAITING_ANSWER_MS - 1_000) })], NOW)).toBe(
      PENDING_REFRESH_MS,
    );
  });

  it('slows down once the thread is quiet', () => {
    expect(threadRefreshMs(undefined, NOW)).toBe(QUIET_REFRESH_MS);
    expect(threadRefreshMs([], NOW)).toBe(QUIET_REFRESH_MS);
    expect(threadRefreshMs([comment({ status: 'sent', sentAt: ago(AWAITING_ANSWER_MS + 1_000) })], NOW)).toBe(
      QUIET_REFRESH_MS,
    );
    // An answered or finished email is nothing to wait for.
    for (const status of ['bounced', 'failed', 'uncertain'])
      expect(threadRefreshMs([comment({ status, sentAt: ago(1_000) })], NOW)).toBe(QUIET_REFRESH_MS);
  });
});
