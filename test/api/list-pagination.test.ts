import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COUNT_LOOKAHEAD } from '../../src/db/repositories/list-query.js';
import {
  emailAddressAccess,
  emailAddresses,
  employees,
  groupMembers,
  groups,
  projects,
} from '../../src/db/schema/index.js';
import { type Caller, createTestApp, type TestApp, type TestWorkspace } from '../helpers/test-app.js';

let t: TestApp;
let ws: TestWorkspace;

const NAMES = [
  'Łukasz Wiśniewski',
  'Zofia Dąbrowska',
  'Paweł Kamiński',
  'Anna Nowak',
  'Joanna Kowalska',
  'ann lower',
  'Bob Smith',
  'Ewa Żółć',
  'x_y 100%',
];

beforeAll(async () => {
  t = await createTestApp();
  ws = await t.newWorkspace();
  await t.ctx.db.insert(employees).values(
    NAMES.map((name, i) => ({
      workspaceId: ws.workspaceId,
      name,
      email: `search-${i}.${randomUUID().slice(0, 8)}@firma.example`,
    })),
  );
});
afterAll(async () => {
  await t?.close();
});

const get = async (c: Caller, url: string) => {
  const r = await c.request('GET', url);
  expect(r.statusCode, r.body).toBe(200);
  return r.json();
};

describe('employee search (?q=, trigram-indexed ILIKE)', () => {
  // The reference: case-insensitive substring over name and email, as ILIKE defines it.
  const expected = (q: string, all: { name: string; email: string }[]) =>
    all
      .filter((e) => `${e.name}\n${e.email}`.toLowerCase().includes(q.toLowerCase()))
      .map((e) => e.name)
      .sort();

  it.each([
    ['wiś'],
    ['dąbr'],
    ['ński'],
    ['żółć'],
    ['ann'],
    ['ANN'],
    ['nowak'],
    ['smith'],
    ['a'], // 1–2 characters: no trigram to use, still found by scan
    ['ł'],
    ['an'],
    ['_'], // LIKE wildcards are literal
    ['%'],
    ['nobody-matches-this'],
  ])('q=%s finds exactly the employees whose name or email contains it', async (q) => {
    const all = (await get(ws.admin, '/api/employees?limit=100')).items as { name: string; email: string }[];
    const body = await get(ws.admin, `/api/employees?limit=100&q=${encodeURIComponent(q)}`);
    expect(body.items.map((e: { name: string }) => e.name).sort()).toEqual(expected(q, all));
    expect(body.total).toBe(body.items.length);
    expect(body.totalExact).toBe(true);
  });
});

describe('list totals stop counting past the page (capped count)', () => {
  let other: TestWorkspace;
  const n = 60 + COUNT_LOOKAHEAD;
  beforeAll(async () => {
    other = await t.newWorkspace();
    const rows = Array.from({ length: n }, (_, i) => ({
      workspaceId: other.workspaceId,
      name: `P ${String(i).padStart(5, '0')}`,
    }));
    for (let i = 0; i < rows.length; i += 500) await t.ctx.db.insert(projects).values(rows.slice(i, i + 500));
  });

  it('reports a lower bound on the first page and the exact total near the end', async () => {
    const first = await get(other.admin, '/api/projects?limit=10');
    expect(first.items).toHaveLength(10);
    expect(first.totalExact).toBe(false);
    expect(first.total).toBeGreaterThan(10 + COUNT_LOOKAHEAD);
    expect(first.total).toBeLessThanOrEqual(n);
    const last = await get(other.admin, `/api/projects?limit=50&offset=${n - 20}`);
    expect(last.items).toHaveLength(20);
    expect(last.totalExact).toBe(true);
    expect(last.total).toBe(n);
  });

  it('a search only tells whether there is a next page, and is exact on its last page', async () => {
    const first = await get(other.admin, '/api/projects?limit=10&q=P%200');
    expect(first.items).toHaveLength(10);
    expect(first).toMatchObject({ totalExact: false, total: 11 });
    const matching = n; // every name starts with "P 0"
    const last = await get(other.admin, `/api/projects?limit=50&offset=${matching - 5}&q=P%200`);
    expect(last.items).toHaveLength(5);
    expect(last).toMatchObject({ totalExact: true, total: matching });
  });

  it('pages in name order without gaps or repeats', async () => {
    const a = await get(other.admin, '/api/projects?limit=100&offset=0');
    const b = await get(other.admin, '/api/projects?limit=100&offset=100');
    const names = [...a.items, ...b.items].map((p: { name: string }) => p.name);
    expect(names).toEqual(Array.from({ length: 200 }, (_, i) => `P ${String(i).padStart(5, '0')}`));
  });
});

