import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressRow } from '../helpers/address-row.js';
import { type Caller, createTestApp, type TestApp, type TestWorkspace } from '../helpers/test-app.js';

/**
 * Reviewer-style scenarios for choosing the sender (SPEC §3 M24–M28, M48), written from the
 * SPEC alone. Addresses come straight from the repository (the gate is tested elsewhere);
 * everything observed goes through GET /api/senders. Each scenario uses a fresh workspace,
 * so no other scenario's company addresses take part in the decision.
 */
let t: TestApp;
const responses: LightMyRequestResponse[] = [];
const call = async (c: Caller, method: string, url: string, body?: unknown, h?: Record<string, string>) => {
  const r = await c.request(method, url, body, h);
  responses.push(r);
  return r;
};

beforeAll(async () => {
  t = await createTestApp({ testRateLimit: '1000' });
});
afterAll(async () => t?.close());

type Health = 'ok' | 'failing' | 'needs_attention' | 'needs_reconnect' | 'disabled';
interface AddressSpec {
  owner?: string;
  projectIds?: string[];
  access?: { employeeIds?: string[]; groupIds?: string[] };
  active?: boolean;
  health?: Health;
  /** Minutes after a fixed epoch: a smaller number is an older address. */
  createdMin?: number;
}

const EPOCH = Date.parse('2024-01-01T00:00:00Z');
let seq = 0;

async function address(ws: TestWorkspace, spec: AddressSpec = {}): Promise<string> {
  const email = `a${++seq}@firma.example`;
  const row = await t.ctx.mailbox.addresses.insert(
    addressRow({
      workspaceId: ws.workspaceId,
      scope: spec.owner ? 'employee' : 'company',
      ownerEmployeeId: spec.owner ?? null,
      email,
      active: spec.active ?? true,
      health: spec.health ?? 'ok',
      createdAt: new Date(EPOCH + (spec.createdMin ?? seq) * 60_000),
    }),
  );
  if (spec.projectIds) await t.ctx.mailbox.addresses.replaceProjects(ws.workspaceId, row.id, spec.projectIds);
  if (spec.access)
    await t.ctx.mailbox.addresses.replaceAccess(ws.workspaceId, row.id, {
      employeeIds: spec.access.employeeIds ?? [],
      groupIds: spec.access.groupIds ?? [],
    });
  return row.id;
}

async function project(ws: TestWorkspace, name = 'Brand') {
  const r = await call(ws.admin, 'POST', '/api/projects', { name: `${name} ${++seq}` });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id as string;
}

interface Preview {
  default: { addressId: string | null; step: number } | null;
  choices: Array<{ addressId: string; step: number; because: { rule: string; tieBreak?: string } }>;
  excluded: Array<{ addressId: string; reasons: string[] }>;
  sentences: string[];
}

async function preview(c: Caller, employeeId: string, projectId?: string, taskId?: string): Promise<Preview> {
  const q = new URLSearchParams({ employeeId, excludedLimit: '1000' });
  if (projectId) q.set('projectId', projectId);
  if (taskId) q.set('taskId', taskId);
  const r = await call(c, 'GET', `/api/senders?${q}`);
  expect(r.statusCode, r.body).toBe(200);
  return r.json();
}

const ids = (p: Preview) => p.choices.map((c) => c.addressId);
const reasonsOf = (p: Preview, id: string) => p.excluded.find((x) => x.addressId === id)?.reasons;

