import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestWorkspace, uniqueEmail } from '../helpers/test-app.js';

let t: TestApp;
let ws: TestWorkspace;
beforeAll(async () => {
  t = await createTestApp();
  ws = await t.newWorkspace();
});
afterAll(async () => t?.close());

describe('employees', () => {
  it('creates, reads, updates and deletes, with audit entries naming changed fields only', async () => {
    const email = uniqueEmail('Jan.Kowalski');
    const created = await ws.admin.request('POST', '/api/employees', {
      name: 'Jan Kowalski',
      email,
      language: 'pl',
      signatureText: 'Pozdrawiam\nJan',
    });
    expect(created.statusCode).toBe(201);
    const emp = created.json();
    expect(emp).toMatchObject({
      name: 'Jan Kowalski',
      email: email.toLowerCase(),
      role: 'employee',
      active: true,
      groupIds: [],
    });
    expect(emp).not.toHaveProperty('passwordHash');

    const patched = await ws.admin.request('PATCH', `/api/employees/${emp.id}`, {
      name: 'Jan K.',
      password: 'a new password 42',
    });
    expect(patched.json().name).toBe('Jan K.');
    const audit = (await ws.admin.request('GET', `/api/audit-log?targetId=${emp.id}`)).json().items;
    expect(audit.map((e: { action: string }) => e.action)).toEqual(['employee.updated', 'employee.created']);
    expect(audit[0].details.changed).toEqual(['name', 'password']);
    expect(JSON.stringify(audit)).not.toContain('a new password 42');

    expect((await ws.admin.request('DELETE', `/api/employees/${emp.id}`)).statusCode).toBe(204);
    expect((await ws.admin.request('GET', `/api/employees/${emp.id}`)).statusCode).toBe(404);
  });

  it('reports every invalid field at once with paths, codes and messages in the caller’s language', async () => {
    const res = await ws.admin.request(
      'POST',
      '/api/employees',
      { name: '', email: 'not an email', role: 'root', password: 'short', extra: 1 },
      { 'accept-language': 'pl' },
    );
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.message).toMatch(/Popraw/);
    const byPath = Object.fromEntries(
      body.error.details.fields.map((f: { path: string; code: string }) => [f.path, f.code]),
    );
    expect(byPath['/body/name']).toBe('minLength');
    expect(byPath['/body/password']).toBe('minLength');
    expect(byPath['/body/extra']).toBe('additionalProperties');
    expect(Object.keys(byPath)).toContain('/body/role');
    for (const f of body.error.details.fields) expect(f.message).toBeTruthy();
  });

  it('rejects a strictly invalid email, a taken email and control characters in names', async () => {
    const injected = await ws.admin.request('POST', '/api/employees', {
      name: 'X',
      email: 'a@b.pl\r\nBcc: c@d.pl',
    });
    expect(injected.json().error.details.fields[0]).toMatchObject({ path: '/body/email', code: 'email' });
    const taken = await ws.admin.request('POST', '/api/employees', {
      name: 'Dup',
      email: ws.admin.email.toUpperCase(),
    });
    expect(taken.json().error.details.fields[0]).toMatchObject({ path: '/body/email', code: 'taken' });
    const ctrl = await ws.admin.request('POST', '/api/employees', {
      name: 'Bad\u0007name',
      email: uniqueEmail(),
    });
    expect(ctrl.json().error.details.fields[0]).toMatchObject({ path: '/body/name', code: 'pattern' });
  });

  it('keeps at least one active admin', async () => {
    const self = await ws.admin.request('PATCH', `/api/employees/${ws.admin.employeeId}`, {
      role: 'employee',
    });
    expect(self.statusCode).toBe(409);
    expect(self.json().error.code).toBe('LAST_ADMIN');
    expect((await ws.admin.request('DELETE', `/api/employees/${ws.admin.employeeId}`)).statusCode).toBe(409);
  });

  it('lets employees read colleagues and edit only their own profile fields', async () => {
    const emp = await ws.newEmployee();
    expect((await emp.request('GET', '/api/employees')).statusCode).toBe(200);
    expect(
      (await emp.request('PATCH', `/api/employees/${emp.employeeId}`, { signatureText: 'Ewa' })).statusCode,
    ).toBe(200);
    expect(
      (await emp.request('PATCH', `/api/employees/${emp.employeeId}`, { role: 'admin' })).statusCode,
    ).toBe(403);
    expect(
      (await emp.request('PATCH', `/api/employees/${ws.admin.employeeId}`, { name: 'Hacked' })).statusCode,
    ).toBe(403);
    expect(
      (await emp.request('POST', '/api/employees', { name: 'N', email: uniqueEmail() })).statusCode,
    ).toBe(403);
    expect((await emp.request('POST', '/api/groups', { name: 'G' })).statusCode).toBe(403);
    expect((await emp.request('GET', '/api/audit-log')).statusCode).toBe(403);
  });

  it('paginates and searches', async () => {
    const other = await t.newWorkspace('Paging');
    for (let i = 0; i < 7; i++)
      await other.admin.request('POST', '/api/projects', { name: `Project ${String(i).padStart(2, '0')}` });
    const page = (await other.admin.request('GET', '/api/projects?limit=3&offset=3')).json();
    expect(page).toMatchObject({ total: 7, limit: 3, offset: 3 });
    expect(page.items.map((p: { name: string }) => p.name)).toEqual([
      'Project 03',
      'Project 04',
      'Project 05',
    ]);
    const search = (await other.admin.request('GET', '/api/projects?q=06')).json();
    expect(search.items).toHaveLength(1);
    const wildcard = (await other.admin.request('GET', '/api/projects?q=%25')).json();
    expect(wildcard.items).toHaveLength(0);
    expect((await other.admin.request('GET', '/api/projects?limit=1000')).statusCode).toBe(400);
  });
});

