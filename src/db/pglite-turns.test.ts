import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../test/helpers/test-db.js';
import type { DatabaseHandle } from './database.js';
import { createPglite } from './open-database.js';
import { shareEventLoop } from './pglite-turns.js';

const onPglite = !process.env.DATABASE_URL;

/** Counts event-loop turns (check-phase callbacks) until `stop()`. */
function turnCounter() {
  let turns = 0;
  let running = true;
  const count = () => {
    turns++;
    if (running) setImmediate(count);
  };
  setImmediate(count);
  return {
    stop() {
      running = false;
      return turns;
    },
  };
}

/** Runs `statement` `n` times back to back; counts event-loop turns meanwhile. */
async function counted(n: number, statement: () => Promise<unknown>) {
  const counter = turnCounter();
  for (let i = 0; i < n; i++) await statement();
  return { turns: counter.stop() };
}

/** Runs `statement` back to back for `ms` of wall time; counts event-loop turns meanwhile. */
async function turnsDuring(ms: number, statement: () => Promise<unknown>) {
  const counter = turnCounter();
  const start = performance.now();
  let statements = 0;
  while (performance.now() - start < ms) {
    await statement();
    statements++;
  }
  return { turns: counter.stop(), statements };
}

describe('PGlite shares the event loop', () => {
  let bare: PGlite;
  beforeAll(async () => {
    bare = await createPglite();
  });
  afterAll(async () => {
    await bare.close();
  });

  it('lets timers and sockets run during a long chain of statements', async () => {
    // Without the turns, not one: PGlite answers through resolved promises only.
    expect((await counted(60, () => bare.query('select 1'))).turns).toBe(0);
    // Slice 0: a turn before every statement, query, exec and transaction alike.
    shareEventLoop(bare, 0);
    for (const run of [
      () => bare.query('select 1'),
      () => bare.exec('select 1'),
      () => bare.transaction((t) => t.query('select 1')),
    ]) {
      const { turns } = await counted(60, run);
      expect(turns).toBeGreaterThanOrEqual(55);
    }
    // Shared once: a second call does not wrap the wrapper.
    const once = bare.query;
    shareEventLoop(bare, 0);
    expect(bare.query).toBe(once);
  });
});

describe('the app database on PGlite', () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openTestDatabase();
  });
  afterAll(async () => {
    await handle.close();
  });

  if (onPglite)
    it('turns the event loop during a chain of drizzle statements', async () => {
      // The default slice (10 ms): a turn every slice, far fewer than statements.
      const { turns, statements } = await turnsDuring(200, () => handle.db.execute(sql`select 1`));
      expect(turns).toBeGreaterThanOrEqual(2);
      expect(statements).toBeGreaterThan(turns);
    });

  it('answers statements and transactions as before', async () => {
    const rows = await handle.db.execute(sql`select 41 + 1 as n`);
    expect(JSON.stringify(rows)).toContain('42');
  });
});
