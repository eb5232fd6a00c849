import { setTimeout as sleepFor } from 'node:timers/promises';
import type { Logger } from 'pino';
import { Counter, Histogram, type Registry } from 'prom-client';
import type { WorkerLoop } from './worker.js';

/** Waits `ms` or until `signal` aborts, whichever comes first; never rejects on abort. */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

export const abortableSleep: Sleep = async (ms, signal) => {
  try {
    await sleepFor(ms, undefined, { signal });
  } catch (err) {
    if ((err as { name?: unknown }).name !== 'AbortError') throw err;
  }
};

/** The shortest pause a pass's "next work is due in N ms" buys (see `tick`). */
export const MIN_DUE_PAUSE_MS = 50;

/** Lets timers and I/O run before going on (a resolved promise would not). */
export const eventLoopTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export interface LoopSpec {
  name: string;
  /**
   * One pass. Resolve with `true` when more work is waiting right now (the next pass starts at
   * once, after one turn of the event loop), with a number of milliseconds when the next work is
   * due sooner than `intervalMs` (the pause is that long, at least `MIN_DUE_PAUSE_MS`), anything
   * else to pause `intervalMs`. A thrown error is logged and
   * backs the loop off.
   */
  tick(signal: AbortSignal): Promise<unknown>;
  /** Pause after an idle pass. */
  intervalMs: number;
  /** Each pause is randomised by ± this fraction, so processes do not march in step (default 0.1). */
  jitter?: number;
  /** Pause before the first pass (default 0: start at once). */
  firstDelayMs?: number;
  /** Pauses after consecutive failing passes double from `intervalMs` up to this (default 5 min). */
  maxBackoffMs?: number;
  /** Subscribes to wake-ups that end the current pause early; returns the unsubscribe function. */
  wakeups?: (wake: () => void) => () => void;
}

export interface LoopMetrics {
  passes: Counter<'loop' | 'outcome'>;
  duration: Histogram<'loop'>;
}

/** Per-registry loop metrics (one set per registry: prom-client refuses duplicate names). */
const metricsByRegistry = new WeakMap<Registry, LoopMetrics>();
export function loopMetrics(registry: Registry): LoopMetrics {
  let m = metricsByRegistry.get(registry);
  if (!m) {
    m = {
      passes: new Counter({
        name: 'mailroom_worker_loop_passes_total',
        help: 'Worker loop passes by loop and outcome (busy, idle, error)',
        labelNames: ['loop', 'outcome'],
        registers: [registry],
      }),
      duration: new Histogram({
        name: 'mailroom_worker_loop_pass_seconds',
        help: 'Duration of one worker loop pass',
        labelNames: ['loop'],
        buckets: [0.001, 0.005, 0.025, 0.1, 0.5, 2, 10, 60],
        registers: [registry],
      }),
    };
    metricsByRegistry.set(registry, m);
  }
  return m;
}

/**
 * The one runner for every worker loop (issue 8 item 9): passes, abortable pauses with jitter,
 * early wake-ups, exponential back-off after errors, metrics, and a clean stop — `start()`
 * resolves once the signal aborts and the pass in flight has finished. No listener outlives
 * the pause it was added for.
 */
export function runLoop(
  spec: LoopSpec,
  deps: { logger: Logger; metrics?: LoopMetrics; random?: () => number; sleep?: Sleep },
): WorkerLoop {
  const sleep = deps.sleep ?? abortableSleep;
  const random = deps.random ?? Math.random;
  const jitter = spec.jitter ?? 0.1;
  const maxBackoffMs = spec.maxBackoffMs ?? 5 * 60_000;
  return {
    name: spec.name,
    async start(signal) {
      let pauseController: AbortController | null = null;
      let woken = false;
      const unsubscribe = spec.wakeups?.(() => {
        if (pauseController) pauseController.abort();
        else woken = true;
      });
      const pause = async (ms: number) => {
        if (signal.aborted || ms <= 0) return;
        const controller = new AbortController();
        const onAbort = () => controller.abort();
        signal.addEventListener('abort', onAbort, { once: true });
        pauseController = controller;
        try {
          await sleep(ms, controller.signal);
        } finally {
          pauseController = null;
          signal.removeEventListener('abort', onAbort);
        }
      };
      const jittered = (ms: number) => Math.max(0, Math.round(ms * (1 + jitter * (2 * random() - 1))));

      try {
        await pause(spec.firstDelayMs ?? 0);
        let failures = 0;
        while (!signal.aborted) {
          woken = false;
          const endTimer = deps.metrics?.duration.startTimer({ loop: spec.name });
          let more = false;
          let dueInMs: number | null = null;
          try {
            const result = await spec.tick(signal);
            more = result === true;
            // "Due now" that this pass could not take (held or locked elsewhere) is not worth a
            // spin: the next look comes at the earliest MIN_DUE_PAUSE_MS later.
            if (typeof result === 'number' && Number.isFinite(result))
              dueInMs = Math.max(MIN_DUE_PAUSE_MS, result);
            failures = 0;
            deps.metrics?.passes.inc({ loop: spec.name, outcome: more ? 'busy' : 'idle' });
          } catch (err) {
            failures++;
            deps.metrics?.passes.inc({ loop: spec.name, outcome: 'error' });
            if (!signal.aborted)
              deps.logger.warn({ err, loop: spec.name, failures }, 'worker loop pass failed');
          } finally {
            endTimer?.();
          }
          if (signal.aborted) break;
          // Every pass ends with a turn of the event loop: a pass whose work is all PGlite
          // statements never leaves the microtask queue, so without this a loop that has more
          // to do (or something due "now") would starve HTTP, sockets and timers meanwhile.
          await eventLoopTurn();
          if (failures > 0) {
            await pause(jittered(Math.min(maxBackoffMs, spec.intervalMs * 2 ** Math.min(failures, 20))));
          } else if (!more && !woken) {
            await pause(dueInMs !== null && dueInMs < spec.intervalMs ? dueInMs : jittered(spec.intervalMs));
          }
        }
      } finally {
        unsubscribe?.();
      }
    },
  };
}
