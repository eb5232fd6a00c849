import type { Logger } from 'pino';
import type { WorkerLoop } from './worker.js';

/**
 * Periodic upkeep every worker runs: planner statistics (PGlite), expired sessions and old
 * rate-limit windows. Safe to run in several processes at once (plain deletes by time).
 */
export function housekeepingLoop(deps: {
  logger: Logger;
  tasks: Record<string, () => Promise<void>>;
  everyMs?: number;
  /** First run after start-up settles (keeps it off the start path). */
  firstAfterMs?: number;
}): WorkerLoop {
  const everyMs = deps.everyMs ?? 10 * 60_000;
  return {
    name: 'housekeeping',
    async start(signal) {
      const sleep = (ms: number) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, ms);
          signal.addEventListener(
            'abort',
            () => {
              clearTimeout(timer);
              resolve();
            },
            { once: true },
          );
        });
      await sleep(deps.firstAfterMs ?? 30_000);
      while (!signal.aborted) {
        for (const [name, task] of Object.entries(deps.tasks)) {
          await task().catch((err: unknown) =>
            deps.logger.warn({ err, task: name }, 'housekeeping task failed'),
          );
        }
        await sleep(everyMs);
      }
    },
  };
}
