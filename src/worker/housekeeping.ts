import type { Logger } from 'pino';
import type { WorkerLoop } from './worker.js';

/**
 * Periodic clean-up every worker runs: expired sessions and old rate-limit windows. Safe to
 * run in several processes at once (plain deletes by time).
 */
export function housekeepingLoop(deps: {
  logger: Logger;
  tasks: Record<string, () => Promise<void>>;
  everyMs?: number;
}): WorkerLoop {
  const everyMs = deps.everyMs ?? 10 * 60_000;
  return {
    name: 'housekeeping',
    async start(signal) {
      while (!signal.aborted) {
        for (const [name, task] of Object.entries(deps.tasks)) {
          await task().catch((err: unknown) =>
            deps.logger.warn({ err, task: name }, 'housekeeping task failed'),
          );
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, everyMs);
          signal.addEventListener(
            'abort',
            () => {
              clearTimeout(timer);
              resolve();
            },
            { once: true },
          );
        });
      }
    },
  };
}
