import { describe, expect, it } from 'vitest';
import { DeadlineExceededError, ProbeDeadline } from './probe-deadline.js';

describe('ProbeDeadline', () => {
  it('rejects raced work and runs teardown once when the deadline passes', async () => {
    const deadline = new ProbeDeadline(Date.now() + 30);
    let torn = 0;
    deadline.onExpire(() => torn++);
    const never = new Promise<never>(() => {});
    await expect(deadline.race(never)).rejects.toBeInstanceOf(DeadlineExceededError);
    expect(deadline.isExpired).toBe(true);
    expect(torn).toBe(1);
    // Registering after expiry runs the teardown at once.
    deadline.onExpire(() => torn++);
    expect(torn).toBe(2);
    deadline.dispose();
  });

  it('lets work that finishes first through, and bounds step timeouts by what is left', async () => {
    const deadline = new ProbeDeadline(Date.now() + 5_000);
    await expect(deadline.race(Promise.resolve(42))).resolves.toBe(42);
    expect(deadline.bound(60_000)).toBeLessThanOrEqual(5_000);
    expect(deadline.bound(10)).toBe(10);
    deadline.dispose();
    expect(deadline.isExpired).toBe(false);
  });

  it('an abort signal ends it with reason aborted', async () => {
    const controller = new AbortController();
    const deadline = new ProbeDeadline(Date.now() + 5_000, controller.signal);
    const raced = deadline.race(new Promise<never>(() => {}));
    controller.abort();
    await expect(raced).rejects.toMatchObject({ reason: 'aborted' });
    deadline.dispose();
  });
});
