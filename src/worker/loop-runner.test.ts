import { getEventListeners } from 'node:events';
import pino from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { abortableSleep, loopMetrics, MIN_DUE_PAUSE_MS, runLoop, type Sleep } from './loop-runner.js';

const logger = pino({ level: 'silent' });

/** A sleep the test releases by hand; records every requested pause. */
function scriptedSleep() {
  const pauses: number[] = [];
  let release: (() => void) | null = null;
  let onPause: (() => void) | null = null;
  const sleep: Sleep = (ms, signal) =>
    new Promise<void>((resolve) => {
      pauses.push(ms);
      const done = () => {
        release = null;
        signal.removeEventListener('abort', done);
        resolve();
      };
      release = done;
      signal.addEventListener('abort', done, { once: true });
      onPause?.();
    });
  return {
    sleep,
    pauses,
    /** Resolves when the loop is in a pause. */
    paused: () =>
      new Promise<void>((resolve) => {
        if (release) resolve();
        else onPause = () => resolve();
      }),
    release: () => release?.(),
  };
}

describe('runLoop', () => {
  it('gives the event loop a turn after every pass, even when each pass is only resolved promises', async () => {
    // A pass of PGlite statements never leaves the microtask queue (the poller spun so for up to
    // 90 s and HTTP went unanswered): without a turn between passes no timer or socket could run.
    const controller = new AbortController();
    let passes = 0;
    let turns = 0;
    let turnsBeforeLastPass = -1;
    const count = () => {
      turns++;
      if (!controller.signal.aborted) setImmediate(count);
    };
    setImmediate(count);
    const loop = runLoop(
      {
        name: 'busy',
        intervalMs: 1000,
        tick: async () => {
          for (let i = 0; i < 5; i++) await Promise.resolve();
          if (++passes === 200) {
            turnsBeforeLastPass = turns;
            controller.abort();
          }
          return true;
        },
      },
      { logger },
    );
    await loop.start(controller.signal);
    expect(passes).toBe(200);
    expect(turnsBeforeLastPass).toBeGreaterThanOrEqual(150);
  });

  it('pauses at least MIN_DUE_PAUSE_MS when a pass says work is due now', async () => {
    // A fake clock that each pause moves on: the gaps between the passes' start times are the
    // pauses the runner took. "Due now" (0), overdue (-5) and due sooner than the floor (20)
    // all wait the floor; a runner that went on at once (the spin of decision 0003) shows a gap of 0.
    let clock = 0;
    const starts: number[] = [];
    const due = [0, -5, 20, 0];
    const controller = new AbortController();
    const loop = runLoop(
      {
        name: 'due',
        intervalMs: 1000,
        tick: async () => {
          starts.push(clock);
          if (starts.length > due.length) controller.abort();
          return due[starts.length - 1];
        },
      },
      {
        logger,
        sleep: async (ms) => {
          clock += ms;
        },
      },
    );
    await loop.start(controller.signal);
    const gaps = starts.slice(1).map((at, i) => at - starts[i]!);
    expect(gaps).toEqual(due.map(() => MIN_DUE_PAUSE_MS));
  });

  it('pauses the interval (with jitter) after idle passes and none after busy ones', async () => {
    const s = scriptedSleep();
    const results = [true, true, false, false];
    const controller = new AbortController();
    let passes = 0;
    const loop = runLoop(
      {
        name: 't',
        intervalMs: 1000,
        jitter: 0.2,
        tick: async () => {
          passes++;
          if (passes === results.length) controller.abort();
          return results[passes - 1];
        },
      },
      { logger, sleep: s.sleep, random: () => 1 },
    );
    const done = loop.start(controller.signal);
    await s.paused(); // after the 3rd pass (first idle one)
    expect(passes).toBe(3);
    expect(s.pauses).toEqual([1200]);
    s.release();
    await done;
    expect(passes).toBe(4);
    expect(s.pauses).toEqual([1200]); // aborted during the 4th pass: no pause after it
  });

  it('backs off exponentially after failures, up to the cap, and resets on success', async () => {
    const s = scriptedSleep();
    const controller = new AbortController();
    const outcomes = ['fail', 'fail', 'fail', 'fail', 'ok', 'fail'];
    let n = 0;
    const registry = new Registry();
    const metrics = loopMetrics(registry);
    const loop = runLoop(
      {
        name: 'b',
        intervalMs: 100,
        jitter: 0,
        maxBackoffMs: 500,
        tick: async () => {
          const outcome = outcomes[n++];
          if (n === outcomes.length) controller.abort();
          if (outcome === 'fail') throw new Error('boom');
          return false;
        },
      },
      { logger, sleep: s.sleep, metrics },
    );
    const done = loop.start(controller.signal);
    for (let i = 0; i < 5; i++) {
      await s.paused();
      s.release();
    }
    await done;
    expect(s.pauses).toEqual([200, 400, 500, 500, 100]);
    const text = await registry.metrics();
    expect(text).toContain('mailroom_worker_loop_passes_total{loop="b",outcome="error"} 5');
    expect(text).toContain('mailroom_worker_loop_passes_total{loop="b",outcome="idle"} 1');
  });

  it('a wake-up ends the pause at once, and one during a pass skips the next pause', async () => {
    const s = scriptedSleep();
    const controller = new AbortController();
    let wake: () => void = () => {};
    let unsubscribed = false;
    let passes = 0;
    const loop = runLoop(
      {
        name: 'w',
        intervalMs: 60_000,
        jitter: 0,
        wakeups: (w) => {
          wake = w;
          return () => {
            unsubscribed = true;
          };
        },
        tick: async () => {
          passes++;
          if (passes === 2) wake(); // arrives mid-pass
          if (passes === 3) controller.abort();
          return false;
        },
      },
      { logger, sleep: s.sleep },
    );
    const done = loop.start(controller.signal);
    await s.paused();
    expect(passes).toBe(1);
    wake(); // ends the pause without the test releasing it
    await done;
    expect(passes).toBe(3);
    expect(s.pauses).toEqual([60_000]); // pass 2 was woken mid-pass: no pause before pass 3
    expect(unsubscribed).toBe(true);
  });

  it('stops during a pause and leaves no abort listener behind, over many real pauses', async () => {
    const controller = new AbortController();
    let passes = 0;
    let listenersSeen = 0;
    const loop = runLoop(
      {
        name: 'real',
        intervalMs: 1,
        jitter: 0,
        tick: async () => {
          passes++;
          listenersSeen = Math.max(listenersSeen, getEventListeners(controller.signal, 'abort').length);
          if (passes === 40) setImmediate(() => controller.abort());
          return false;
        },
      },
      { logger, sleep: abortableSleep },
    );
    await loop.start(controller.signal);
    expect(passes).toBeGreaterThanOrEqual(40);
    expect(listenersSeen).toBe(0);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});

describe('runLoop due times', () => {
  it('pauses only until the next due time when a pass says it is sooner than the interval', async () => {
    const s = scriptedSleep();
    const controller = new AbortController();
    const results: unknown[] = [250, 5_000, null];
    let n = 0;
    const loop = runLoop(
      {
        name: 'due',
        intervalMs: 1000,
        jitter: 0,
        tick: async () => {
          const r = results[n++];
          if (n === results.length) controller.abort();
          return r;
        },
      },
      { logger, sleep: s.sleep },
    );
    const done = loop.start(controller.signal);
    for (let i = 0; i < 2; i++) {
      await s.paused();
      s.release();
    }
    await done;
    expect(s.pauses).toEqual([250, 1000]);
  });
});
