import type { Logger } from 'pino';
import type { OutboxSender } from '../services/outbox/outbox-sender.js';
import { type LoopMetrics, runLoop, type Sleep } from './loop-runner.js';
import type { WorkerLoop } from './worker.js';

/**
 * The `outbox` loop (issue 9 item 3): one pass claims and dispatches due emails. Woken at once
 * by a commit in this process and, on PostgreSQL, by LISTEN/NOTIFY from other processes; the
 * `pollMs` pass is only the safety net (and finds retries whose time has come).
 */
export function outboxLoop(deps: {
  outbox: Pick<OutboxSender, 'tick' | 'stop' | 'onRoom'>;
  logger: Logger;
  wakeups: Array<(wake: () => void) => () => void>;
  pollMs?: number;
  metrics?: LoopMetrics;
  sleep?: Sleep;
}): WorkerLoop {
  const loop = runLoop(
    {
      name: 'outbox',
      intervalMs: deps.pollMs ?? 5_000,
      wakeups: (wake) => {
        // An address at its per-address cap got room for a refill (decision 0008).
        const offs = [...deps.wakeups, deps.outbox.onRoom].map((subscribe) => subscribe(wake));
        return () => {
          for (const off of offs) off();
        };
      },
      tick: (signal) => deps.outbox.tick(signal),
    },
    {
      logger: deps.logger,
      ...(deps.metrics ? { metrics: deps.metrics } : {}),
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
    },
  );
  return {
    name: loop.name,
    async start(signal) {
      try {
        await loop.start(signal);
      } finally {
        await deps.outbox.stop();
      }
    },
  };
}
