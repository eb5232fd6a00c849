import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COUNT_LOOKAHEAD } from '../../src/db/repositories/list-query.js';
import { employees, groupMembers, groups } from '../../src/db/schema/index.js';
import { type Caller, createTestApp, type TestApp, type TestWorkspace } from '../helpers/test-app.js';

// GET /api/employees is one statement that returns the page as JSON built by the database
// (issue 12 item 3): these check it answers exactly what the per-employee read does.

let t: TestApp;
let ws: TestWorkspace;

const get = async (c: Caller, url: string) => {
  const r = await c.request('GET', url);
  expect(r.statusCode, r.body).toBe(200);
  return r.json();
};

beforeAll(async () => {
  t = await createTestApp();
  ws = await t.newWorkspace();
});
afterAll(async () => {
  await t?.close();
});

describe('employee list page', () => {
  let names: string[];

  beforeAll(async () => {
    // Repeated names: the order falls back to the id, and pages must still not overlap.
    names = ['Ola', 'Ala', 'Ela', 'Ala', 'Ula', 'Ela', 'Iga', 'Ala'];
    await t.ctx.db.insert(employees).values(
      names.map((name, i) => ({
        workspaceId: ws.workspaceId,
        name,
        email: `list-${i}.${randomUUID().slice(0, 8)}@firma.example`,
        signatureText: `Podpis ${i}\n"cytat" \\ ukośnik`,
        signatureHtml: `<p>Podpis <b>${i}</b></p>`,
        role: i === 2 ? ('admin' as const) : ('employee' as const),
        language: i % 2 ? ('en' as const) : ('pl' as const),
        active: i !== 3,
      })),
    );
  });

  it('answers every item exactly as GET /api/employees/:id does, groups included', async () => {
    const page = await get(ws.admin, '/api/employees?limit=100');
    const someone = page.items.find((e: { name: string }) => e.name === 'Ula');
    const [g1, g2] = await t.ctx.db
      .insert(groups)
      .values([
        { workspaceId: ws.workspaceId, name: 'G1' },
        { workspaceId: ws.workspaceId, name: 'G2' },
      ])
      .returning();
    await t.ctx.db.insert(groupMembers).values([
      { workspaceId: ws.workspaceId, groupId: g2!.id, employeeId: someone.id },
      { workspaceId: ws.workspaceId, groupId: g1!.id, employeeId: someone.id },
    ]);
    const after = await get(ws.admin, '/api/employees?limit=100');
    expect(after.items).toHaveLength(names.length + 1); // + the admin
    for (const item of after.items) {
      expect(item).toEqual(await get(ws.admin, `/api/employees/${item.id}`));
    }
    const withGroups = after.items.find((e: { id: string }) => e.id === someone.id);
    expect(withGroups.groupIds).toEqual([g1!.id, g2!.id].sort());
    expect(after.items.find((e: { name: string }) => e.name === 'Ola').groupIds).toEqual([]);
  });

  it('pages in name, then id order without gaps or repeats, with the exact total', async () => {
    const all = (await get(ws.admin, '/api/employees?limit=100')).items as { id: string; name: string }[];
    // Only the fixtures' order is asserted (plain ASCII initials sort alike in every collation).
    const ours = all.filter((e) => names.includes(e.name));
    expect(ours.map((e) => e.name)).toEqual([...names].sort());
    for (let i = 1; i < ours.length; i++)
      if (ours[i]!.name === ours[i - 1]!.name) expect(ours[i]!.id > ours[i - 1]!.id).toBe(true);
    const paged: string[] = [];
    for (let offset = 0; offset < all.length; offset += 2) {
      const page = await get(ws.admin, `/api/employees?limit=2&offset=${offset}`);
      expect(page).toMatchObject({ total: all.length, totalExact: true, limit: 2, offset });
      paged.push(...page.items.map((e: { id: string }) => e.id));
    }
    expect(paged).toEqual(all.map((e) => e.id));
  });

  it('an empty page past the end still carries the exact total', async () => {
    const past = await get(ws.admin, '/api/employees?limit=5&offset=500');
    expect(past).toMatchObject({ items: [], total: names.length + 1, totalExact: true });
  });

  it('a search pages and counts only its matches', async () => {
    const first = await get(ws.admin, '/api/employees?limit=2&q=ala');
    expect(first.items.map((e: { name: string }) => e.name)).toEqual(['Ala', 'Ala']);
    expect(first).toMatchObject({ totalExact: false, total: 3 }); // at least 3: there is a next page
    const last = await get(ws.admin, '/api/employees?limit=2&offset=2&q=ala');
    expect(last.items.map((e: { name: string }) => e.name)).toEqual(['Ala']);
    expect(last).toMatchObject({ totalExact: true, total: 3 });
  });

  it('another workspace sees none of them', async () => {
    const other = await t.newWorkspace();
    const page = await get(other.admin, '/api/employees?limit=100');
    expect(page).toMatchObject({ total: 1, totalExact: true });
    expect(page.items.map((e: { id: string }) => e.id)).toEqual([other.admin.employeeId]);
  });
});

describe('employee list in a large workspace', () => {
  const n = COUNT_LOOKAHEAD + 60;
  let big: TestWorkspace;

  beforeAll(async () => {
    big = await t.newWorkspace();
    const rows = Array.from({ length: n }, (_, i) => ({
      workspaceId: big.workspaceId,
      name: `E ${String(i).padStart(5, '0')}`,
      email: `big-${i}.${randomUUID().slice(0, 8)}@firma.example`,
    }));
    for (let i = 0; i < rows.length; i += 500)
      await t.ctx.db.insert(employees).values(rows.slice(i, i + 500));
  });

  it('reports a lower bound on the first page and the exact total near the end', async () => {
    const first = await get(big.admin, '/api/employees?limit=10');
    expect(first.items).toHaveLength(10);
    expect(first).toMatchObject({ totalExact: false, total: 10 + COUNT_LOOKAHEAD + 1 });
    const last = await get(big.admin, `/api/employees?limit=50&offset=${n + 1 - 20}`);
    expect(last.items).toHaveLength(20);
    expect(last).toMatchObject({ totalExact: true, total: n + 1 });
  });
});
