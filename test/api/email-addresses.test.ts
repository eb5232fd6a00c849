import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialHealth, nextHealth } from '../../src/domain/mailbox/address-health.js';
import { encodeHealth } from '../../src/domain/mailbox/address-health-codec.js';
import { MAILBOX, startMailbox } from '../helpers/mail-servers.js';
import { type Caller, createTestApp, type TestApp, type TestWorkspace } from '../helpers/test-app.js';

let t: TestApp;
let ws: TestWorkspace;
let box: Awaited<ReturnType<typeof startMailbox>>;
const responses: LightMyRequestResponse[] = [];
const call = async (
  c: Caller,
  method: string,
  url: string,
  body?: unknown,
  headers?: Record<string, string>,
) => {
  const r = await c.request(method, url, body, headers);
  responses.push(r);
  return r;
};

beforeAll(async () => {
  t = await createTestApp({ testRateLimit: '1000' });
  ws = await t.newWorkspace();
  box = await startMailbox();
});
afterAll(async () => {
  await box?.close();
  await t?.close();
});

/** Runs Test account and saves with the token it returned. */
async function testAndCreate(
  c: Caller,
  url: string,
  fields: Record<string, unknown>,
  testExtra: Record<string, unknown>,
) {
  const test = await call(c, 'POST', '/api/email-addresses/test', { ...fields, ...testExtra });
  expect(test.json().ok, test.body).toBe(true);
  return call(c, 'POST', url, { ...fields, testToken: test.json().testToken });
}

describe('Test account (M17–M22)', () => {
  it('probes SMTP and POP3 step by step and returns a test token; nothing is sent', async () => {
    const emp = await ws.newEmployee();
    const res = await call(emp, 'POST', '/api/email-addresses/test', box.fields());
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.ok).toBe(true);
    expect(body.testToken).toMatch(/^tt1\./);
    expect(body.smtp.steps.map((s: { id: string }) => s.id)).toEqual([
      'resolve',
      'connect',
      'tls',
      'greeting',
      'ehlo',
      'auth',
      'mail_from',
      'rcpt_to',
      'quit',
    ]);
    expect(body.smtp.steps.every((s: { outcome: string }) => s.outcome === 'ok')).toBe(true);
    expect(body.incoming.steps.map((s: { id: string }) => s.id)).toContain('uidl');
    expect(box.smtp.messages).toHaveLength(0);
    expect(body.durationMs).toBeLessThan(30_000);
  });

  it('explains a refused password in plain words beside the server reply, and gives no token', async () => {
    const emp = await ws.newEmployee();
    const res = await call(
      emp,
      'POST',
      '/api/email-addresses/test',
      box.fields({ password: 'wrong password' }),
      { 'accept-language': 'pl' },
    );
    const body = res.json();
    expect(body.ok).toBe(false);
    expect(body.testToken).toBeUndefined();
    const auth = body.smtp.steps.find((s: { id: string }) => s.id === 'auth');
    expect(auth.outcome).toBe('failed');
    expect(auth.diagnosis.cause.length).toBeGreaterThan(10);
    expect(auth.diagnosis.userAction.length).toBeGreaterThan(10);
    expect(body.smtp.steps.at(-1).outcome).toBe('skipped');
    expect(body.incoming.ok).toBe(false);
    expect(res.body).not.toContain('wrong password');
  });

  it('refuses non-public targets with one generic message and no socket', async () => {
    const emp = await ws.newEmployee();
    const before = box.smtp.connections();
    const res = await call(
      emp,
      'POST',
      '/api/email-addresses/test',
      box.fields({
        smtp: { host: '10.0.0.5', port: 465, security: 'tls' },
        incoming: { protocol: 'pop3', host: '169.254.169.254', port: 995, security: 'tls' },
      }),
    );
    const body = res.json();
    expect(body.ok).toBe(false);
    for (const dir of [body.smtp, body.incoming]) {
      // Its own step (issue 8), not a DNS failure.
      expect(dir.steps[0]).toMatchObject({
        id: 'address_allowed',
        outcome: 'failed',
        reply: null,
        info: null,
      });
      expect(dir.steps[0].failure.kind).toBe('policy');
    }
    expect(body.smtp.diagnosis.id).toBe(body.incoming.diagnosis.id);
    expect(box.smtp.connections()).toBe(before);
  });

  it('rejects bad fields with paths before any connection', async () => {
    const emp = await ws.newEmployee();
    const res = await call(
      emp,
      'POST',
      '/api/email-addresses/test',
      box.fields({
        email: 'a@b.pl\r\nBcc: x@y.pl',
        smtp: { host: 'bad host', port: 70000, security: 'tls' },
        password: 'x\r\nUSER evil',
      }),
    );
    expect(res.statusCode).toBe(400);
    const paths = res.json().error.details.fields.map((f: { path: string }) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['/body/smtp/host', '/body/smtp/port', '/body/password']));
  });

  it('does not allow plaintext to a server the operator did not allow-list', async () => {
    const emp = await ws.newEmployee();
    const res = await call(
      emp,
      'POST',
      '/api/email-addresses/test',
      box.fields({ smtp: { host: 'smtp.example.com', port: 587, security: 'none' } }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.fields[0]).toMatchObject({
      path: '/body/smtp/security',
      code: 'plaintext_not_allowed',
    });
  });
});

