import { Writable } from 'node:stream';

/**
 * The app's log stream at the production level: counts the per-email `sent` outcome lines and
 * says when a count is reached (the instant the worker recorded the last one).
 */
export function outcomeCounter() {
  let sent = 0;
  let other = 0;
  const waiters: Array<{ n: number; resolve: (at: number) => void }> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      if (process.env.OUTBOX_BENCH_DEBUG) process.stderr.write(chunk);
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.includes('outgoing email recorded')) continue;
        if (line.includes('"status":"sent"')) sent++;
        else other++;
      }
      const at = performance.now();
      for (let i = waiters.length - 1; i >= 0; i--) {
        if (sent >= waiters[i]!.n) waiters.splice(i, 1)[0]!.resolve(at);
      }
      cb();
    },
  });
  return {
    stream,
    sent: () => sent,
    other: () => other,
    /** Resolves with the instant `n` emails in all have been recorded `sent`. */
    reach(n: number, timeoutMs: number): Promise<number> {
      if (sent >= n) return Promise.resolve(performance.now());
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`outbox did not finish: ${sent} of ${n} sent, ${other} other outcomes`)),
          timeoutMs,
        );
        waiters.push({
          n,
          resolve: (at) => {
            clearTimeout(timer);
            resolve(at);
          },
        });
      });
    },
  };
}
