import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../test/helpers/test-db.js';
import type { DatabaseHandle } from './database.js';
import { namedStatement } from './named-statement.js';
import { workspaces } from './schema/index.js';

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await openTestDatabase();
});
afterAll(() => handle.close());

/** One text value: how many workspaces have the name given as a placeholder. */
const countByName = (name: string) =>
  namedStatement(
    handle.db,
    name,
    handle.db
      .select({ t: sql<string>`json_build_object('n', count(*)::int)::text` })
      .from(workspaces)
      .where(eq(workspaces.name, sql.placeholder('name'))),
  );

const preparedStatements = async (name: string) => {
  const r = await handle.db.execute(
    sql`SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements WHERE name = ${name}`,
  );
  return (r as unknown as { rows: { statement: string; generic_plans: number; custom_plans: number }[] })
    .rows;
};

describe('namedStatement: a read parsed and planned once, values bound', () => {
  it('answers the one text value with the values bound as parameters (quotes included)', async () => {
    const stmt = countByName('t_bound');
    await handle.db.insert(workspaces).values([{ name: "O'Brien & Co" }, { name: "O'Brien & Co" }]);
    expect(JSON.parse((await stmt.text({ name: "O'Brien & Co" }))!)).toEqual({ n: 2 });
    expect(JSON.parse((await stmt.text({ name: 'nobody' }))!)).toEqual({ n: 0 });
    expect(JSON.parse((await stmt.text({ name: "x' OR '1'='1" }))!)).toEqual({ n: 0 });
  });

  // Registered only on PGlite (CI fails on skipped tests; PostgreSQL uses drizzle's .prepare).
  if (!process.env.DATABASE_URL)
    it('on PGlite: one server-side statement under its name, with $1 in its text, planned generically after its first runs', async () => {
      const stmt = countByName('t_generic');
      for (let i = 0; i < 12; i++) await stmt.text({ name: `w${i}` });
      const [row] = await preparedStatements('t_generic');
      expect(row?.statement).toContain('$1');
      expect(row?.statement).not.toContain('w1');
      // PostgreSQL's plan cache: custom plans for the first five, then the generic plan is reused.
      expect(Number(row?.generic_plans)).toBeGreaterThan(0);
    });

  if (!process.env.DATABASE_URL)
    it('on PGlite: parses again when the statement was deallocated', async () => {
      const stmt = countByName('t_dealloc');
      expect(await stmt.text({ name: 'a' })).toBe('{"n" : 0}');
      await handle.db.execute(sql`DEALLOCATE ALL`);
      expect(await preparedStatements('t_dealloc')).toEqual([]);
      expect(await stmt.text({ name: 'a' })).toBe('{"n" : 0}');
      expect(await preparedStatements('t_dealloc')).toHaveLength(1);
    });

  it('waits for a transaction in progress and never sees its uncommitted rows', async () => {
    const stmt = countByName('t_tx');
    await stmt.text({ name: 't_tx_row' });
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let inserted!: () => void;
    const didInsert = new Promise<void>((r) => {
      inserted = r;
    });
    const tx = handle.db
      .transaction(async (t) => {
        await t.insert(workspaces).values({ name: 't_tx_row' });
        inserted();
        await held;
        throw new Error('roll back');
      })
      .catch(() => 'rolled back');
    await didInsert;
    const read = stmt.text({ name: 't_tx_row' });
    await new Promise((r) => setTimeout(r, 50));
    release();
    expect(await tx).toBe('rolled back');
    expect(JSON.parse((await read)!)).toEqual({ n: 0 });
  });

  it('a database error reaches the caller and the next call still works', async () => {
    const stmt = namedStatement(
      handle.db,
      't_error',
      handle.db
        .select({ t: sql<string>`(1 / ${sql.placeholder('d')}::int)::text` })
        .from(workspaces)
        .limit(1),
    );
    const error = await stmt.text({ d: 0 }).catch((e: Error & { cause?: Error }) => e);
    // drizzle (PostgreSQL) wraps the driver's error as its cause
    expect(String((error as Error & { cause?: Error }).cause?.message ?? (error as Error).message)).toMatch(
      /division by zero/,
    );
    expect(await stmt.text({ d: 1 })).toBe('1');
  });
});
