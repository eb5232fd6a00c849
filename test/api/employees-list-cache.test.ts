import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/database.js';
import { LIST_CHANGE_TABLES, type ListPageCache, openListPageCache } from '../../src/db/list-page-cache.js';
import { employees, groupMembers, groups } from '../../src/db/schema/index.js';
import { type Caller, createTestApp, type TestApp, type TestWorkspace } from '../helpers/test-app.js';

// The embedded database's list-page cache (decision 0018): a page is served from memory until
// any statement writes employees or group_members, whatever the path. On PostgreSQL there is no
// cache, and these tests check the same answers.

let t: TestApp;
let ws: TestWorkspace;
let database: DatabaseHandle;
const onPglite = !process.env.DATABASE_URL;
const LIST = '/api/employees?limit=100';

const rows = async <R>(query: ReturnType<typeof sql>) =>
  ((await database.db.execute(query)) as unknown as { rows: R[] }).rows;

const list = async (c: Caller = ws.admin) => {
  const r = await c.request('GET', LIST);
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as { items: { id: string; name: string; groupIds: string[] }[]; total: number };
};

/** How many times the list statement ran (PostgreSQL counts every plan it used for it). */
const executions = async () => {
  const [r] = await rows<{ n: number }>(
    sql`SELECT (generic_plans + custom_plans)::int AS n FROM pg_prepared_statements WHERE name = 'employees_list_page'`,
  );
  return r?.n ?? 0;
};

/** The page twice (the second from the cache on PGlite), then `write`, then the page again. */
const afterWrite = async (write: () => Promise<unknown>) => {
  await list();
  await list();
  await write();
  return list();
};

beforeAll(async () => {
  t = await createTestApp();
  ws = await t.newWorkspace();
  database = (t.ctx as unknown as { database: DatabaseHandle }).database;
});
afterAll(async () => {
  await t?.close();
});

