import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestWorkspace } from '../helpers/test-app.js';

/**
 * Workspace isolation (M48): every route that takes an id answers 404 for another
 * workspace's id, for reads and writes alike, and changes nothing. The route list comes
 * from the OpenAPI document, so a new route without an entry here fails this test.
 */
let t: TestApp;
let a: TestWorkspace;
let b: TestWorkspace;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  a = await t.newWorkspace('Alpha');
  b = await t.newWorkspace('Beta');
  const emp = await a.newEmployee();
  ids.employees = emp.employeeId;
  ids.groups = (await a.admin.request('POST', '/api/groups', { name: 'Alpha support', memberIds: [emp.employeeId] })).json().id;
  ids.projects = (await a.admin.request('POST', '/api/projects', { name: 'Alpha project' })).json().id;
  ids.contacts = (await a.admin.request('POST', '/api/contacts', { name: 'Alpha client', emails: [{ email: 'c@alpha.example' }] })).json().id;
  ids.tokens = (await a.admin.request('POST', '/api/tokens', { name: 'Alpha token' })).json().id;
});
afterAll(async () => t?.close());

/** Value for a path parameter, by the collection segment before it. */
function fill(path: string): string {
  return path.replace(/\/([a-z-]+)\/\{(\w+)\}/g, (_m, collection: string) => {
    const id = ids[collection];
    if (!id) throw new Error(`isolation test has no id for /${collection}/{…} — add one`);
    return `/${collection}/${id}`;
  });
}

describe('workspace isolation', () => {
  it('covers every route with an id parameter', async () => {
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      path.includes('{') ? Object.keys(ops).map((m) => ({ method: m.toUpperCase(), path })) : [],
    );
    expect(routes.length).toBeGreaterThanOrEqual(13);
    for (const { method, path } of routes) {
      const url = fill(path);
      const body = method === 'PATCH' ? {} : undefined;
      const res = await b.admin.request(method, url, body);
      expect({ method, path, status: res.statusCode }).toEqual({ method, path, status: 404 });
      expect(res.json().error.code).toBe('NOT_FOUND');
    }
    // Nothing was deleted or changed in Alpha.
    for (const c of ['employees', 'groups', 'projects', 'contacts']) {
      expect((await a.admin.request('GET', `/api/${c}/${ids[c]}`)).statusCode).toBe(200);
    }
    expect((await a.admin.request('GET', '/api/tokens')).json().items).toHaveLength(1);
  });

  it('never lists another workspace’s rows, even when searching for them', async () => {
    for (const [c, q] of [
      ['employees', 'emp.'],
      ['groups', 'Alpha'],
      ['projects', 'Alpha'],
      ['contacts', 'alpha'],
    ] as const) {
      const res = await b.admin.request('GET', `/api/${c}?q=${encodeURIComponent(q)}`);
      expect(res.json().items).toEqual([]);
    }
    expect((await b.admin.request('GET', '/api/tokens')).json().items).toEqual([]);
    const audit = await b.admin.request('GET', '/api/audit-log');
    expect(audit.json().items.every((e: { targetId: string }) => !Object.values(ids).includes(e.targetId))).toBe(true);
  });

  it('refuses another workspace’s ids as references', async () => {
    const res = await b.admin.request('POST', '/api/groups', { name: 'Sneaky', memberIds: [ids.employees] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.fields[0]).toMatchObject({ path: '/body/memberIds/0', code: 'unknown_reference' });
    const emp = await b.admin.request('POST', '/api/employees', { name: 'X', email: 'x.sneaky@example.com', groupIds: [ids.groups] });
    expect(emp.json().error.details.fields[0]).toMatchObject({ path: '/body/groupIds/0', code: 'unknown_reference' });
  });

  it('does not let a token from one workspace reach another', async () => {
    const token = (await b.admin.request('POST', '/api/tokens', { name: 'Beta token' })).json().token;
    const res = await t.app.inject({ url: `/api/projects/${ids.projects}`, headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(404);
  });
});
