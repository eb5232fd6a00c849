import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifications } from '../../src/db/schema/index.js';
import type { HealthEvent, HealthProblem } from '../../src/domain/mailbox/address-health.js';
import { addressRow } from '../helpers/address-row.js';
import { createTestApp, type TestApp, type TestWorkspace } from '../helpers/test-app.js';

const at = () => new Date().toISOString();
const problem = (summary: string): HealthProblem => ({
  direction: 'send',
  catalogueId: 'auth.wrong_password',
  reply: '535 5.7.8 Authentication failed',
  summary,
  at: at(),
});
const authFailed = (): HealthEvent => ({
  type: 'auth_failed',
  direction: 'send',
  problem: problem('535'),
  at: at(),
});
const failed = (): HealthEvent => ({
  type: 'failed',
  direction: 'send',
  problem: problem('timeout'),
  at: at(),
});

describe('address health recorder (M50)', () => {
  let t: TestApp;
  let ws: TestWorkspace;
  beforeAll(async () => {
    t = await createTestApp();
    ws = await t.newWorkspace();
  });
  afterAll(() => t.close());

  const noticesOf = (employeeId: string) =>
    t.ctx.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.workspaceId, ws.workspaceId), eq(notifications.employeeId, employeeId)));

  it('pauses an employee address on a refused login and tells its owner once', async () => {
    const emp = await ws.newEmployee();
    const row = await t.ctx.mailbox.addresses.insert(
      addressRow({
        workspaceId: ws.workspaceId,
        scope: 'employee',
        ownerEmployeeId: emp.employeeId,
        email: 'e1@firma.pl',
      }),
    );
    const first = await t.ctx.health.record(ws.workspaceId, row.id, authFailed());
    expect(first).toMatchObject({ status: 'needs_attention', changed: true });
    const again = await t.ctx.health.record(ws.workspaceId, row.id, authFailed());
    expect(again).toMatchObject({ status: 'needs_attention', changed: false });
    const stored = await t.ctx.mailbox.addresses.findById(ws.workspaceId, row.id);
    expect(stored).toMatchObject({ health: 'needs_attention', active: true });
    const notices = await noticesOf(emp.employeeId);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({
      kind: 'address_health',
      payload: {
        addressId: row.id,
        status: 'needs_attention',
        previousStatus: 'ok',
        catalogueId: 'auth.wrong_password',
      },
    });
    // The list shows why, with the server's reply (M43).
    const res = await emp.request('GET', `/api/employees/${emp.employeeId}/email-addresses/${row.id}`);
    expect(res.json()).toMatchObject({
      health: 'needs_attention',
      healthDetail: { reason: '535', reply: problem('').reply },
    });
  });

  it('tells the admins about a company address, once per status change and never per failure', async () => {
    const row = await t.ctx.mailbox.addresses.insert(
      addressRow({ workspaceId: ws.workspaceId, scope: 'company', email: 'biuro@firma.pl' }),
    );
    for (let i = 0; i < 5; i++) await t.ctx.health.record(ws.workspaceId, row.id, failed());
    await t.ctx.health.record(ws.workspaceId, row.id, { type: 'succeeded', direction: 'send', at: at() });
    const kinds = (await noticesOf(ws.admin.employeeId))
      .filter((n) => n.payload.addressId === row.id)
      .map((n) => n.payload.status);
    expect(kinds).toEqual(['failing', 'ok']);
  });

  it('keeps active in step with disabled and refuses enabling over a pending restriction review', async () => {
    const row = await t.ctx.mailbox.addresses.insert(
      addressRow({ workspaceId: ws.workspaceId, scope: 'company', email: 'sprzedaz@firma.pl' }),
    );
    await t.ctx.health.record(ws.workspaceId, row.id, {
      type: 'restriction_emptied',
      restriction: { code: 'projects_emptied', removed: 'Stary', removedKind: 'project', at: at() },
      at: at(),
    });
    expect(await t.ctx.mailbox.addresses.findById(ws.workspaceId, row.id)).toMatchObject({
      active: false,
      health: 'disabled',
    });
    await expect(
      t.ctx.health.record(ws.workspaceId, row.id, { type: 'enabled', at: at() }),
    ).rejects.toMatchObject({
      code: 'RESTRICTION_REVIEW_REQUIRED',
    });
    expect(
      await t.ctx.health.record(ws.workspaceId, 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', failed()),
    ).toBeNull();
  });
});