describe('company addresses are paginated (issue #4)', () => {
  let emp: Caller;
  const mailbox = {
    login: 'l',
    smtpHost: 'smtp.example',
    smtpPort: 465,
    smtpSecurity: 'tls' as const,
    incomingHost: 'pop.example',
    incomingPort: 995,
    incomingSecurity: 'tls' as const,
  };
  beforeAll(async () => {
    emp = await ws.newEmployee();
    const [group] = await t.ctx.db
      .insert(groups)
      .values({ workspaceId: ws.workspaceId, name: 'G' })
      .returning();
    await t.ctx.db.insert(groupMembers).values({
      workspaceId: ws.workspaceId,
      groupId: group!.id,
      employeeId: emp.employeeId,
    });
    // 75 addresses: every 3rd restricted to nobody in particular, every 5th to the employee's group.
    const rows = Array.from({ length: 75 }, (_, i) => ({
      ...mailbox,
      id: randomUUID(),
      workspaceId: ws.workspaceId,
      scope: 'company' as const,
      email: `team-${String(i).padStart(3, '0')}@firma.example`,
    }));
    await t.ctx.db.insert(emailAddresses).values(rows);
    const access = rows.flatMap((r, i) => [
      ...(i % 3 === 0
        ? [{ workspaceId: ws.workspaceId, addressId: r.id, employeeId: ws.admin.employeeId }]
        : []),
      ...(i % 5 === 0 ? [{ workspaceId: ws.workspaceId, addressId: r.id, groupId: group!.id }] : []),
    ]);
    await t.ctx.db.insert(emailAddressAccess).values(access);
  });

  it('returns pages of 50 by default, with total, in email order', async () => {
    const first = await get(ws.admin, '/api/company/email-addresses');
    expect(first).toMatchObject({ total: 75, totalExact: true, limit: 50, offset: 0 });
    expect(first.items).toHaveLength(50);
    const rest = await get(ws.admin, '/api/company/email-addresses?offset=50');
    expect(rest.items).toHaveLength(25);
    const emails = [...first.items, ...rest.items].map((a: { email: string }) => a.email);
    expect(emails).toEqual([...emails].sort());
    expect(new Set(emails).size).toBe(75);
  });

  it('filters by q over email', async () => {
    const r = await get(ws.admin, '/api/company/email-addresses?q=team-07');
    expect(r.items.map((a: { email: string }) => a.email)).toEqual(
      Array.from({ length: 5 }, (_, i) => `team-07${i}@firma.example`),
    );
  });

  it('counts and pages only what a non-admin may see (open, or through their group)', async () => {
    const visible = Array.from({ length: 75 }, (_, i) => i).filter((i) => i % 3 !== 0 || i % 5 === 0);
    const r = await get(emp, '/api/company/email-addresses?limit=100');
    expect(r.total).toBe(visible.length);
    expect(r.items.map((a: { email: string }) => a.email)).toEqual(
      visible.map((i) => `team-${String(i).padStart(3, '0')}@firma.example`),
    );
    const page = await get(emp, '/api/company/email-addresses?limit=10&offset=10');
    expect(page.items.map((a: { email: string }) => a.email)).toEqual(
      r.items.slice(10, 20).map((a: { email: string }) => a.email),
    );
  });

  it('the sender preview lists excluded addresses a page at a time, with the total', async () => {
    const all = await get(ws.admin, `/api/senders?employeeId=${emp.employeeId}&excludedLimit=10000`);
    const total = all.excludedTotal as number;
    expect(total).toBe(all.excluded.length);
    expect(total).toBeGreaterThan(10);
    const page = await get(
      ws.admin,
      `/api/senders?employeeId=${emp.employeeId}&excludedLimit=10&excludedOffset=5`,
    );
    expect(page.excludedTotal).toBe(total);
    expect(page.excluded).toEqual(all.excluded.slice(5, 15));
    expect(page.choices).toEqual(all.choices);
    expect(page.default).toEqual(all.default);
    // One sentence per excluded address shown, and one that counts the rest.
    expect(page.sentences.at(-1)).toContain(String(total - 10));
    expect(page.sentences).toHaveLength(all.sentences.length - (total - 10) + 1);
  });
});
