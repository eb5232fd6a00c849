import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthRepository } from '../../src/db/repositories/auth.repository.js';
import { createAuthService } from '../../src/services/auth/auth-service.js';
import { createTestApp, type TestApp, type TestWorkspace } from '../helpers/test-app.js';

/**
 * Authentication answered from the in-process cache (decision 0012) must stop answering the
 * moment this process revokes something, and within the poll interval when another process
 * (or the CLI, or plain SQL) does. "Another process" is a second AuthService over the same
 * database: its own cache, told nothing but what the database says.
 */
let t: TestApp;
let ws: TestWorkspace;
beforeAll(async () => {
  // A poll interval far longer than any test: in this process only the explicit invalidation
  // after each revocation can make the "at once" tests pass.
  t = await createTestApp({ authCachePollMs: '60000' });
  ws = await t.newWorkspace();
});
afterAll(async () => t?.close());

const POLL_MS = 100;
const sessionToken = (cookie: string) => cookie.slice('mailroom_session='.length);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A second process's view: its own cache, and a count of the lookups that reach the database. */
function otherProcess() {
  const lookups = { sessions: 0, tokens: 0 };
  const repo = t.ctx.repos.auth;
  const auth: AuthRepository = {
    ...repo,
    findSession: (...args) => {
      lookups.sessions++;
      return repo.findSession(...args);
    },
    findToken: (...args) => {
      lookups.tokens++;
      return repo.findToken(...args);
    },
  };
  const service = createAuthService({
    auth,
    employees: t.ctx.repos.employees,
    workspaces: t.ctx.repos.workspaces,
    rateLimiter: t.ctx.services.rateLimiter,
    sessionTtlHours: 1,
    loginRateLimitPerMinute: 10,
    authCachePollMs: POLL_MS,
  });
  return { service, lookups };
}

async function newToken(caller: { request: TestWorkspace['admin']['request'] }) {
  const res = await caller.request('POST', '/api/tokens', { name: 'cache test' });
  expect(res.statusCode).toBe(201);
  return res.json() as { id: string; token: string };
}

describe('authentication cache, same process: revocations take effect at once', () => {
  it('a demoted administrator loses admin rights on the next request', async () => {
    const emp = await ws.newEmployee();
    await ws.admin.request('PATCH', `/api/employees/${emp.employeeId}`, { role: 'admin' });
    expect((await emp.request('POST', '/api/projects', { name: 'Jako admin' })).statusCode).toBe(201);
    expect(
      (await ws.admin.request('PATCH', `/api/employees/${emp.employeeId}`, { role: 'employee' })).statusCode,
    ).toBe(200);
    expect((await emp.request('POST', '/api/projects', { name: 'Już nie' })).statusCode).toBe(403);
  });

  it('a password change ends the sessions, a deleted token stops, a logout stops', async () => {
    const emp = await ws.newEmployee();
    expect((await emp.request('GET', '/api/session')).statusCode).toBe(200);
    await ws.admin.request('PATCH', `/api/employees/${emp.employeeId}`, { password: 'a new password 456' });
    expect((await emp.request('GET', '/api/session')).statusCode).toBe(401);

    const { id, token } = await newToken(ws.admin);
    const viaToken = () =>
      t.app.inject({ url: '/api/projects', headers: { authorization: `Bearer ${token}` } });
    expect((await viaToken()).statusCode).toBe(200);
    expect((await ws.admin.request('DELETE', `/api/tokens/${id}`)).statusCode).toBe(204);
    expect((await viaToken()).statusCode).toBe(401);

    const other = await ws.newEmployee();
    expect((await other.request('GET', '/api/projects')).statusCode).toBe(200);
    expect((await other.request('DELETE', '/api/session')).statusCode).toBe(204);
    expect((await other.request('GET', '/api/projects')).statusCode).toBe(401);
  });
});

describe('authentication cache, across processes: within the poll interval', () => {
  it('answers repeated requests from memory', async () => {
    const emp = await ws.newEmployee();
    const { service, lookups } = otherProcess();
    for (let i = 0; i < 5; i++)
      expect(await service.authenticateSession(sessionToken(emp.cookie))).not.toBeNull();
    expect(lookups.sessions).toBe(1);
    const { token } = await newToken(emp);
    for (let i = 0; i < 5; i++) expect(await service.authenticateToken(token)).not.toBeNull();
    expect(lookups.tokens).toBe(1);
  });

  it('sees a logout, a token deletion and a role change made by another process', async () => {
    const emp = await ws.newEmployee();
    const { token } = await newToken(emp);
    const { service } = otherProcess();
    const session = sessionToken(emp.cookie);
    expect((await service.authenticateSession(session))?.actor.role).toBe('employee');
    expect(await service.authenticateToken(token)).not.toBeNull();

    await ws.admin.request('PATCH', `/api/employees/${emp.employeeId}`, { role: 'admin' });
    await sleep(POLL_MS + 20);
    expect((await service.authenticateSession(session))?.actor.role).toBe('admin');
    expect((await service.authenticateToken(token))?.actor.role).toBe('admin');

    expect((await emp.request('DELETE', '/api/session')).statusCode).toBe(204);
    const mine = await t.ctx.repos.auth.listTokens(ws.workspaceId, emp.employeeId);
    await t.ctx.services.auth.deleteApiToken(
      {
        workspaceId: ws.workspaceId,
        employeeId: ws.admin.employeeId,
        role: 'admin',
        name: 'Ada',
        via: 'session',
      },
      mine[0]!.id,
    );
    await sleep(POLL_MS + 20);
    expect(await service.authenticateSession(session)).toBeNull();
    expect(await service.authenticateToken(token)).toBeNull();
  });

  it('sees revocations written straight to the database (the CLI, another web process)', async () => {
    const emp = await ws.newEmployee();
    const { service } = otherProcess();
    expect(await service.authenticateSession(sessionToken(emp.cookie))).not.toBeNull();
    // As `mailroom admin reset-password` does from its own process: nothing tells this one.
    await t.ctx.repos.auth.deleteSessionsOf(ws.workspaceId, emp.employeeId);
    await sleep(POLL_MS + 20);
    expect(await service.authenticateSession(sessionToken(emp.cookie))).toBeNull();

    const deactivated = await ws.newEmployee();
    expect(await service.authenticateSession(sessionToken(deactivated.cookie))).not.toBeNull();
    await t.ctx.repos.employees.update(ws.workspaceId, deactivated.employeeId, { active: false });
    await sleep(POLL_MS + 20);
    expect(await service.authenticateSession(sessionToken(deactivated.cookie))).toBeNull();
  });
});

describe('auth_version triggers', () => {
  it('bump on revocations, not on session touches, token use or a purge that removes nothing', async () => {
    const repo = t.ctx.repos.auth;
    const emp = await ws.newEmployee();
    const { token } = await newToken(emp);
    const row = (await repo.listTokens(ws.workspaceId, emp.employeeId))[0]!;
    const v0 = await repo.authVersion();
    const now = new Date();
    await repo.touchSession('no-such-hash', now, new Date(now.getTime() + 3600_000));
    await repo.touchToken(row.id, new Date(now.getTime() + 120_000));
    await repo.deleteExpiredSessions(new Date(0));
    expect(await repo.authVersion()).toBe(v0);
    await repo.deleteSession('no-such-hash');
    expect(await repo.authVersion()).toBe(v0);
    await repo.deleteToken(ws.workspaceId, row.id);
    expect(await repo.authVersion()).toBeGreaterThan(v0);
    expect(token).toBeTruthy();
  });
});
