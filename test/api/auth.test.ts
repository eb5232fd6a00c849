import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestWorkspace } from '../helpers/test-app.js';

let t: TestApp;
let ws: TestWorkspace;
beforeAll(async () => {
  t = await createTestApp({ loginRateLimit: '5' });
  ws = await t.newWorkspace();
});
afterAll(async () => t?.close());

describe('session login (M56)', () => {
  it('sets an HttpOnly SameSite cookie and returns a CSRF token, never the password hash', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { email: ws.admin.email, password: ws.admin.password },
    });
    expect(res.statusCode).toBe(200);
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/mailroom_session=mrs_/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).not.toMatch(/Secure/i); // plain http in tests; Secure behind https (see config test)
    expect(res.json().csrfToken).toMatch(/^mrs_/);
    expect(res.body).not.toContain('scrypt$');
    expect(res.body).not.toContain('passwordHash');
  });

  it('answers the same error for a wrong password and an unknown email', async () => {
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { email: ws.admin.email, password: 'nope' },
    });
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { email: 'ghost@example.com', password: 'nope' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('INVALID_CREDENTIALS');
    expect(unknown.json().error).toEqual(wrong.json().error);
  });

  it('rate-limits repeated logins for one address with 429 and Retry-After', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 7; i++) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/session',
        payload: { email: 'target@example.com', password: `x${i}` },
      });
      codes.push(r.statusCode);
      if (r.statusCode === 429) expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    }
    expect(codes.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(codes.slice(5)).toEqual([429, 429]);
  });

  it('refuses cookie-authenticated writes without the CSRF token', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/projects',
      headers: { cookie: ws.admin.cookie },
      payload: { name: 'No token' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('CSRF_FAILED');
    const wrong = await ws.admin.request(
      'POST',
      '/api/projects',
      { name: 'Bad token' },
      { 'x-csrf-token': 'mrs_forged' },
    );
    expect(wrong.statusCode).toBe(403);
    const list = await ws.admin.request('GET', '/api/projects');
    expect(list.json().items.map((p: { name: string }) => p.name)).not.toContain('No token');
  });

  it('logs out: the cookie stops working', async () => {
    const emp = await ws.newEmployee();
    expect((await emp.request('DELETE', '/api/session')).statusCode).toBe(204);
    expect((await emp.request('GET', '/api/session')).statusCode).toBe(401);
  });

  it('ends the sessions of a deactivated employee', async () => {
    const emp = await ws.newEmployee();
    await ws.admin.request('PATCH', `/api/employees/${emp.employeeId}`, { active: false });
    expect((await emp.request('GET', '/api/session')).statusCode).toBe(401);
    const relogin = await t.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { email: emp.email, password: emp.password },
    });
    expect(relogin.statusCode).toBe(401);
  });

  it('switches the language and answers errors in it', async () => {
    const emp = await ws.newEmployee({ language: 'en' });
    const res = await emp.request('PATCH', '/api/session', { language: 'pl' });
    expect(res.json().employee.language).toBe('pl');
    const err = await emp.request('POST', '/api/projects', { name: 'x' });
    expect(err.statusCode).toBe(403);
    expect(err.json().error.message).toBe('Nie masz uprawnień do tej operacji.');
    const en = await emp.request(
      'POST',
      '/api/projects',
      { name: 'x' },
      { 'accept-language': 'en-GB,en;q=0.9' },
    );
    expect(en.json().error.message).toBe('You do not have permission to do this.');
  });
});

describe('API tokens (M56)', () => {
  it('shows the token once, stores only its hash, authenticates with Bearer without CSRF, and can be revoked', async () => {
    const created = await ws.admin.request('POST', '/api/tokens', { name: 'CI integration' });
    expect(created.statusCode).toBe(201);
    const { token, id, prefix } = created.json();
    expect(token).toMatch(/^mrt_/);
    expect(token.startsWith(prefix)).toBe(true);
    const list = await ws.admin.request('GET', '/api/tokens');
    expect(list.body).not.toContain(token);
    const rows = await t.ctx.repos.auth.listTokens(ws.workspaceId, null);
    expect(JSON.stringify(rows)).not.toContain(token);

    const viaToken = await t.app.inject({
      method: 'POST',
      url: '/api/projects',
      headers: { authorization: `Bearer ${token}` },
      payload: { name: 'Made by token' },
    });
    expect(viaToken.statusCode).toBe(201);
    expect((await ws.admin.request('DELETE', `/api/tokens/${id}`)).statusCode).toBe(204);
    const after = await t.app.inject({ url: '/api/projects', headers: { authorization: `Bearer ${token}` } });
    expect(after.statusCode).toBe(401);
  });

  it('rejects a malformed or unknown bearer token', async () => {
    const res = await t.app.inject({
      url: '/api/employees',
      headers: { authorization: 'Bearer mrt_unknown' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
  });
});

describe('unauthenticated access', () => {
  it.each([
    '/api/employees',
    '/api/groups',
    '/api/projects',
    '/api/contacts',
    '/api/tokens',
    '/api/audit-log',
    '/api/session',
  ])('%s answers 401', async (url) => {
    const res = await t.app.inject({ url });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    expect(res.json().requestId).toBeTruthy();
  });
});