describe('M25 precedence', () => {
  it('own bound to P, then own for all projects, then company bound to P, then company for all', async () => {
    const ws = await t.newWorkspace();
    const e = await ws.newEmployee();
    const p = await project(ws);
    // Created newest-first on purpose: the order must come from the steps, not from age.
    const companyAll = await address(ws, { createdMin: 1 });
    const companyP = await address(ws, { projectIds: [p], createdMin: 2 });
    const ownAll = await address(ws, { owner: e.employeeId, createdMin: 3 });
    const ownP = await address(ws, { owner: e.employeeId, projectIds: [p], createdMin: 4 });

    const all = await preview(ws.admin, e.employeeId, p);
    expect(all.default).toMatchObject({ addressId: ownP, step: 1 });
    expect(ids(all)).toEqual([ownP, ownAll, companyP, companyAll]);
    expect(all.choices.map((c) => c.step)).toEqual([1, 2, 3, 4]);
    expect(all.excluded).toEqual([]);

    // Disabling through the API (no test needed) moves the default one step down, with a reason.
    const url = `/api/employees/${e.employeeId}/email-addresses/${ownP}`;
    expect((await call(e, 'PATCH', url, { active: false })).statusCode).toBe(200);
    const next = await preview(e, e.employeeId, p);
    expect(next.default).toMatchObject({ addressId: ownAll, step: 2 });
    expect(reasonsOf(next, ownP)).toContain('disabled');
    expect(ids(next)).not.toContain(ownP);

    // Outside any project, only addresses for all projects apply.
    const none = await preview(ws.admin, e.employeeId);
    expect(none.default).toMatchObject({ addressId: ownAll });
    expect(ids(none)).toEqual([ownAll, companyAll]);
    expect(reasonsOf(none, companyP)).toEqual(['bound_to_other_projects']);
  });

  it('excludes addresses bound to other projects, with the reason', async () => {
    const ws = await t.newWorkspace();
    const e = await ws.newEmployee();
    const p = await project(ws);
    const q = await project(ws);
    const ownQ = await address(ws, { owner: e.employeeId, projectIds: [q] });
    const companyQ = await address(ws, { projectIds: [q] });
    const companyPQ = await address(ws, { projectIds: [p, q] });
    const r = await preview(ws.admin, e.employeeId, p);
    expect(ids(r)).toEqual([companyPQ]);
    expect(reasonsOf(r, ownQ)).toEqual(['bound_to_other_projects']);
    expect(reasonsOf(r, companyQ)).toEqual(['bound_to_other_projects']);
  });

  it('ties: used last in this task, then used last anywhere, then oldest (usage recorded through the repository)', async () => {
    // No API records use yet (there is no tasks/comments API): history goes in through the repository.
    const ws = await t.newWorkspace();
    const e = await ws.newEmployee();
    const other = await ws.newEmployee();
    const oldest = await address(ws, { createdMin: 1 });
    const middle = await address(ws, { createdMin: 2 });
    const newest = await address(ws, { createdMin: 3 });
    expect((await preview(ws.admin, e.employeeId)).default).toMatchObject({ addressId: oldest, step: 4 });

    // Someone else's use does not count for E.
    await t.ctx.mailbox.addresses.recordUsage(
      ws.workspaceId,
      other.employeeId,
      newest,
      null,
      null,
      new Date(),
    );
    expect((await preview(ws.admin, e.employeeId)).default?.addressId).toBe(oldest);

    const task = randomUUID();
    const at = (min: number) => new Date(Date.now() - 60 * 60_000 + min * 60_000);
    await t.ctx.mailbox.addresses.recordUsage(ws.workspaceId, e.employeeId, middle, task, null, at(1));
    await t.ctx.mailbox.addresses.recordUsage(
      ws.workspaceId,
      e.employeeId,
      newest,
      randomUUID(),
      null,
      at(2),
    );

    const anywhere = await preview(ws.admin, e.employeeId);
    expect(ids(anywhere)).toEqual([newest, middle, oldest]);
    expect(anywhere.choices[0]!.because.tieBreak).toBe('last_used');

    const inTask = await preview(ws.admin, e.employeeId, undefined, task);
    expect(ids(inTask)).toEqual([middle, newest, oldest]);
    expect(inTask.choices[0]!.because.tieBreak).toBe('last_used_in_task');
  });

  it('ties never cross steps: a recently used company address does not beat an unused own one', async () => {
    const ws = await t.newWorkspace();
    const e = await ws.newEmployee();
    const company = await address(ws, { createdMin: 1 });
    const own = await address(ws, { owner: e.employeeId, createdMin: 2 });
    await t.ctx.mailbox.addresses.recordUsage(ws.workspaceId, e.employeeId, company, null, null, new Date());
    expect((await preview(e, e.employeeId)).default?.addressId).toBe(own);
  });
});

