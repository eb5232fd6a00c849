import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { housekeepingLoop } from './housekeeping.js';

describe('housekeeping loop', () => {
  it('runs every task after the first delay, keeps going when one fails, and stops on abort', async () => {
    const runs: string[] = [];
    const loop = housekeepingLoop({
      logger: pino({ level: 'silent' }),
      firstAfterMs: 10,
      everyMs: 20,
      tasks: {
        failing: async () => {
          runs.push('failing');
          throw new Error('boom');
        },
        ok: async () => {
          runs.push('ok');
        },
      },
    });
    const controller = new AbortController();
    const done = loop.start(controller.signal);
    await new Promise((r) => setTimeout(r, 120));
    controller.abort();
    await done;
    expect(runs.filter((r) => r === 'ok').length).toBeGreaterThanOrEqual(2);
    expect(runs.filter((r) => r === 'ok').length).toBe(runs.filter((r) => r === 'failing').length);
  });
});