describe('saving requires a passing test (M17, M20, M21)', () => {
  it('creates an employee address with a matching token; without one, or after a change, the server refuses', async () => {
    const emp = await ws.newEmployee();
    const url = `/api/employees/${emp.employeeId}/email-addresses`;
    const noToken = await call(emp, 'POST', url, box.fields());
    expect(noToken.statusCode).toBe(409);
    expect(noToken.json().error.code).toBe('TEST_REQUIRED');

    const test = (await call(emp, 'POST', '/api/email-addresses/test', box.fields())).json();
    const changedAfterTest = await call(emp, 'POST', url, {
      ...box.fields({ smtp: { host: '127.0.0.1', port: box.smtp.port, security: 'starttls' } }),
      testToken: test.testToken,
    });
    expect(changedAfterTest.json().error.code).toBe('TEST_REQUIRED');
    const otherPassword = await call(emp, 'POST', url, {
      ...box.fields({ password: 'another' }),
      testToken: test.testToken,
    });
    expect(otherPassword.json().error.code).toBe('TEST_REQUIRED');

    const created = await call(emp, 'POST', url, {
      ...box.fields({ displayName: 'Anna z Firmy' }),
      testToken: test.testToken,
    });
    expect(created.statusCode).toBe(201);
    const a = created.json();
    expect(a).toMatchObject({
      scope: 'employee',
      ownerEmployeeId: emp.employeeId,
      email: MAILBOX.email,
      passwordSet: true,
      health: 'ok',
      active: true,
    });
    expect(a.lastTestOkAt).toBeTruthy();
    expect(a).not.toHaveProperty('password');
    expect(a).not.toHaveProperty('passwordEnc');

    // A token is bound to its workspace.
    const other = await t.newWorkspace('Other');
    const foreign = await call(other.admin, 'POST', '/api/company/email-addresses', {
      ...box.fields(),
      testToken: test.testToken,
    });
    expect(foreign.json().error.code).toBe('TEST_REQUIRED');
  });

  it('saves non-connection fields without a test, and requires the password again when the endpoint changes', async () => {
    const emp = await ws.newEmployee();
    const url = `/api/employees/${emp.employeeId}/email-addresses`;
    const a = (await testAndCreate(emp, url, box.fields(), {})).json();
    const project = (await call(ws.admin, 'POST', '/api/projects', { name: 'Brand B' })).json();

    const plain = await call(emp, 'PATCH', `${url}/${a.id}`, {
      displayName: 'Anna',
      replyTo: 'biuro@firma.example',
      projectIds: [project.id],
      options: { bccSelf: true },
      signatureText: '--\nAnna',
    });
    expect(plain.statusCode).toBe(200);
    expect(plain.json()).toMatchObject({
      displayName: 'Anna',
      replyTo: 'biuro@firma.example',
      projectIds: [project.id],
      options: { bccSelf: true },
    });

    const moved = await call(emp, 'PATCH', `${url}/${a.id}`, {
      smtp: { host: '127.0.0.1', port: box.smtp.port + 1 },
    });
    expect(moved.statusCode).toBe(400);
    expect(moved.json().error.details.fields[0]).toMatchObject({
      path: '/body/password',
      code: 'password_required_after_change',
    });

    // Testing the moved endpoint without a password never sends the stored one there.
    const attempts = box.smtp.authAttempts.length;
    const probe = await call(emp, 'POST', '/api/email-addresses/test', {
      addressId: a.id,
      smtp: { host: '127.0.0.1', port: box.smtp.port, security: 'starttls' },
    });
    expect(probe.statusCode).toBe(400);
    expect(box.smtp.authAttempts.length).toBe(attempts);

    const withoutToken = await call(emp, 'PATCH', `${url}/${a.id}`, { password: MAILBOX.password });
    expect(withoutToken.json().error.code).toBe('TEST_REQUIRED');
  });

  it('re-tests a saved address with its stored password server-side', async () => {
    const emp = await ws.newEmployee();
    const url = `/api/employees/${emp.employeeId}/email-addresses`;
    const a = (await testAndCreate(emp, url, box.fields(), {})).json();
    const before = box.smtp.authAttempts.length;
    const res = await call(emp, 'POST', '/api/email-addresses/test', { addressId: a.id });
    expect(res.json().ok).toBe(true);
    const attempt = box.smtp.authAttempts.at(-1)!;
    expect(box.smtp.authAttempts.length).toBe(before + 1);
    expect(attempt).toMatchObject({ username: MAILBOX.login, accepted: true });
    expect(attempt.password).toBe(MAILBOX.password); // exact, spaces and Unicode included (SECURITY §7.18)
  });

  it('disabling and enabling again keeps an authentication pause (M33) until settings pass a test', async () => {
    const emp = await ws.newEmployee();
    const url = `/api/employees/${emp.employeeId}/email-addresses`;
    const a = (await testAndCreate(emp, url, box.fields(), {})).json();
    const pause = nextHealth(initialHealth(true, new Date().toISOString()), {
      type: 'auth_failed',
      direction: 'send',
      problem: {
        direction: 'send',
        catalogueId: 'auth.wrong_password',
        reply: '535 5.7.8 Authentication failed',
        summary: 'auth 535',
        at: new Date().toISOString(),
      },
      at: new Date().toISOString(),
    });
    if (!pause.ok) throw new Error('transition refused');
    await t.ctx.mailbox.addresses.update(ws.workspaceId, a.id, encodeHealth(pause.health));
    const shown = {
      reason: 'auth 535',
      reply: '535 5.7.8 Authentication failed',
      catalogueId: 'auth.wrong_password',
    };
    expect((await call(emp, 'PATCH', `${url}/${a.id}`, { active: false })).json()).toMatchObject({
      active: false,
      health: 'disabled',
      healthDetail: { previousStatus: 'needs_attention', ...shown },
    });
    expect((await call(emp, 'PATCH', `${url}/${a.id}`, { active: true })).json()).toMatchObject({
      active: true,
      health: 'needs_attention',
      healthDetail: shown,
    });
    // Only a passing test of the settings lifts it.
    const retest = await call(emp, 'POST', '/api/email-addresses/test', { addressId: a.id });
    expect(retest.json().ok).toBe(true);
    expect((await call(emp, 'GET', `${url}/${a.id}`)).json()).toMatchObject({
      health: 'ok',
      healthDetail: null,
    });
  });

  it('disables and enables, with health and audit entries that never hold the password', async () => {
    const emp = await ws.newEmployee();
    const url = `/api/employees/${emp.employeeId}/email-addresses`;
    const a = (await testAndCreate(emp, url, box.fields(), {})).json();
    expect((await call(emp, 'PATCH', `${url}/${a.id}`, { active: false })).json()).toMatchObject({
      active: false,
      health: 'disabled',
    });
    expect((await call(emp, 'PATCH', `${url}/${a.id}`, { active: true })).json()).toMatchObject({
      active: true,
      health: 'ok',
    });
    const audit = (await call(ws.admin, 'GET', `/api/audit-log?targetId=${a.id}`)).json().items;
    expect(audit.map((e: { action: string }) => e.action)).toEqual([
      'email_address.enabled',
      'email_address.disabled',
      'email_address.created',
    ]);
    const tests = (await call(ws.admin, 'GET', '/api/audit-log?action=email_address.tested')).json();
    expect(tests.total).toBeGreaterThan(0);
    expect(tests.items[0].details.smtp).toMatchObject({ host: '127.0.0.1' });
    expect(JSON.stringify(audit) + JSON.stringify(tests)).not.toContain(MAILBOX.password);
    expect((await call(emp, 'DELETE', `${url}/${a.id}`)).statusCode).toBe(204);
  });
});

