import type { RateLimitRepository } from '../db/repositories/rate-limit.repository.js';
import { AppError } from '../domain/errors.js';

/**
 * Sliding-window limiter over the shared database table (works across processes): the
 * previous window's count, weighted by how much of it still overlaps the last `windowMs`,
 * plus this window's. Unlike a plain fixed window, a burst cannot double up at a boundary.
 */
export function createRateLimiter(deps: { rateLimits: RateLimitRepository; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  return {
    /** Counts a hit; throws RATE_LIMITED when `key` exceeded `limit` in the current window. */
    async consume(key: string, limit: number, windowMs: number): Promise<void> {
      const t = now().getTime();
      const windowStart = new Date(t - (t % windowMs));
      const [current, previous] = await Promise.all([
        deps.rateLimits.hit(key, windowStart),
        deps.rateLimits.countIn(key, new Date(windowStart.getTime() - windowMs)),
      ]);
      const overlap = 1 - (t - windowStart.getTime()) / windowMs;
      if (current + previous * overlap > limit) {
        const retryAfterSeconds = Math.max(1, Math.ceil((windowStart.getTime() + windowMs - t) / 1000));
        throw new AppError('RATE_LIMITED', {
          params: { seconds: retryAfterSeconds },
          details: { retryAfterSeconds },
        });
      }
    },
    async purge(olderThanMs = 24 * 3600_000) {
      await deps.rateLimits.purgeBefore(new Date(now().getTime() - olderThanMs));
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
