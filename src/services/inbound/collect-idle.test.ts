import { describe, expect, it } from 'vitest';
import { createIdleWatchers, MIN_IDLE_POLL_GAP_MS } from './collect-idle.js';

/** A server that announces a new message every time IDLE starts, and a clock moved only by waits. */
function world(pollsBeforeStop: number) {
  let clock = Date.parse('2026-12-05T12:00:00Z');
  const outer = new AbortController();
  const waits: number[] = [];
  const pollsAt: number[] = [];
  const candidates = ['address-1'];
  const watchers = createIdleWatchers({
    sync: {
      idleCandidates: async () => candidates.splice(0),
      claimOne: async () => ({ workspaceId: 'workspace-1' }) as never,
      renew: async () => true,
      release: async () => undefined as never,
    },
    addresses: { findById: async () => ({ active: true, incomingProtocol: 'imap' }) as never },
    poller: {
      held: new Set<string>(),
      pollHeld: async () => {
        pollsAt.push(clock);
        if (pollsAt.length >= pollsBeforeStop) outer.abort();
        return undefined as never;
      },
      settingsFor: async () => ({}) as never,
    },
    imap: {
      open: async () =>
        ({
          select: async () => ({ uidValidity: '1', uidNext: 2, exists: 1, idle: true }),
          waitForNew: async () => true,
          abort: () => {},
        }) as never,
    } as never,
    maxConnections: 1,
    now: () => new Date(clock),
    pause: async (ms) => {
      waits.push(ms);
      clock += ms;
    },
  });
  return { watchers, outer, waits, pollsAt };
}

describe('IDLE watchers against a server that never stops announcing', () => {
  it(`start the polls its notices ask for at least ${MIN_IDLE_POLL_GAP_MS} ms apart`, async () => {
    const { watchers, outer, waits, pollsAt } = world(6);
    await watchers.fill(outer.signal);
    await watchers.drain();
    // The catch-up poll, the first notice's poll at once, then four more, each after the gap.
    expect(pollsAt).toHaveLength(6);
    expect(waits).toEqual(Array(4).fill(MIN_IDLE_POLL_GAP_MS));
    expect(pollsAt[1]).toBe(pollsAt[0]);
    for (let i = 2; i < pollsAt.length; i++)
      expect(pollsAt[i]! - pollsAt[i - 1]!).toBeGreaterThanOrEqual(MIN_IDLE_POLL_GAP_MS);
  });
});