describe('permissions (M48)', () => {
  it('company addresses are for admins; employees see those they have access to, read-only', async () => {
    const e1 = await ws.newEmployee();
    const e2 = await ws.newEmployee();
    const group = (
      await call(ws.admin, 'POST', '/api/groups', { name: 'Support', memberIds: [e1.employeeId] })
    ).json();

    const denied = await call(e1, 'POST', '/api/email-addresses/test', { ...box.fields(), scope: 'company' });
    expect(denied.statusCode).toBe(403);
    expect((await call(e1, 'POST', '/api/company/email-addresses', box.fields())).statusCode).toBe(403);

    const company = (
      await testAndCreate(
        ws.admin,
        '/api/company/email-addresses',
        box.fields({ email: 'support@firma.example', access: { groupIds: [group.id] } }),
        { scope: 'company' },
      )
    ).json();
    expect(company.access.groupIds).toEqual([group.id]);

    const seen1 = (await call(e1, 'GET', '/api/company/email-addresses'))
      .json()
      .items.map((x: { id: string }) => x.id);
    const seen2 = (await call(e2, 'GET', '/api/company/email-addresses'))
      .json()
      .items.map((x: { id: string }) => x.id);
    expect(seen1).toContain(company.id);
    expect(seen2).not.toContain(company.id);
    expect((await call(e2, 'GET', `/api/company/email-addresses/${company.id}`)).statusCode).toBe(403);
    expect(
      (await call(e1, 'PATCH', `/api/company/email-addresses/${company.id}`, { displayName: 'x' }))
        .statusCode,
    ).toBe(403);
    expect((await call(e1, 'DELETE', `/api/company/email-addresses/${company.id}`)).statusCode).toBe(403);
  });

  it('an employee cannot see, test or change a colleague’s addresses', async () => {
    const owner = await ws.newEmployee();
    const other = await ws.newEmployee();
    const url = `/api/employees/${owner.employeeId}/email-addresses`;
    const a = (await testAndCreate(owner, url, box.fields(), {})).json();
    expect((await call(other, 'GET', url)).statusCode).toBe(403);
    expect((await call(other, 'GET', `${url}/${a.id}`)).statusCode).toBe(403);
    expect((await call(other, 'PATCH', `${url}/${a.id}`, { displayName: 'x' })).statusCode).toBe(403);
    expect((await call(other, 'POST', '/api/email-addresses/test', { addressId: a.id })).statusCode).toBe(
      403,
    );
    expect((await call(other, 'POST', url, box.fields())).statusCode).toBe(403);
    // Admins manage everyone's.
    expect(
      (await call(ws.admin, 'PATCH', `${url}/${a.id}`, { displayName: 'Set by admin' })).statusCode,
    ).toBe(200);
  });

  it('access lists are refused on employee addresses', async () => {
    const emp = await ws.newEmployee();
    const test = (await call(emp, 'POST', '/api/email-addresses/test', box.fields())).json();
    const res = await call(emp, 'POST', `/api/employees/${emp.employeeId}/email-addresses`, {
      ...box.fields(),
      access: { employeeIds: [emp.employeeId] },
      testToken: test.testToken,
    });
    expect(res.json().error.details.fields[0]).toMatchObject({ path: '/body/access', code: 'not_allowed' });
  });
});