describe('groups', () => {
  it('keeps members in both directions', async () => {
    const e1 = await ws.newEmployee();
    const g = (
      await ws.admin.request('POST', '/api/groups', { name: 'Support', memberIds: [e1.employeeId] })
    ).json();
    expect(g.memberIds).toEqual([e1.employeeId]);
    expect((await ws.admin.request('GET', `/api/employees/${e1.employeeId}`)).json().groupIds).toEqual([
      g.id,
    ]);
    const cleared = (await ws.admin.request('PATCH', `/api/groups/${g.id}`, { memberIds: [] })).json();
    expect(cleared.memberIds).toEqual([]);
    expect((await ws.admin.request('DELETE', `/api/groups/${g.id}`)).statusCode).toBe(204);
  });
});

describe('projects', () => {
  it('archives and renames', async () => {
    const p = (await ws.admin.request('POST', '/api/projects', { name: 'Brand A' })).json();
    const r = (
      await ws.admin.request('PATCH', `/api/projects/${p.id}`, { archived: true, name: 'Brand A (old)' })
    ).json();
    expect(r).toMatchObject({ archived: true, name: 'Brand A (old)' });
  });
});

describe('contacts', () => {
  it('stores several addresses with one primary, IDN in Unicode, and rejects duplicates', async () => {
    const emp = await ws.newEmployee();
    const res = await emp.request('POST', '/api/contacts', {
      name: 'Klient',
      company: 'ACME',
      emails: [
        { email: 'biuro@пример.рф', label: 'office' },
        { email: 'szef@acme.pl', isPrimary: true },
      ],
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().emails).toEqual([
      { email: 'biuro@пример.рф', label: 'office', isPrimary: false },
      { email: 'szef@acme.pl', label: '', isPrimary: true },
    ]);
    const dup = await emp.request('PATCH', `/api/contacts/${res.json().id}`, {
      emails: [{ email: 'a@acme.pl' }, { email: 'A@acme.pl' }],
    });
    expect(dup.json().error.details.fields[0]).toMatchObject({
      path: '/body/emails/1/email',
      code: 'duplicate',
    });
    const none = await emp.request('POST', '/api/contacts', { name: 'No mail', emails: [] });
    expect(none.json().error.details.fields[0]).toMatchObject({ path: '/body/emails', code: 'minItems' });
    const search = (await emp.request('GET', '/api/contacts?q=szef@')).json();
    expect(search.items.map((c: { id: string }) => c.id)).toContain(res.json().id);
  });
});

describe('errors and secrets', () => {
  it('answers unknown routes and bad JSON with the error envelope', async () => {
    const nf = await ws.admin.request('GET', '/api/nothing-here');
    expect(nf.statusCode).toBe(404);
    expect(nf.json()).toMatchObject({ error: { code: 'NOT_FOUND' }, requestId: expect.any(String) });
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/projects',
      headers: { cookie: ws.admin.cookie, 'x-csrf-token': ws.admin.csrf, 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    expect(
      (await ws.admin.request('GET', '/api/projects/not-a-uuid')).json().error.details.fields[0].path,
    ).toBe('/params/id');
  });

  it('never writes passwords, session or API tokens to the log', async () => {
    const emp = await ws.newEmployee();
    const token = (await emp.request('POST', '/api/tokens', { name: 'log probe' })).json().token;
    await t.app.inject({ url: '/api/projects', headers: { authorization: `Bearer ${token}` } });
    const log = t.logs.join('');
    expect(log.length).toBeGreaterThan(0);
    for (const secret of [ws.admin.password, emp.password, token, emp.cookie.split('=')[1]!, emp.csrf]) {
      expect(log).not.toContain(secret);
    }
  });
});
