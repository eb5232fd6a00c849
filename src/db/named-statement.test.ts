import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../test/helpers/test-db.js';
import type { DatabaseHandle } from './database.js';
import { namedRawStatement, namedStatement } from './named-statement.js';
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

describe('namedRawStatement: a write parsed once, values bound', () => {
  const rename = (name: string) =>
    namedRawStatement(
      handle.db,
      name,
      `WITH u AS (UPDATE workspaces SET name = $2 WHERE name = $1 RETURNING id)
       SELECT json_build_object('n', count(*)::int)::text FROM u`,
    );

  it('runs a data-modifying statement with its values bound as parameters (quotes included)', async () => {
    await handle.db.insert(workspaces).values([{ name: 'raw_a' }, { name: 'raw_a' }]);
    const stmt = rename('t_raw_rename');
    expect(JSON.parse((await stmt.text(['raw_a', "raw_b' --"]))!)).toEqual({ n: 2 });
    expect(JSON.parse((await stmt.text(["raw_b' --", 'raw_c']))!)).toEqual({ n: 2 });
    expect(JSON.parse((await stmt.text(["x' OR '1'='1", 'raw_d']))!)).toEqual({ n: 0 });
    const left = await handle.db.select().from(workspaces).where(eq(workspaces.name, 'raw_c'));
    expect(left).toHaveLength(2);
  });

  it('two users of one name over one database both run (the statement is parsed once per session)', async () => {
    await handle.db.insert(workspaces).values({ name: 'raw_shared' });
    const first = rename('t_raw_shared');
    const second = rename('t_raw_shared');
    expect(JSON.parse((await first.text(['raw_shared', 'raw_shared2']))!)).toEqual({ n: 1 });
    expect(JSON.parse((await second.text(['raw_shared2', 'raw_shared3']))!)).toEqual({ n: 1 });
    expect(JSON.parse((await first.text(['raw_shared3', 'raw_shared4']))!)).toEqual({ n: 1 });
  });

  if (!process.env.DATABASE_URL)
    it('on PGlite: one name never stands for two texts', async () => {
      await rename('t_raw_twice').text(['nobody', 'nobody']);
      expect(() => namedRawStatement(handle.db, 't_raw_twice', 'SELECT 1::text')).toThrow(/another text/);
      const [row] = await preparedStatements('t_raw_twice');
      expect(row?.statement).toContain('$2');
    });
});