describe('sender preview (M28)', () => {
  it('explains who sends as what, in project and out of it', async () => {
    const emp = await ws.newEmployee({ name: 'Piotr' });
    const group = (
      await call(ws.admin, 'POST', '/api/groups', { name: 'Sales', memberIds: [emp.employeeId] })
    ).json();
    const project = (await call(ws.admin, 'POST', '/api/projects', { name: 'Brand C' })).json();
    const company = (
      await testAndCreate(
        ws.admin,
        '/api/company/email-addresses',
        box.fields({
          email: 'sales@firma.example',
          access: { groupIds: [group.id] },
          projectIds: [project.id],
        }),
        { scope: 'company' },
      )
    ).json();

    const inProject = (
      await call(
        ws.admin,
        'GET',
        `/api/senders?employeeId=${emp.employeeId}&projectId=${project.id}`,
        undefined,
        { 'accept-language': 'pl' },
      )
    ).json();
    expect(inProject.default).toMatchObject({ addressId: company.id, step: 3 });
    expect(inProject.sentences.join(' ')).toContain('Piotr');

    const own =
      // An alias (not the login, not Piotr's own email) on a personal address: admins only.
      (
        await testAndCreate(
          ws.admin,
          `/api/employees/${emp.employeeId}/email-addresses`,
          box.fields({ email: 'piotr@firma.example' }),
          { ownerEmployeeId: emp.employeeId },
        )
      ).json();
    const now = (
      await call(ws.admin, 'GET', `/api/senders?employeeId=${emp.employeeId}&projectId=${project.id}`)
    ).json();
    expect(now.default).toMatchObject({ addressId: own.id, step: 2 });
    expect(now.choices.map((c: { addressId: string }) => c.addressId)).toEqual([own.id, company.id]);

    const outside = (await call(ws.admin, 'GET', `/api/senders?employeeId=${emp.employeeId}`)).json();
    expect(outside.excluded.find((x: { addressId: string }) => x.addressId === company.id).reasons).toContain(
      'bound_to_other_projects',
    );

    const stranger = await ws.newEmployee();
    expect((await call(stranger, 'GET', `/api/senders?employeeId=${emp.employeeId}`)).statusCode).toBe(403);
  });
});

