import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressRow } from '../helpers/address-row.js';
import { startMailbox } from '../helpers/mail-servers.js';
import { type Caller, createTestApp, type TestApp, type TestWorkspace } from '../helpers/test-app.js';

let t: TestApp;
let ws: TestWorkspace;
let box: Awaited<ReturnType<typeof startMailbox>>;
beforeAll(async () => {
  t = await createTestApp({ testRateLimit: '1000' });
  ws = await t.newWorkspace();
  box = await startMailbox();
});
afterAll(async () => {
  await box?.close();
  await t?.close();
});

/** Runs Test account, then saves with its token. */
async function testAndSave(
  c: Caller,
  method: 'POST' | 'PATCH',
  url: string,
  extra: Record<string, unknown> = {},
) {
  const test = await c.request('POST', '/api/email-addresses/test', box.fields(extra));
  expect(test.json().ok, test.body).toBe(true);
  return c.request(
    method,
    url,
    { ...box.fields(extra), testToken: test.json().testToken },
    {
      'accept-language': 'pl',
    },
  );
}

describe('one mailbox, one row per list (issue 8 item 3)', () => {
  it('refuses the same mailbox twice in the company list with 409 and a link to the existing row', async () => {
    const first = await testAndSave(ws.admin, 'POST', '/api/company/email-addresses');
    expect(first.statusCode, first.body).toBe(201);
    // Different case is the same mailbox; refused before any test is needed.
    const again = await ws.admin.request(
      'POST',
      '/api/company/email-addresses',
      box.fields({ email: box.fields().email.toUpperCase() }),
      { 'accept-language': 'pl' },
    );
    expect(again.statusCode).toBe(409);
    const err = again.json().error;
    expect(err.code).toBe('ADDRESS_EXISTS');
    expect(err.message).toMatch(/jest już na tej liście/);
    expect(err.details.existing).toMatchObject({
      id: first.json().id,
      scope: 'company',
      href: `/api/company/email-addresses/${first.json().id}`,
    });
    expect((await ws.admin.request('GET', err.details.existing.href)).statusCode).toBe(200);
  });

  it('allows the same mailbox in an employee’s own list, but not twice there', async () => {
    const emp = await ws.newEmployee();
    const url = `/api/employees/${emp.employeeId}/email-addresses`;
    const own = await testAndSave(emp, 'POST', url);
    expect(own.statusCode, own.body).toBe(201);
    const again = await emp.request('POST', url, box.fields());
    expect(again.statusCode).toBe(409);
    expect(again.json().error.details.existing).toMatchObject({
      id: own.json().id,
      scope: 'employee',
      ownerEmployeeId: emp.employeeId,
      href: `${url}/${own.json().id}`,
    });
    // Another employee's own list is another list.
    const other = await ws.newEmployee();
    const theirs = await testAndSave(other, 'POST', `/api/employees/${other.employeeId}/email-addresses`);
    expect(theirs.statusCode, theirs.body).toBe(201);
  });

  it('refuses changing an address’s email to one already on its list', async () => {
    const emp = await ws.newEmployee();
    const url = `/api/employees/${emp.employeeId}/email-addresses`;
    const a = await testAndSave(emp, 'POST', url);
    // The second From is the employee's own work email (a personal address may not send as others).
    const b = await testAndSave(emp, 'POST', url, { email: emp.email });
    expect(b.statusCode, b.body).toBe(201);
    // A new From needs the password again (it follows the address, M21).
    const moved = await emp.request('PATCH', `${url}/${b.json().id}`, {
      email: 'Anna@Firma.example',
      password: box.fields().password,
    });
    expect(moved.statusCode).toBe(409);
    expect(moved.json().error.details.existing.id).toBe(a.json().id);
  });

  it('the database refuses a duplicate even past the service (unique index)', async () => {
    const repo = t.ctx.mailbox.addresses;
    const row = addressRow({ workspaceId: ws.workspaceId, scope: 'company', email: 'race@firma.example' });
    await repo.insert(row);
    await expect(repo.insert({ ...row, email: 'RACE@firma.example' })).rejects.toMatchObject({
      code: 'ADDRESS_EXISTS',
    });
  });
});

describe('project names are unique per workspace (issue 8 item 3)', () => {
  it('refuses a second project with the same name in any case, on create and on rename, naming the field', async () => {
    const created = await ws.admin.request('POST', '/api/projects', { name: 'Remont biura' });
    expect(created.statusCode).toBe(201);
    const dup = await ws.admin.request(
      'POST',
      '/api/projects',
      { name: 'remont BIURA' },
      { 'accept-language': 'pl' },
    );
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error).toMatchObject({ code: 'PROJECT_NAME_TAKEN' });
    expect(dup.json().error.message).toMatch(/już istnieje/);
    expect(dup.json().error.details.fields[0]).toMatchObject({ path: '/body/name', code: 'name_taken' });
    const other = await ws.admin.request('POST', '/api/projects', { name: 'Inny' });
    const rename = await ws.admin.request('PATCH', `/api/projects/${other.json().id}`, {
      name: 'Remont biura',
    });
    expect(rename.statusCode).toBe(409);
    // Another workspace may use the name.
    const ws2 = await t.newWorkspace();
    expect((await ws2.admin.request('POST', '/api/projects', { name: 'Remont biura' })).statusCode).toBe(201);
  });
});
