import { describe, expect, it } from 'vitest';
import { createAuthCache } from './auth-cache.js';

function setup(pollMs = 1_000) {
  let version = 1;
  let clock = 0;
  let reads = 0;
  const cache = createAuthCache<string>({
    readVersion: async () => {
      reads++;
      return version;
    },
    pollMs,
    maxEntries: 3,
    clock: () => clock,
  });
  return {
    cache,
    bump: () => version++,
    advance: (ms: number) => {
      clock += ms;
    },
    reads: () => reads,
  };
}

describe('auth cache', () => {
  it('reads the version at most once per interval and empties on a change', async () => {
    const s = setup();
    let loads = 0;
    const load = async () => `v${++loads}`;
    expect(await s.cache.get('a', load)).toBe('v1');
    expect(await s.cache.get('a', load)).toBe('v1');
    expect(s.reads()).toBe(1);
    s.bump();
    s.advance(999);
    expect(await s.cache.get('a', load)).toBe('v1'); // within the interval: trusted
    s.advance(1);
    expect(await s.cache.get('a', load)).toBe('v2'); // re-read, changed, emptied
    expect(s.reads()).toBe(2);
  });

  it('never caches a miss', async () => {
    const s = setup();
    let loads = 0;
    const load = async () => {
      loads++;
      return null;
    };
    await s.cache.get('x', load);
    await s.cache.get('x', load);
    expect(loads).toBe(2);
  });

  it('does not store an answer that was in flight while the cache emptied', async () => {
    const s = setup();
    let release!: (v: string) => void;
    const slow = s.cache.get('a', () => new Promise<string>((r) => (release = r)));
    await new Promise((r) => setTimeout(r, 0));
    s.cache.invalidate(); // e.g. a logout committed meanwhile
    release('before the commit');
    expect(await slow).toBe('before the commit'); // that request was already under way
    expect(await s.cache.get('a', async () => 'after')).toBe('after');
  });

  it('keeps at most maxEntries, dropping the oldest', async () => {
    const s = setup();
    for (const k of ['a', 'b', 'c', 'd']) await s.cache.get(k, async () => k);
    expect(s.cache.size()).toBe(3);
    expect(await s.cache.get('a', async () => 'reloaded')).toBe('reloaded');
  });
});
