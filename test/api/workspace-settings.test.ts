import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestWorkspace, uniqueEmail } from '../helpers/test-app.js';

let t: TestApp;
let ws: TestWorkspace;
beforeAll(async () => {
  t = await createTestApp();
  ws = await t.newWorkspace('Mailroom');
});
afterAll(async () => t?.close());

describe('company settings (issue 8 item 1)', () => {
  it('starts unconfirmed, and an admin’s save sets name, language and the M48 switch in one audited change', async () => {
    const before = (await ws.admin.request('GET', '/api/workspace')).json();
    expect(before).toMatchObject({ name: 'Mailroom', defaultLanguage: 'pl', settingsConfirmed: false });

    const saved = await ws.admin.request('PATCH', '/api/workspace', {
      name: '  Biuro Rachunkowe Nowak  ',
      defaultLanguage: 'en',
      employeesManageOwnAddresses: false,
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({
      name: 'Biuro Rachunkowe Nowak',
      defaultLanguage: 'en',
      employeesManageOwnAddresses: false,
      settingsConfirmed: true,
    });
    // The session shows the new name (it is the default sender name clients see).
    expect((await ws.admin.request('GET', '/api/session')).json().workspace.name).toBe(
      'Biuro Rachunkowe Nowak',
    );
    const audit = (await ws.admin.request('GET', '/api/audit-log?action=workspace.updated')).json().items;
    expect(audit[0].details.changed).toEqual(['name', 'defaultLanguage', 'employeesManageOwnAddresses']);

    // A new employee without a chosen language gets the workspace's default.
    const emp = await ws.admin.request('POST', '/api/employees', { name: 'Ewa', email: uniqueEmail('ewa') });
    expect(emp.json().language).toBe('en');
    await ws.admin.request('PATCH', '/api/workspace', {
      defaultLanguage: 'pl',
      employeesManageOwnAddresses: true,
    });
  });

  it('refuses employees, an empty or over-long name, and an unknown language', async () => {
    const emp = await ws.newEmployee();
    expect((await emp.request('PATCH', '/api/workspace', { name: 'Mine' })).statusCode).toBe(403);
    expect((await emp.request('GET', '/api/workspace')).statusCode).toBe(200);
    const blank = await ws.admin.request('PATCH', '/api/workspace', { name: '   ' });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().error.details.fields[0]).toMatchObject({ path: '/body/name', code: 'required' });
    const long = await ws.admin.request(
      'PATCH',
      '/api/workspace',
      { name: 'x'.repeat(201) },
      { 'accept-language': 'pl' },
    );
    expect(long.json().error.details.fields[0]).toMatchObject({ path: '/body/name', code: 'maxLength' });
    const lang = await ws.admin.request('PATCH', '/api/workspace', { defaultLanguage: 'de' });
    expect(lang.statusCode).toBe(400);
  });

  it('API tokens: created with a name and shown once, listed without the secret, usable, then revoked', async () => {
    const created = await ws.admin.request('POST', '/api/tokens', { name: 'Integracja CRM' });
    expect(created.statusCode).toBe(201);
    const { id, token, prefix } = created.json();
    expect(token.startsWith(prefix)).toBe(true);
    const list = await ws.admin.request('GET', '/api/tokens');
    expect(list.json().items.find((x: { id: string }) => x.id === id)).toMatchObject({
      name: 'Integracja CRM',
    });
    expect(list.body).not.toContain(token);
    const viaToken = await t.app.inject({
      method: 'GET',
      url: '/api/workspace',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(viaToken.statusCode).toBe(200);
    expect((await ws.admin.request('DELETE', `/api/tokens/${id}`)).statusCode).toBe(204);
    const after = await t.app.inject({
      method: 'GET',
      url: '/api/workspace',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(after.statusCode).toBe(401);
  });
});

describe('GET /api/session signed out (issue 8 item 7)', () => {
  it('answers 204 with ?optional=true, 401 without it, the session when signed in', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/session?optional=true' })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/session' })).statusCode).toBe(401);
    const mine = await ws.admin.request('GET', '/api/session?optional=true');
    expect(mine.statusCode).toBe(200);
    expect(mine.json().employee.email).toBe(ws.admin.email.toLowerCase());
  });
});
