import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { housekeepingLoop } from './housekeeping.js';
import type { Sleep } from './loop-runner.js';

describe('housekeeping loop', () => {
  it('runs every task after the first delay, keeps going when one fails, and stops on abort', async () => {
    const runs: string[] = [];
    const pauses: number[] = [];
    const controller = new AbortController();
    const sleep: Sleep = async (ms) => {
      pauses.push(ms);
      if (pauses.length === 3) controller.abort();
    };
    const loop = housekeepingLoop({
      logger: pino({ level: 'silent' }),
      firstAfterMs: 10,
      everyMs: 20,
      sleep,
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
    await loop.start(controller.signal);
    expect(pauses[0]).toBe(10);
    expect(pauses.slice(1).every((ms) => ms >= 18 && ms <= 22)).toBe(true);
    expect(runs).toEqual(['failing', 'ok', 'failing', 'ok']);
  });
});
