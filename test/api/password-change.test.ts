import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditRecorder } from '../../src/services/audit/audit-recorder.js';
import { resetPassword } from '../../src/services/auth/reset-password.js';
import { type Caller, createTestApp, type TestApp, type TestWorkspace } from '../helpers/test-app.js';

/**
 * A new password (M56) revokes what the old one could have handed out: the person's other
 * sessions and their API tokens. Whoever changes their own password stays signed in.
 */
let t: TestApp;
let ws: TestWorkspace;
beforeAll(async () => {
  t = await createTestApp();
  ws = await t.newWorkspace();
});
afterAll(async () => t?.close());

/** A token of `emp`'s; the returned function answers the status it gets from the API. */
const tokenOf = async (emp: Caller) => {
  const created = await emp.request('POST', '/api/tokens', { name: 'CRM' });
  expect(created.statusCode, created.body).toBe(201);
  const token = created.json().token as string;
  return async () =>
    (await t.app.inject({ url: '/api/session', headers: { authorization: `Bearer ${token}` } })).statusCode;
};

/** Another session (another device); the returned function answers the status it gets. */
const signIn = async (email: string, password: string) => {
  const res = await t.app.inject({ method: 'POST', url: '/api/session', payload: { email, password } });
  expect(res.statusCode, res.body).toBe(200);
  const cookie = `mailroom_session=${res.cookies.find((c) => c.name === 'mailroom_session')!.value}`;
  return async () => (await t.app.inject({ url: '/api/session', headers: { cookie } })).statusCode;
};

describe('a password change', () => {
  it('set by an admin ends the employee’s sessions and revokes their API tokens', async () => {
    const emp = await ws.newEmployee();
    const token = await tokenOf(emp);
    expect(await token()).toBe(200);
    const res = await ws.admin.request('PATCH', `/api/employees/${emp.employeeId}`, {
      password: 'reset by the admin 1',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect((await emp.request('GET', '/api/session')).statusCode).toBe(401);
    expect(await token()).toBe(401);
    // The admin who made the change stays signed in.
    expect((await ws.admin.request('GET', '/api/session')).statusCode).toBe(200);
  });

  it('changed by the owner keeps their current session, ends the others and revokes their tokens', async () => {
    const emp = await ws.newEmployee();
    const token = await tokenOf(emp);
    const otherDevice = await signIn(emp.email, emp.password);
    expect(await otherDevice()).toBe(200);
    const res = await emp.request('PATCH', `/api/employees/${emp.employeeId}`, {
      password: 'my own new password 7',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect((await emp.request('GET', '/api/session')).statusCode).toBe(200);
    // Still a working session: a write with its CSRF token goes through.
    expect((await emp.request('PATCH', '/api/session', { language: 'en' })).statusCode).toBe(200);
    expect(await otherDevice()).toBe(401);
    expect(await token()).toBe(401);
    expect(await (await signIn(emp.email, 'my own new password 7'))()).toBe(200);
  });

  it('changing anything else leaves sessions and tokens alone', async () => {
    const emp = await ws.newEmployee();
    const token = await tokenOf(emp);
    const res = await ws.admin.request('PATCH', `/api/employees/${emp.employeeId}`, { name: 'Ewa Nowa' });
    expect(res.statusCode, res.body).toBe(200);
    expect((await emp.request('GET', '/api/session')).statusCode).toBe(200);
    expect(await token()).toBe(200);
  });

  it('reset from the command line ends the sessions and revokes the API tokens', async () => {
    const emp = await ws.newEmployee();
    const token = await tokenOf(emp);
    await resetPassword(
      {
        employees: t.ctx.repos.employees,
        auth: t.ctx.repos.auth,
        audit: createAuditRecorder({ audit: t.ctx.repos.audit }),
        transaction: t.ctx.transaction,
      },
      emp.email,
    );
    // The CLI is another process: this one's cache learns of it from auth_version (decision 0012).
    t.ctx.services.auth.authChanged();
    expect((await emp.request('GET', '/api/session')).statusCode).toBe(401);
    expect(await token()).toBe(401);
  });
});