describe('M24 applicability', () => {
  it('company access: listed employee or a group of E applies; a list without E excludes with no_access', async () => {
    const ws = await t.newWorkspace();
    const e = await ws.newEmployee();
    const colleague = await ws.newEmployee();
    const group = (
      await call(ws.admin, 'POST', '/api/groups', { name: 'Support', memberIds: [e.employeeId] })
    ).json();
    const othersOnly = await address(ws, { access: { employeeIds: [colleague.employeeId] } });
    const viaGroup = await address(ws, { access: { groupIds: [group.id] } });
    const direct = await address(ws, { access: { employeeIds: [e.employeeId] } });
    const colleagueOwn = await address(ws, { owner: colleague.employeeId });

    const r = await preview(ws.admin, e.employeeId);
    expect(ids(r).sort()).toEqual([viaGroup, direct].sort());
    expect(reasonsOf(r, othersOnly)).toEqual(['no_access']);
    // A colleague's personal address is never offered to E.
    expect(ids(r)).not.toContain(colleagueOwn);

    // Leaving the group takes the access away.
    await call(ws.admin, 'PATCH', `/api/groups/${group.id}`, { memberIds: [] });
    expect(reasonsOf(await preview(ws.admin, e.employeeId), viaGroup)).toEqual(['no_access']);
  });

  it('needs_attention and needs_reconnect are excluded with their reason; failing still applies', async () => {
    const ws = await t.newWorkspace();
    const e = await ws.newEmployee();
    const paused = await address(ws, { owner: e.employeeId, health: 'needs_attention' });
    const lost = await address(ws, { owner: e.employeeId, health: 'needs_reconnect' });
    const failing = await address(ws, { owner: e.employeeId, health: 'failing' });
    const r = await preview(e, e.employeeId);
    expect(ids(r)).toEqual([failing]);
    expect(reasonsOf(r, paused)).toEqual(['needs_attention']);
    expect(reasonsOf(r, lost)).toEqual(['needs_reconnect']);
  });

  it('with nothing applicable there is no default and the preview says so', async () => {
    const ws = await t.newWorkspace();
    const e = await ws.newEmployee();
    const p = await project(ws);
    const off = await address(ws, { active: false });
    const r = await preview(ws.admin, e.employeeId, p);
    expect(r.default).toBeNull();
    expect(r.choices).toEqual([]);
    expect(reasonsOf(r, off)).toEqual(['disabled']);
    expect(r.sentences.length).toBeGreaterThan(0);
  });
});

describe('deleting what an address is limited to never widens it (M13, M24)', () => {
  // An access list or project list that empties because its only entry was deleted must not
  // turn into "everyone" / "all projects": nobody chose that.
  it('deleting the only group on an access list does not open a company address to everyone', async () => {
    const ws = await t.newWorkspace();
    const member = await ws.newEmployee();
    const outsider = await ws.newEmployee();
    const group = (
      await call(ws.admin, 'POST', '/api/groups', { name: 'Sales', memberIds: [member.employeeId] })
    ).json();
    const restricted = await address(ws, { access: { groupIds: [group.id] } });
    expect(reasonsOf(await preview(ws.admin, outsider.employeeId), restricted)).toEqual(['no_access']);

    expect((await call(ws.admin, 'DELETE', `/api/groups/${group.id}`)).statusCode).toBe(204);
    expect(ids(await preview(ws.admin, outsider.employeeId))).not.toContain(restricted);
    // Disabled in the same transaction, with the reason kept for the admin and the audit log.
    const after = (await call(ws.admin, 'GET', `/api/company/email-addresses/${restricted}`)).json();
    expect(after).toMatchObject({
      active: false,
      health: 'disabled',
      healthDetail: { code: 'access_list_emptied', removed: 'Sales', removedKind: 'group' },
    });
    const audit = await call(
      ws.admin,
      'GET',
      `/api/audit-log?targetId=${restricted}&action=email_address.disabled`,
    );
    expect(audit.json().items[0].details).toMatchObject({ reason: 'access_list_emptied', removed: 'Sales' });

    // Enabling it as it is would open it to everyone: refused until the access list is stated.
    const url = `/api/company/email-addresses/${restricted}`;
    const plain = await call(ws.admin, 'PATCH', url, { active: true });
    expect(plain.statusCode).toBe(409);
    expect(plain.json().error.code).toBe('RESTRICTION_REVIEW_REQUIRED');
    expect(ids(await preview(ws.admin, outsider.employeeId))).not.toContain(restricted);
    const stated = await call(ws.admin, 'PATCH', url, {
      active: true,
      access: { employeeIds: [member.employeeId], groupIds: [] },
    });
    expect(stated.statusCode, stated.body).toBe(200);
    expect(stated.json()).toMatchObject({ active: true, health: 'ok' });
    expect(stated.json().healthDetail?.code).toBeUndefined();
    expect(ids(await preview(ws.admin, outsider.employeeId))).not.toContain(restricted);
    expect(ids(await preview(ws.admin, member.employeeId))).toContain(restricted);
    const listed = (await call(outsider, 'GET', '/api/company/email-addresses')).json().items;
    expect(listed.map((a: { id: string }) => a.id)).not.toContain(restricted);
  });

  it('deleting the only employee on an access list does not open a company address to everyone', async () => {
    const ws = await t.newWorkspace();
    const leaver = await ws.newEmployee();
    const outsider = await ws.newEmployee();
    const restricted = await address(ws, { access: { employeeIds: [leaver.employeeId] } });
    expect((await call(ws.admin, 'DELETE', `/api/employees/${leaver.employeeId}`)).statusCode).toBe(204);
    expect(ids(await preview(ws.admin, outsider.employeeId))).not.toContain(restricted);
  });

  it('deleting the only project of an address does not make it an address for all projects', async () => {
    const ws = await t.newWorkspace();
    const e = await ws.newEmployee();
    const brandB = await project(ws, 'Brand B');
    const brandA = await project(ws, 'Brand A');
    const brandBOnly = await address(ws, { projectIds: [brandB] });
    expect(ids(await preview(ws.admin, e.employeeId, brandA))).toEqual([]);
    expect((await call(ws.admin, 'DELETE', `/api/projects/${brandB}`)).statusCode).toBe(204);
    // Brand B's mailbox must not become the sender for Brand A's clients.
    expect(ids(await preview(ws.admin, e.employeeId, brandA))).not.toContain(brandBOnly);
  });
});

