import type { Logger } from 'pino';
import { type LoopMetrics, runLoop, type Sleep } from './loop-runner.js';
import type { WorkerLoop } from './worker.js';

/**
 * Periodic upkeep every worker runs: planner statistics (PGlite), expired sessions and old
 * rate-limit windows. Safe to run in several processes at once (plain deletes by time). One
 * failing task does not stop the others.
 */
export function housekeepingLoop(deps: {
  logger: Logger;
  tasks: Record<string, () => Promise<void>>;
  everyMs?: number;
  /** First run after start-up settles (keeps it off the start path). */
  firstAfterMs?: number;
  metrics?: LoopMetrics;
  sleep?: Sleep;
}): WorkerLoop {
  return runLoop(
    {
      name: 'housekeeping',
      intervalMs: deps.everyMs ?? 10 * 60_000,
      firstDelayMs: deps.firstAfterMs ?? 30_000,
      async tick() {
        for (const [name, task] of Object.entries(deps.tasks)) {
          await task().catch((err: unknown) =>
            deps.logger.warn({ err, task: name }, 'housekeeping task failed'),
          );
        }
      },
    },
    {
      logger: deps.logger,
      ...(deps.metrics ? { metrics: deps.metrics } : {}),
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
    },
  );
}
