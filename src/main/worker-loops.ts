import type { AppContext } from '../context.js';
import { housekeepingLoop } from '../worker/housekeeping.js';
import { loopMetrics, runLoop } from '../worker/loop-runner.js';
import { outboxLoop } from '../worker/outbox-worker.js';
import { idleLoop, pollerLoop } from '../worker/poller.js';
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
    // The outbox (issue 9): woken by commits in this process and, on PostgreSQL, by NOTIFY.
    outboxLoop({
      ...deps,
      outbox: ctx.outbox.createSender(),
      pollMs: ctx.outbox.pollMs,
      wakeups: [(wake) => ctx.outboxWakeup.onWake(wake), (wake) => listenForOutbox(ctx, wake)],
    }),
    // Collecting replies (M36); stored rows go to reading's processor (attached in the context).
    pollerLoop({
      ...deps,
      poller: ctx.ingest.poller,
      intervalMs: ctx.config.inbound.pollIntervalMs,
    }),
    idleLoop({ ...deps, idle: ctx.ingest.idle }),
  ];
}

/** LISTEN for other processes' outbox commits (PostgreSQL); the unsubscribe stops listening. */
function listenForOutbox(ctx: AppContext, wake: () => void): () => void {
  const listen = ctx.outbox.listen;
  if (!listen) return () => {};
  const stop = listen(wake).catch((err: unknown) => {
    ctx.logger.warn({ err }, 'outbox LISTEN failed; relying on the poll');
    return async () => {};
  });
  return () => {
    void stop.then((s) => s());
  };
}
