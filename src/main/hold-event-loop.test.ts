import { describe, expect, it } from 'vitest';
import { holdEventLoop, openHolds } from './hold-event-loop.js';

const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('holdEventLoop', () => {
  it("keeps one ref'd timer alive until released, once", () => {
    const before = timers();
    const hold = holdEventLoop();
    expect(timers()).toBe(before + 1);
    expect(openHolds()).toBe(1);
    hold.release();
    hold.release();
    expect(timers()).toBe(before);
    expect(openHolds()).toBe(0);
  });
});
