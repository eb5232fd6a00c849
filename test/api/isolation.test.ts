import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEmailRepository } from '../../src/db/repositories/test-email.repository.js';
import { addressRow } from '../helpers/address-row.js';
import { seedMessage, seedTask } from '../helpers/delivery-log-rows.js';
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
  ids.groups = (
    await a.admin.request('POST', '/api/groups', { name: 'Alpha support', memberIds: [emp.employeeId] })
  ).json().id;
  ids.projects = (await a.admin.request('POST', '/api/projects', { name: 'Alpha project' })).json().id;
  ids.contacts = (
    await a.admin.request('POST', '/api/contacts', {
      name: 'Alpha client',
      emails: [{ email: 'c@alpha.example' }],
    })
  ).json().id;
  ids.tokens = (await a.admin.request('POST', '/api/tokens', { name: 'Alpha token' })).json().id;
  // Addresses straight through the repository: this file tests isolation, not the test gate.
  const address = (scope: 'company' | 'employee') =>
    t.ctx.mailbox.addresses.insert(
      addressRow({
        workspaceId: a.workspaceId,
        scope,
        ownerEmployeeId: scope === 'employee' ? emp.employeeId : null,
        email: `${scope}@alpha.example`,
      }),
    );
  ids['company/email-addresses'] = (await address('company')).id;
  ids['email-addresses'] = (await address('employee')).id;
  ids['test-emails'] = (
    await createTestEmailRepository(t.ctx.db).insert({
      workspaceId: a.workspaceId,
      addressId: ids['email-addresses'],
      status: 'arrived',
      messageId: '<mailroom-test.x@alpha.example>',
      deadlineAt: new Date(),
    })
  ).id;
  ids['oauth/grants'] = (
    await t.ctx.oauth.grants.insertGrant({
      workspaceId: a.workspaceId,
      provider: 'google',
      subject: 'alpha-subject',
      email: 'alpha@gmail.test',
      refreshTokenEnc: 'mc1:test1:AAAA',
    })
  ).id;
  ids.tasks = (
    await a.admin.request('POST', '/api/tasks', { projectId: ids.projects, title: 'Alpha task' })
  ).json().id;
  const alphaComment = (
    await a.admin.request('POST', `/api/tasks/${ids.tasks}/comments`, {
      body: 'Alpha comment',
      attachments: [{ filename: 'a.txt', content: Buffer.from('alpha').toString('base64') }],
    })
  ).json();
  ids.attachments = alphaComment.attachments[0].id;
  ids.comments = alphaComment.id;
  const task = await seedTask(t.ctx.db, a.workspaceId, emp.employeeId);
  ids.messages = (
    await seedMessage(t.ctx.db, task, a.workspaceId, {
      workspaceId: a.workspaceId,
      addressId: ids['email-addresses'],
      authorEmployeeId: emp.employeeId,
      status: 'failed',
    })
  ).id;
});
afterAll(async () => t?.close());

/** A valid body for writes whose body has required fields (so a 404 is not hidden behind a 400). */
const BODIES: Record<string, unknown> = {
  'POST /api/tasks/{id}/comments': { body: 'Sneaky comment' },
};

/** Value for a path parameter, by the collection segment before it. */
function fill(path: string): string {
  const parts = path.split('/');
  return parts
    .map((part, i) => {
      if (!part.startsWith('{')) return part;
      const collection = parts[i - 1]!;
      const id = ids[`${parts[i - 2]}/${collection}`] ?? ids[collection];
      if (!id) throw new Error(`isolation test has no id for /${collection}/{…} — add one`);
      return id;
    })
    .join('/');
}

describe('workspace isolation', () => {
  it('covers every route with an id parameter', async () => {
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      path.includes('{') ? Object.keys(ops).map((m) => ({ method: m.toUpperCase(), path })) : [],
    );
    expect(routes.length).toBeGreaterThanOrEqual(13);
    for (const { method, path } of routes) {
      const url = fill(path);
      const body = method === 'PATCH' || method === 'POST' ? (BODIES[`${method} ${path}`] ?? {}) : undefined;
      const res = await b.admin.request(method, url, body);
      expect({ method, path, status: res.statusCode }).toEqual({ method, path, status: 404 });
      expect(res.json().error.code).toBe('NOT_FOUND');
    }
    // Nothing was deleted or changed in Alpha.
    for (const c of ['employees', 'groups', 'projects', 'contacts', 'company/email-addresses']) {
      expect((await a.admin.request('GET', `/api/${c}/${ids[c]}`)).statusCode).toBe(200);
    }
    const own = `/api/employees/${ids.employees}/email-addresses/${ids['email-addresses']}`;
    expect((await a.admin.request('GET', own)).statusCode).toBe(200);
    expect((await a.admin.request('GET', '/api/tokens')).json().items).toHaveLength(1);
    const thread = (await a.admin.request('GET', `/api/tasks/${ids.tasks}/comments`)).json();
    expect(thread.items.map((c: { bodyText: string }) => c.bodyText)).toEqual(['Alpha comment']);
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
    expect((await b.admin.request('GET', '/api/company/email-addresses')).json().items).toEqual([]);
    expect((await b.admin.request('GET', `/api/senders?employeeId=${ids.employees}`)).statusCode).toBe(404);
    const test = await b.admin.request('POST', '/api/email-addresses/test', {
      addressId: ids['company/email-addresses'],
    });
    expect(test.statusCode).toBe(404);
    const audit = await b.admin.request('GET', '/api/audit-log');
    expect(
      audit.json().items.every((e: { targetId: string }) => !Object.values(ids).includes(e.targetId)),
    ).toBe(true);
  });

  it('refuses another workspace’s ids as references', async () => {
    const res = await b.admin.request('POST', '/api/groups', { name: 'Sneaky', memberIds: [ids.employees] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.fields[0]).toMatchObject({
      path: '/body/memberIds/0',
      code: 'unknown_reference',
    });
    const emp = await b.admin.request('POST', '/api/employees', {
      name: 'X',
      email: 'x.sneaky@example.com',
      groupIds: [ids.groups],
    });
    expect(emp.json().error.details.fields[0]).toMatchObject({
      path: '/body/groupIds/0',
      code: 'unknown_reference',
    });
  });

  it('does not let a token from one workspace reach another', async () => {
    const token = (await b.admin.request('POST', '/api/tokens', { name: 'Beta token' })).json().token;
    const res = await t.app.inject({
      url: `/api/projects/${ids.projects}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.statusCode).toBe(404);
  });
});
