import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSenderContext } from '../../src/db/repositories/sender-context.query.js';
import type { Actor } from '../../src/domain/actor.js';
import { createSenderPreview } from '../../src/services/mailbox/sender-preview.js';
import { addressRow } from '../helpers/address-row.js';
import { createTestApp, type TestApp, type TestWorkspace } from '../helpers/test-app.js';

/**
 * The company-candidate cache (CompanyCandidateCache, keyed by workspaces.sender_version that
 * triggers bump) must never change a decision: after every kind of write, the app's cached
 * preview equals one computed from the database with no cache at all.
 */
let t: TestApp;
let ws: TestWorkspace;
let seq = 0;

beforeAll(async () => {
  t = await createTestApp();
  ws = await t.newWorkspace();
});
afterAll(async () => t?.close());

const uncached = () =>
  createSenderPreview({
    loadContext: (w, e, p) => loadSenderContext(t.ctx.db, w, e, p),
    systemSender: null,
  });

const version = async () => (await t.ctx.repos.workspaces.findById(ws.workspaceId))!;

async function companyAddress(extra: { projectIds?: string[]; groupIds?: string[] } = {}) {
  const email = `c${++seq}@firma.example`;
  const row = await t.ctx.mailbox.addresses.insert(
    addressRow({ workspaceId: ws.workspaceId, scope: 'company', email }),
  );
  if (extra.projectIds)
    await t.ctx.mailbox.addresses.replaceProjects(ws.workspaceId, row.id, extra.projectIds);
  if (extra.groupIds)
    await t.ctx.mailbox.addresses.replaceAccess(ws.workspaceId, row.id, {
      employeeIds: [],
      groupIds: extra.groupIds,
    });
  return row.id;
}

describe('sender choice with cached company addresses', () => {
  it('decides exactly as an uncached load after every kind of change', async () => {
    const admin: Actor = {
      workspaceId: ws.workspaceId,
      employeeId: ws.admin.employeeId,
      role: 'admin',
      name: 'Ada',
      via: 'session',
    };
    const member = await ws.newEmployee();
    const project = (await ws.admin.request('POST', '/api/projects', { name: 'Sklep' })).json().id as string;
    const group = (
      await ws.admin.request('POST', '/api/groups', { name: 'Obsługa', memberIds: [member.employeeId] })
    ).json().id as string;

    let projects: (string | null)[] = [null, project];
    const same = async (label: string) => {
      for (const projectId of projects) {
        const cached = await t.ctx.mailbox.senders.preview(admin, member.employeeId, projectId, 'en');
        const fresh = await uncached().preview(admin, member.employeeId, projectId, 'en');
        expect(cached, `${label} (project ${projectId ? 'Sklep' : 'none'})`).toEqual(fresh);
      }
    };

    await same('empty workspace');
    const open = await companyAddress();
    await same('company address added');
    const bound = await companyAddress({ projectIds: [project] });
    await same('address bound to a project');
    const grouped = await companyAddress({ groupIds: [group] });
    await same('address restricted to a group');

    const before = (await version()).senderVersion;
    await t.ctx.mailbox.addresses.update(ws.workspaceId, open, { health: 'needs_attention' });
    expect((await version()).senderVersion).toBeGreaterThan(before);
    await same('health changed');
    await t.ctx.mailbox.addresses.update(ws.workspaceId, open, { active: false, health: 'disabled' });
    await same('address disabled');
    await t.ctx.mailbox.addresses.replaceProjects(ws.workspaceId, bound, []);
    await same('project binding removed');
    await ws.admin.request('PATCH', `/api/groups/${group}`, { memberIds: [] });
    await same('employee left the group (not a company-address change)');
    await ws.admin.request('PATCH', `/api/groups/${group}`, { memberIds: [member.employeeId] });
    await same('employee back in the group');
    expect((await ws.admin.request('DELETE', `/api/groups/${group}`)).statusCode).toBe(204);
    await same('group deleted (cascade, guard disables the address)');
    expect((await ws.admin.request('DELETE', `/api/projects/${project}`)).statusCode).toBe(204);
    projects = [null];
    await same('project deleted');
    await t.ctx.mailbox.addresses.delete(ws.workspaceId, grouped);
    await same('address deleted');
  });

  it('keeps workspaces apart and sees addresses written outside this service', async () => {
    const other = await t.newWorkspace('Other');
    const admin = (w: TestWorkspace): Actor => ({
      workspaceId: w.workspaceId,
      employeeId: w.admin.employeeId,
      role: 'admin',
      name: 'Ada',
      via: 'session',
    });
    const mine = await t.ctx.mailbox.senders.preview(admin(ws), ws.admin.employeeId, null, 'en');
    const theirs = await t.ctx.mailbox.senders.preview(admin(other), other.admin.employeeId, null, 'en');
    const ids = (p: typeof mine) => [...p.decision.choices.map((c) => c.addressId)];
    expect(ids(theirs)).toEqual([]);
    expect(ids(mine).length).toBeGreaterThan(0);
    // A write through another connection (another process) is seen on the next call.
    const added = await companyAddress();
    const after = await t.ctx.mailbox.senders.preview(admin(ws), ws.admin.employeeId, null, 'en');
    expect(ids(after)).toContain(added);
  });
});
