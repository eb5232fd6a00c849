import type { AppContext } from '../context.js';
import { housekeepingLoop } from '../worker/housekeeping.js';
import { loopMetrics, runLoop } from '../worker/loop-runner.js';
import type { WorkerLoop } from '../worker/worker.js';

/**
 * Every loop the worker role runs, built from the context (used by `serve` and by tests that
 * need the real worker). Each one goes through the shared loop runner.
 */
export function createWorkerLoops(ctx: AppContext): WorkerLoop[] {
  const metrics = loopMetrics(ctx.metrics);
  const deps = { logger: ctx.logger, metrics };
  return [
    housekeepingLoop({
      ...deps,
      tasks: {
        statistics: () => ctx.database.maintain(),
        sessions: () => ctx.repos.auth.deleteExpiredSessions(new Date()),
        rateLimits: () => ctx.services.rateLimiter.purge(),
        notifications: () =>
          ctx.repos.notifications.deleteReadBefore(new Date(Date.now() - 90 * 24 * 3600_000)),
      },
    }),
    // "Send a test email" round trips (M23): one step per due job; woken at once by a request
    // in this process, other processes' requests are found by the 1 s poll.
    runLoop(
      {
        name: 'test-emails',
        intervalMs: 1_000,
        wakeups: (wake) => ctx.mailbox.testEmails.onWake(wake),
        tick: (signal) =>
          ctx.mailbox.testEmails.runDue(signal, (err) => ctx.logger.error({ err }, 'test email step failed')),
      },
      deps,
    ),
  ];
}
