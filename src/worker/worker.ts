import type { Logger } from 'pino';

/**
 * The background worker process role. Later capabilities (outbox sender, mailbox poller)
 * register loops here; for now it only starts and stops cleanly.
 */
export interface WorkerLoop {
  name: string;
  start(signal: AbortSignal): Promise<void>;
}

export function createWorker(deps: { logger: Logger; loops: WorkerLoop[] }) {
  const controller = new AbortController();
  let running: Promise<unknown> | null = null;
  return {
    start() {
      deps.logger.info({ loops: deps.loops.map((l) => l.name) }, 'worker started');
      running = Promise.allSettled(deps.loops.map((l) => l.start(controller.signal)));
    },
    async stop() {
      controller.abort();
      await running;
      deps.logger.info('worker stopped');
    },
  };
}
