import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAILBOX, startMailbox } from '../helpers/mail-servers.js';
import { type Caller, createTestApp, type TestApp, type TestWorkspace } from '../helpers/test-app.js';

let t: TestApp;
let ws: TestWorkspace;
let box: Awaited<ReturnType<typeof startMailbox>>;

beforeAll(async () => {
  [t, box] = await Promise.all([createTestApp({ testRateLimit: '1000' }), startMailbox()]);
  ws = await t.newWorkspace();
});
afterAll(() => Promise.all([box?.close(), t?.close()]));

async function ownAddress(emp: Caller, employeeId: string) {
  const url = `/api/employees/${employeeId}/email-addresses`;
  const test = await emp.request('POST', '/api/email-addresses/test', box.fields());
  expect(test.json().ok, test.body).toBe(true);
  const saved = await emp.request('POST', url, { ...box.fields(), testToken: test.json().testToken });
  expect(saved.statusCode, saved.body).toBe(201);
  return { url: `${url}/${saved.json().id}`, id: saved.json().id as string };
}

const issueOf = (body: string) => JSON.parse(body).error.details.fields[0];

describe('a personal address sends only as its own mailbox (SECURITY.md §3.3)', () => {
  it('changing the From needs the password again: the stored one is never reused for it', async () => {
    const emp = await ws.newEmployee();
    const { id } = await ownAddress(emp, emp.employeeId);
    const attempts = box.smtp.authAttempts.length;
    const test = await emp.request('POST', '/api/email-addresses/test', {
      addressId: id,
      email: 'prezes@firma.example',
      displayName: 'Prezes',
    });
    expect(test.statusCode, test.body).toBe(400);
    expect(JSON.parse(test.body).error.details.fields).toContainEqual(
      expect.objectContaining({ path: '/body/password', code: 'password_required_after_change' }),
    );
    expect(box.smtp.authAttempts.length).toBe(attempts);
  });

  it('a colleague’s address is refused even with the password, in test and save', async () => {
    const emp = await ws.newEmployee();
    const { url, id } = await ownAddress(emp, emp.employeeId);
    const asColleague = { email: 'prezes@firma.example', password: MAILBOX.password };
    const test = await emp.request(
      'POST',
      '/api/email-addresses/test',
      { addressId: id, ...asColleague },
      { 'accept-language': 'en' },
    );
    expect(test.statusCode, test.body).toBe(400);
    expect(issueOf(test.body)).toMatchObject({ path: '/body/email', code: 'sender_not_own' });
    expect(issueOf(test.body).message).toMatch(/own mailbox/);
    const save = await emp.request('PATCH', url, asColleague);
    expect(save.statusCode, save.body).toBe(400);
    expect(issueOf(save.body)).toMatchObject({ path: '/body/email', code: 'sender_not_own' });
    const fresh = await emp.request('POST', `/api/employees/${emp.employeeId}/email-addresses`, {
      ...box.fields({ email: 'biuro@firma.example' }),
    });
    expect(issueOf(fresh.body)).toMatchObject({ path: '/body/email', code: 'sender_not_own' });
  });

  it('the employee’s own work email with another login is fine; admins may set aliases', async () => {
    const emp = await ws.newEmployee();
    const own = await emp.request('POST', '/api/email-addresses/test', box.fields({ email: emp.email }));
    expect(own.statusCode, own.body).toBe(200);
    const byAdmin = await ws.admin.request('POST', '/api/email-addresses/test', {
      ...box.fields({ email: 'ewa.alias@firma.example' }),
      ownerEmployeeId: emp.employeeId,
    });
    expect(byAdmin.statusCode, byAdmin.body).toBe(200);
    const company = await ws.admin.request('POST', '/api/email-addresses/test', {
      ...box.fields({ email: 'biuro@firma.example' }),
      scope: 'company',
    });
    expect(company.statusCode, company.body).toBe(200);
  });
});