describe('list-page cache on the embedded database (decision 0018)', () => {
  // Registered per database rather than skipped: CI fails on any skipped test, and the cache
  // exists only on PGlite.
  if (onPglite)
    it('is on, and a repeated page does not run the statement again', async () => {
      expect(database.listPageCache).toBeTruthy();
      await list();
      const before = await executions();
      await list();
      await list();
      expect(await executions()).toBe(before);
    });
  else
    it('is off on PostgreSQL', () => {
      expect(database.listPageCache ?? null).toBeNull();
    });

  it('the cached statements read only tables whose every write notifies (no table can be forgotten)', async () => {
    // The plan names every relation a statement reads; each must be one the triggers cover.
    if (onPglite) {
      await list();
      await ws.admin.request('GET', '/api/employees?limit=100&q=a');
      const statements = await rows<{ name: string; statement: string }>(
        sql`SELECT name, statement FROM pg_prepared_statements WHERE name LIKE 'employees_list_page%' ORDER BY name`,
      );
      expect(statements.map((s) => s.name)).toEqual(['employees_list_page', 'employees_list_page_q']);
      for (const { statement } of statements) {
        // The simple protocol: the text keeps its $n placeholders (a generic plan needs no values).
        const client = (
          database.db as unknown as { $client: { exec(q: string): Promise<{ rows: unknown[] }[]> } }
        ).$client;
        const [result] = await client.exec(`EXPLAIN (GENERIC_PLAN, FORMAT JSON) ${statement}`);
        const plan = result!.rows as { 'QUERY PLAN': unknown }[];
        const relations = new Set<string>();
        const walk = (node: unknown) => {
          if (Array.isArray(node)) node.forEach(walk);
          else if (node && typeof node === 'object')
            for (const [k, v] of Object.entries(node)) {
              if (k === 'Relation Name') relations.add(String(v));
              walk(v);
            }
        };
        walk(plan[0]!['QUERY PLAN']);
        expect(relations.size).toBeGreaterThan(0);
        for (const r of relations) expect(LIST_CHANGE_TABLES as readonly string[]).toContain(r);
      }
    }
    // …and every one of them has a statement-level trigger for INSERT, UPDATE, DELETE and TRUNCATE
    // calling the notifying function (tgtype bits: 1 row, 4 insert, 8 delete, 16 update, 32 truncate).
    for (const table of LIST_CHANGE_TABLES) {
      const triggers = await rows<{ tgtype: number }>(sql`
        SELECT t.tgtype FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
        WHERE t.tgrelid = ${table}::regclass AND p.proname = 'mailroom_notify_list_change' AND NOT t.tgisinternal`);
      const events = triggers.reduce((bits, r) => (r.tgtype & 1 ? bits : bits | r.tgtype), 0);
      expect(events & (4 | 8 | 16 | 32), table).toBe(4 | 8 | 16 | 32);
    }
  });

  it('shows every write at once, whatever path made it', async () => {
    // Through the API: create, rename, deactivate, delete.
    const created = await ws.admin.request('POST', '/api/employees', {
      name: 'Cache Nowy',
      email: `cache-${randomUUID().slice(0, 8)}@firma.example`,
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    expect((await list()).items.map((e) => e.id)).toContain(id);
    let page = await afterWrite(() =>
      ws.admin.request('PATCH', `/api/employees/${id}`, { name: 'Cache Zmieniony' }),
    );
    expect(page.items.find((e) => e.id === id)?.name).toBe('Cache Zmieniony');

    // Group membership through the groups API, then the group deleted (a cascade on group_members).
    let groupId = '';
    page = await afterWrite(async () => {
      const g = await ws.admin.request('POST', '/api/groups', { name: `G ${randomUUID()}`, memberIds: [id] });
      expect(g.statusCode).toBe(201);
      groupId = g.json().id;
    });
    expect(page.items.find((e) => e.id === id)?.groupIds).toEqual([groupId]);
    page = await afterWrite(() => ws.admin.request('DELETE', `/api/groups/${groupId}`));
    expect(page.items.find((e) => e.id === id)?.groupIds).toEqual([]);

    // Plain SQL and drizzle outside any route.
    page = await afterWrite(() =>
      database.db.execute(sql`UPDATE employees SET name = 'Cache Z SQL' WHERE id = ${id}`),
    );
    expect(page.items.find((e) => e.id === id)?.name).toBe('Cache Z SQL');
    const [g] = await database.db
      .insert(groups)
      .values({ workspaceId: ws.workspaceId, name: `G ${randomUUID()}` })
      .returning();
    page = await afterWrite(() =>
      database.db
        .insert(groupMembers)
        .values({ workspaceId: ws.workspaceId, groupId: g!.id, employeeId: id }),
    );
    expect(page.items.find((e) => e.id === id)?.groupIds).toEqual([g!.id]);
    page = await afterWrite(() =>
      database.db.update(groupMembers).set({ groupId: g!.id }).where(eq(groupMembers.employeeId, id)),
    );
    expect(page.items.find((e) => e.id === id)?.groupIds).toEqual([g!.id]);

    // In a transaction: seen once it commits, never when it rolls back.
    page = await afterWrite(() =>
      database.db.transaction(async (tx) => {
        await tx.update(employees).set({ name: 'Cache W Transakcji' }).where(eq(employees.id, id));
      }),
    );
    expect(page.items.find((e) => e.id === id)?.name).toBe('Cache W Transakcji');
    page = await afterWrite(() =>
      database.db
        .transaction(async (tx) => {
          await tx.update(employees).set({ name: 'Cache Wycofany' }).where(eq(employees.id, id));
          throw new Error('roll back');
        })
        .catch(() => {}),
    );
    expect(page.items.find((e) => e.id === id)?.name).toBe('Cache W Transakcji');

    // TRUNCATE (what a reset does) and DELETE through the API.
    page = await afterWrite(() => database.db.execute(sql`TRUNCATE group_members`));
    expect(page.items.every((e) => e.groupIds.length === 0)).toBe(true);
    const before = page.total;
    page = await afterWrite(() => ws.admin.request('DELETE', `/api/employees/${id}`));
    expect(page.items.map((e) => e.id)).not.toContain(id);
    expect(page.total).toBe(before - 1);
  });

  it('keeps workspaces apart: each workspace reads its own page', async () => {
    const other = await t.newWorkspace();
    const mine = await list();
    const theirs = await list(other.admin);
    expect(theirs.items.map((e) => e.id)).toEqual([other.admin.employeeId]);
    expect(mine.items.map((e) => e.id)).not.toContain(other.admin.employeeId);
    expect((await list(ws.admin)).items).toEqual(mine.items);
  });

  if (onPglite)
    describe('the cache itself', () => {
      let cache: ListPageCache;
      beforeAll(async () => {
        const client = (database.db as unknown as { $client: Parameters<typeof openListPageCache>[0] })
          .$client;
        cache = (await openListPageCache(client, { maxEntries: 3, maxChars: 100 }))!;
      });

      it('does not keep a page read while a write committed', async () => {
        const stale = await cache.through('k1', async () => {
          await database.db.execute(sql`UPDATE employees SET name = name WHERE false`);
          return 'read before the write';
        });
        expect(stale).toBe('read before the write');
        expect(await cache.through('k1', async () => 'fresh')).toBe('fresh');
        expect(await cache.through('k1', async () => 'not asked')).toBe('fresh');
      });

      it('is emptied by a write before the writer gets its answer', async () => {
        await cache.through('k2', async () => 'old');
        const n = cache.invalidations;
        await database.db.insert(groups).values({ workspaceId: ws.workspaceId, name: `G ${randomUUID()}` });
        expect(cache.invalidations).toBe(n); // groups is not a listed table
        await database.db.delete(groupMembers).where(eq(groupMembers.workspaceId, randomUUID()));
        expect(cache.invalidations).toBe(n + 1); // even a statement that deleted nothing
        expect(await cache.through('k2', async () => 'new')).toBe('new');
      });

      it('stays within its limits', async () => {
        for (const k of ['a', 'b', 'c', 'd']) await cache.through(k, async () => k);
        expect(await cache.through('a', async () => 'a again')).toBe('a again'); // emptied at the 4th
        expect(await cache.through('big', async () => 'x'.repeat(101))).toBe('x'.repeat(101));
        expect(await cache.through('big', async () => 'not kept')).toBe('not kept');
      });

      it('is not opened on a database without the triggers', async () => {
        const client = (database.db as unknown as { $client: Parameters<typeof openListPageCache>[0] })
          .$client;
        await database.db.execute(sql`DROP TRIGGER group_members_list_truncate ON group_members`);
        expect(await openListPageCache(client)).toBeNull();
      });
    });
});