describe('who may ask for a preview (M28, M48)', () => {
  let ws: TestWorkspace;
  let foreign: TestWorkspace;
  let e: Caller;
  let colleague: Caller;
  let foreignEmployee: Caller;
  beforeAll(async () => {
    ws = await t.newWorkspace();
    foreign = await t.newWorkspace('Foreign');
    e = await ws.newEmployee();
    colleague = await ws.newEmployee();
    foreignEmployee = await foreign.newEmployee();
  });

  it('admins preview anyone in their workspace; an employee previews themself (the composer) only', async () => {
    expect((await call(ws.admin, 'GET', `/api/senders?employeeId=${e.employeeId}`)).statusCode).toBe(200);
    expect((await call(e, 'GET', `/api/senders?employeeId=${e.employeeId}`)).statusCode).toBe(200);
    const r = await call(e, 'GET', `/api/senders?employeeId=${colleague.employeeId}`);
    expect(r.statusCode).toBe(403);
    expect(r.json().error.code).toBe('FORBIDDEN');
    const anon = await t.app.inject({ url: `/api/senders?employeeId=${e.employeeId}` });
    expect(anon.statusCode).toBe(401);
  });

  it('another workspace’s employee or project answers 404 to an admin', async () => {
    const a = await call(ws.admin, 'GET', `/api/senders?employeeId=${foreignEmployee.employeeId}`);
    expect(a.statusCode).toBe(404);
    const foreignProject = await project(foreign);
    const p = await call(
      ws.admin,
      'GET',
      `/api/senders?employeeId=${e.employeeId}&projectId=${foreignProject}`,
    );
    expect(p.statusCode).toBe(404);
    const unknown = await call(ws.admin, 'GET', `/api/senders?employeeId=${randomUUID()}`);
    expect(unknown.statusCode).toBe(404);
    expect(JSON.stringify(a.json()) + p.body).not.toContain('Foreign');
  });

  it('another workspace’s employee answers 404 to a non-admin too (M48: such requests answer 404)', async () => {
    const r = await call(e, 'GET', `/api/senders?employeeId=${foreignEmployee.employeeId}`);
    expect(r.statusCode).toBe(404);
  });

  it('refuses malformed ids with a field path', async () => {
    const r = await call(ws.admin, 'GET', '/api/senders?employeeId=not-a-uuid');
    expect(r.statusCode).toBe(400);
    expect(r.json().error.details.fields[0].path).toBe('/querystring/employeeId');
  });
});

describe('secrets (M51)', () => {
  it('no preview carries address secrets or ciphertexts', () => {
    expect(responses.length).toBeGreaterThan(20);
    const all = responses.map((r) => r.body).join('\n');
    expect(all).not.toMatch(/mc1:/);
    expect(all).not.toMatch(/"password(Enc)?":/); // the key; "authType":"password" is fine
  });
});