describe('secrets never leave (M51)', () => {
  it('no response or log line of this file contains a mailbox password', () => {
    const everything = responses.map((r) => r.body).join('\n') + t.logs.join('');
    expect(responses.length).toBeGreaterThan(20);
    for (const secret of [
      MAILBOX.password,
      MAILBOX.password.trim(),
      'wrong password',
      Buffer.from(MAILBOX.password).toString('base64'),
    ]) {
      expect(everything).not.toContain(secret);
    }
    expect(everything).not.toMatch(/mc1:[a-z0-9]/);
  });
});

describe('field messages', () => {
  it('explains why the password is needed again, in the caller’s language', async () => {
    const emp = await ws.newEmployee();
    const url = `/api/employees/${emp.employeeId}/email-addresses`;
    const a = (await testAndCreate(emp, url, box.fields(), {})).json();
    const res = await call(
      emp,
      'PATCH',
      `${url}/${a.id}`,
      { login: 'other-login' },
      { 'accept-language': 'pl' },
    );
    expect(res.json().error.details.fields[0].message).toMatch(/wpisz hasło ponownie/);
  });

  it('names a company address after the workspace when it has no sender name (M9)', async () => {
    const company = (
      await testAndCreate(
        ws.admin,
        '/api/company/email-addresses',
        box.fields({ email: 'noname@firma.example' }),
        { scope: 'company' },
      )
    ).json();
    const preview = (await call(ws.admin, 'GET', `/api/senders?employeeId=${ws.admin.employeeId}`)).json();
    const option = [...preview.choices, ...preview.excluded].find(
      (o: { addressId: string }) => o.addressId === company.id,
    );
    expect(option.displayName).toBe('Test company');
  });
});
