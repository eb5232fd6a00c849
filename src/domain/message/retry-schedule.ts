/**
 * The published retry schedule of the outbox (M33, SECURITY.md §5.3; docs/decisions/0008):
 * after a temporary failure (4xx, network, timeout before the end of the data) the next try is
 * 1 min, 5 min, 15 min, 30 min, 1 h, 2 h, 4 h after the failure, then every 4 h, until four days
 * after the email was written; then it fails as `gave_up`. Each wait is stretched by up to +20 %
 * at random so a server that came back is not hit by every queued email at once. Times are
 * absolute UTC instants stored in `next_attempt_at`: a restart or a clock change (DST, case 51)
 * does not move them, and they only ever grow.
 */
export const RETRY_DELAYS_MS: readonly number[] = [
  60_000,
  5 * 60_000,
  15 * 60_000,
  30 * 60_000,
  60 * 60_000,
  2 * 60 * 60_000,
  4 * 60 * 60_000,
];

/** The whole retry window (M33: four days by default, configurable). */
export const DEFAULT_GIVE_UP_AFTER_MS = 4 * 24 * 60 * 60_000;

/** Random stretch of each wait: up to this fraction longer. */
export const RETRY_JITTER = 0.2;

/** Catalogue hints (`backoff`) stretch the wait: rate limits an hour at least, daily quotas a day. */
const HINT_FLOOR_MS = { normal: 0, long: 60 * 60_000, 'next-day': 24 * 60 * 60_000 } as const;

export type BackoffHint = keyof typeof HINT_FLOOR_MS;

/** The wait before the retry that follows failed attempt number `attempt` (1-based), before jitter. */
export function retryDelayMs(attempt: number, hint: BackoffHint = 'normal'): number {
  const i = Math.max(0, Math.min(attempt - 1, RETRY_DELAYS_MS.length - 1));
  return Math.max(RETRY_DELAYS_MS[i] ?? 0, HINT_FLOOR_MS[hint]);
}

/**
 * When to try again after failed attempt `attempt`, or null when the email has waited long
 * enough (`createdAt` + `giveUpAfterMs`) and should fail as `gave_up`. Never earlier than
 * `now` + the scheduled wait, whatever the jitter.
 */
export function nextAttemptAt(input: {
  attempt: number;
  now: Date;
  createdAt: Date;
  hint?: BackoffHint;
  giveUpAfterMs?: number;
  random?: () => number;
}): Date | null {
  const giveUpAt = input.createdAt.getTime() + (input.giveUpAfterMs ?? DEFAULT_GIVE_UP_AFTER_MS);
  if (input.now.getTime() >= giveUpAt) return null;
  const base = retryDelayMs(input.attempt, input.hint);
  const jitter = Math.floor(base * RETRY_JITTER * (input.random ?? Math.random)());
  const at = input.now.getTime() + base + jitter;
  // The last try may be shortened to fall inside the window, never dropped.
  return new Date(Math.min(at, Math.max(giveUpAt, input.now.getTime() + 1)));
}

/** M34: at most this many emails to one recipient (per workspace) … */
export const RECIPIENT_LIMIT = 50;
/** … within this window; the rest wait until the window has room. */
export const RECIPIENT_WINDOW_MS = 10 * 60_000;

/** M33: the author is told when an email is still not sent this long after it was written. */
export const LATE_NOTICE_AFTER_MS = 60 * 60_000;
