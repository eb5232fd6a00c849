import { describe, expect, it } from 'vitest';
import { WriteCoalescer } from './write-coalescer.js';

/** A flush that stays open until released, recording how many run at once. */
function gatedFlush() {
  const gates: Array<() => void> = [];
  const batches: number[][] = [];
  let running = 0;
  let most = 0;
  const flush = async (items: number[]) => {
    batches.push(items);
    running++;
    most = Math.max(most, running);
    await new Promise<void>((resolve) => gates.push(resolve));
    running--;
    return items.map((i) => i * 10);
  };
  const tick = () => new Promise((r) => setImmediate(r));
  return {
    flush,
    batches,
    most: () => most,
    async releaseAll() {
      for (let i = 0; i < 20 && (gates.length > 0 || running > 0); i++) {
        for (const g of gates.splice(0)) g();
        await tick();
        await tick();
      }
    },
    tick,
  };
}

describe('WriteCoalescer (group commit of the outbox writes)', () => {
  it('with concurrency 1 runs one statement at a time and groups what waited behind it', async () => {
    const g = gatedFlush();
    const c = new WriteCoalescer(g.flush, 200, 1);
    const first = c.submit(1);
    await g.tick();
    await g.tick();
    const rest = [c.submit(2), c.submit(3), c.submit(4)];
    await g.tick();
    await g.tick();
    expect(g.batches).toEqual([[1]]); // the others wait for the running statement
    await g.releaseAll();
    expect(await Promise.all([first, ...rest])).toEqual([10, 20, 30, 40]);
    expect(g.batches).toEqual([[1], [2, 3, 4]]);
    expect(g.most()).toBe(1);
  });

  it('with concurrency 3 a write arriving while a statement runs goes out at once in another', async () => {
    const g = gatedFlush();
    const c = new WriteCoalescer(g.flush, 200, 3);
    const a = c.submit(1);
    await g.tick();
    await g.tick();
    const b = c.submit(2);
    await g.tick();
    await g.tick();
    expect(g.batches).toEqual([[1], [2]]);
    expect(g.most()).toBe(2);
    await g.releaseAll();
    expect(await Promise.all([a, b])).toEqual([10, 20]);
  });

  it('fails every write of a statement that fails, and carries on with the next ones', async () => {
    let calls = 0;
    const c = new WriteCoalescer<number, number>(async (items) => {
      calls++;
      if (calls === 1) throw new Error('database gone');
      return items;
    });
    await expect(c.submit(1)).rejects.toThrow('database gone');
    expect(await c.submit(2)).toBe(2);
  });
});
