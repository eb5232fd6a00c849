import { describe, expect, it } from 'vitest';
import { AddressCaps } from './address-caps.js';

const caps = () => {
  const c = new AddressCaps({ perConnection: 32, min: 64, max: 150 }, (id) => (id === 'known' ? 2 : null));
  let wakes = 0;
  c.onRoom(() => wakes++);
  return { c, wakes: () => wakes };
};
const rows = (address: string, n: number) => Array.from({ length: n }, () => address);

describe('per-address cap bookkeeping (decision 0008)', () => {
  it('an address that filled its cap wakes the loop once, when half of it is free again', () => {
    const { c, wakes } = caps();
    c.forClaim();
    c.claimed(rows('known', 64));
    expect(c.atCap()).toEqual(['known']);
    for (let i = 0; i < 31; i++) c.settled('known');
    expect(wakes()).toBe(0);
    c.settled('known');
    expect(wakes()).toBe(1);
    expect(c.atCap()).toEqual([]);
    c.settled('known');
    expect(wakes()).toBe(1);
    expect(c.forClaim().held).toEqual([{ addressId: 'known', inFlight: 31, cap: 64 }]);
  });

  it('a claim that stopped at the room it was given counts as full even when sends ended meanwhile', () => {
    const { c, wakes } = caps();
    c.forClaim();
    c.claimed(rows('known', 64));
    for (let i = 0; i < 32; i++) c.settled('known');
    expect(wakes()).toBe(1);
    // The refill is allowed 32; twenty sends end while it runs; it answers its 32.
    expect(c.forClaim().held).toEqual([{ addressId: 'known', inFlight: 32, cap: 64 }]);
    for (let i = 0; i < 20; i++) c.settled('known');
    c.claimed(rows('known', 32));
    expect(c.atCap()).toEqual(['known']);
    for (let i = 0; i < 12; i++) c.settled('known');
    expect(wakes()).toBe(2);
  });

  it('a claim that got fewer rows than allowed (all that were due) does not wait for room', () => {
    const { c } = caps();
    c.forClaim();
    c.claimed([...rows('known', 10), null, null]);
    expect(c.atCap()).toEqual([]);
    expect(c.forClaim()).toEqual({ cap: 64, held: [{ addressId: 'known', inFlight: 10, cap: 64 }] });
  });
});
