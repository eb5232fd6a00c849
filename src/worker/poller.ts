import type { Logger } from 'pino';
import type { IdleWatchers } from '../services/inbound/collect-idle.js';
import type { MailboxPoller } from '../services/inbound/poll-mailboxes.js';
import { type LoopMetrics, runLoop } from './loop-runner.js';
import type { WorkerLoop } from './worker.js';

/** Longest pause between passes: "check now" in another process is seen within this. */
const MAX_PASS_PAUSE_MS = 5_000;

/**
 * The mailbox poller loop (M36): each pass polls the due addresses under their leases. Woken
 * at once by "check now" in this process; other processes' requests are found by the next pass.
 */
export function pollerLoop(deps: {
  poller: MailboxPoller;
  intervalMs: number;
  logger: Logger;
  metrics?: LoopMetrics;
}): WorkerLoop {
  return runLoop(
    {
      name: 'mailbox-poller',
      intervalMs: Math.min(deps.intervalMs, MAX_PASS_PAUSE_MS),
      wakeups: (wake) => deps.poller.onWake(wake),
      tick: (signal) => deps.poller.runDue(signal),
    },
    { logger: deps.logger, ...(deps.metrics ? { metrics: deps.metrics } : {}) },
  );
}

/**
 * IMAP IDLE watchers (issue 10 item 3): every 15 s, free IMAP addresses get a watcher up to the
 * per-process cap. Stops only after every watcher has released its lease.
 */
export function idleLoop(deps: { idle: IdleWatchers; logger: Logger; metrics?: LoopMetrics }): WorkerLoop {
  const loop = runLoop(
    {
      name: 'mailbox-idle',
      intervalMs: 15_000,
      firstDelayMs: 1_000,
      tick: (signal) => deps.idle.fill(signal),
    },
    { logger: deps.logger, ...(deps.metrics ? { metrics: deps.metrics } : {}) },
  );
  return {
    name: loop.name,
    async start(signal) {
      await loop.start(signal);
      await deps.idle.drain();
    },
  };
}
