import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerSecret } from '../helpers/leak-scan.js';
import { startMailbox } from '../helpers/mail-servers.js';
import { type Caller, createTestApp, type TestApp, type TestWorkspace } from '../helpers/test-app.js';

/**
 * Reviewer-style scenarios from the SPEC alone: who may see and manage which addresses
 * (M48), what the API refuses (M55, §9 error shape) and that no answer carries a secret (M51).
 */
const PASSWORD = registerSecret('Pa$$ "w0rd" \\ żółć + &=?/ trzy');
let t: TestApp;
let ws: TestWorkspace;
let foreign: TestWorkspace;
let box: Awaited<ReturnType<typeof startMailbox>>;
const responses: LightMyRequestResponse[] = [];
const call = async (c: Caller, method: string, url: string, body?: unknown, h?: Record<string, string>) => {
  const r = await c.request(method, url, body, h);
  responses.push(r);
  return r;
};

beforeAll(async () => {
  t = await createTestApp(
    { testRateLimit: '1000' },
    // The mailbox delivers: a round trip ends on arrival, never by a deadline a busy machine reaches.
    { testEmailTiming: { arrivalTimeoutMs: 120_000, checkIntervalsMs: [50, 100, 200] } },
  );
  t.startWorker();
  ws = await t.newWorkspace();
  foreign = await t.newWorkspace('Foreign company');
  box = await startMailbox({ password: PASSWORD, deliver: true });
});
afterAll(async () => {
  await box?.close();
  await t?.close();
});

const ownUrl = (c: Caller) => `/api/employees/${c.employeeId}/email-addresses`;
const COMPANY = '/api/company/email-addresses';

async function testAndCreate(c: Caller, url: string, fields: Record<string, unknown>, extra = {}) {
  const test = await call(c, 'POST', '/api/email-addresses/test', { ...fields, ...extra });
  expect(test.json().ok, test.body).toBe(true);
  const r = await call(c, 'POST', url, { ...fields, testToken: test.json().testToken });
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as { id: string; [k: string]: unknown };
}
const company = (w: TestWorkspace, fields: Record<string, unknown>) =>
  testAndCreate(w.admin, COMPANY, box.fields(fields), { scope: 'company' });

describe('M48: employees and their own addresses', () => {
  it('an employee creates, changes and deletes their own address', async () => {
    const e = await ws.newEmployee();
    const a = await testAndCreate(e, ownUrl(e), box.fields());
    expect((await call(e, 'PATCH', `${ownUrl(e)}/${a.id}`, { displayName: 'Ewa' })).statusCode).toBe(200);
    expect((await call(e, 'DELETE', `${ownUrl(e)}/${a.id}`)).statusCode).toBe(204);
    expect((await call(e, 'GET', `${ownUrl(e)}/${a.id}`)).statusCode).toBe(404);
  });

  it('when the workspace does not allow it, an employee only sees their addresses; admins still manage them', async () => {
    const w = await t.newWorkspace('Strict company');
    const e = await w.newEmployee();
    const a = await testAndCreate(e, ownUrl(e), box.fields());
    expect(
      (await call(e, 'PATCH', '/api/workspace', { employeesManageOwnAddresses: false })).statusCode,
    ).toBe(403);
    const off = await call(w.admin, 'PATCH', '/api/workspace', { employeesManageOwnAddresses: false });
    expect(off.json().employeesManageOwnAddresses).toBe(false);

    expect((await call(e, 'GET', ownUrl(e))).json().items.map((x: { id: string }) => x.id)).toEqual([a.id]);
    expect((await call(e, 'GET', `${ownUrl(e)}/${a.id}`)).statusCode).toBe(200);
    expect((await call(e, 'POST', '/api/email-addresses/test', box.fields())).statusCode).toBe(403);
    expect((await call(e, 'POST', '/api/email-addresses/test', { addressId: a.id })).statusCode).toBe(403);
    expect((await call(e, 'POST', ownUrl(e), box.fields())).statusCode).toBe(403);
    expect((await call(e, 'PATCH', `${ownUrl(e)}/${a.id}`, { displayName: 'x' })).statusCode).toBe(403);
    expect((await call(e, 'PATCH', `${ownUrl(e)}/${a.id}`, { active: false })).statusCode).toBe(403);
    expect((await call(e, 'DELETE', `${ownUrl(e)}/${a.id}`)).statusCode).toBe(403);

    expect(
      (await call(w.admin, 'PATCH', `${ownUrl(e)}/${a.id}`, { displayName: 'By admin' })).statusCode,
    ).toBe(200);
    const byAdmin = await testAndCreate(w.admin, ownUrl(e), box.fields({ email: 'second@firma.example' }), {
      ownerEmployeeId: e.employeeId,
    });
    expect(byAdmin.ownerEmployeeId).toBe(e.employeeId);
  });

  it('an employee cannot see, test or create a colleague’s addresses, nor test for a colleague', async () => {
    const owner = await ws.newEmployee();
    const other = await ws.newEmployee();
    const a = await testAndCreate(owner, ownUrl(owner), box.fields());
    expect((await call(other, 'GET', ownUrl(owner))).statusCode).toBe(403);
    expect((await call(other, 'GET', `${ownUrl(owner)}/${a.id}`)).statusCode).toBe(403);
    expect((await call(other, 'DELETE', `${ownUrl(owner)}/${a.id}`)).statusCode).toBe(403);
    const forColleague = await call(other, 'POST', '/api/email-addresses/test', {
      ...box.fields(),
      ownerEmployeeId: owner.employeeId,
    });
    expect(forColleague.statusCode).toBe(403);
    // The owner's address under the colleague's URL is simply not there.
    expect((await call(other, 'GET', `${ownUrl(other)}/${a.id}`)).statusCode).toBe(404);
  });
});

describe('M48: company addresses', () => {
  it('employees cannot create or test company addresses', async () => {
    const e = await ws.newEmployee();
    expect(
      (await call(e, 'POST', '/api/email-addresses/test', { ...box.fields(), scope: 'company' })).statusCode,
    ).toBe(403);
    expect((await call(e, 'POST', COMPANY, box.fields())).statusCode).toBe(403);
  });

  it('an employee sees, read-only and without secrets, exactly the company addresses they have access to', async () => {
    const w = await t.newWorkspace('Access company');
    const e = await w.newEmployee();
    const colleague = await w.newEmployee();
    const group = (
      await call(w.admin, 'POST', '/api/groups', { name: 'Support', memberIds: [e.employeeId] })
    ).json();
    const open = await company(w, { email: 'open@firma.example' });
    const viaGroup = await company(w, { email: 'group@firma.example', access: { groupIds: [group.id] } });
    const direct = await company(w, {
      email: 'direct@firma.example',
      access: { employeeIds: [e.employeeId] },
    });
    const closed = await company(w, {
      email: 'closed@firma.example',
      access: { employeeIds: [colleague.employeeId] },
    });

    const list = (await call(e, 'GET', COMPANY)).json();
    expect(list.items.map((x: { id: string }) => x.id).sort()).toEqual(
      [open.id, viaGroup.id, direct.id].sort(),
    );
    for (const item of list.items) {
      expect(item.passwordSet).toBe(true);
      expect(item).not.toHaveProperty('password');
      expect(item).not.toHaveProperty('passwordEnc');
    }
    expect((await call(e, 'GET', `${COMPANY}/${viaGroup.id}`)).statusCode).toBe(200);
    expect((await call(e, 'GET', `${COMPANY}/${closed.id}`)).statusCode).toBe(403);
    for (const id of [open.id, viaGroup.id]) {
      expect((await call(e, 'PATCH', `${COMPANY}/${id}`, { displayName: 'x' })).statusCode).toBe(403);
      expect((await call(e, 'DELETE', `${COMPANY}/${id}`)).statusCode).toBe(403);
      expect((await call(e, 'POST', '/api/email-addresses/test', { addressId: id })).statusCode).toBe(403);
    }
    // The admin sees all four; the audit log (M49) is for admins only.
    expect((await call(w.admin, 'GET', COMPANY)).json().items).toHaveLength(4);
    expect((await call(e, 'GET', '/api/audit-log')).statusCode).toBe(403);
    const audit = await call(w.admin, 'GET', '/api/audit-log?limit=100');
    expect(audit.json().items.length).toBeGreaterThan(4);
  });
});

describe('M48: nothing crosses workspaces (404)', () => {
  it('every address route answers 404 for another workspace’s ids, to admins and employees', async () => {
    const theirEmployee = await foreign.newEmployee();
    const theirs = await testAndCreate(theirEmployee, ownUrl(theirEmployee), box.fields());
    const theirCompany = await company(foreign, { email: 'foreign@firma.example' });
    const mine = await ws.newEmployee();
    for (const c of [ws.admin, mine]) {
      const reqs: Array<[string, string, unknown?]> = [
        ['GET', ownUrl(theirEmployee)],
        ['POST', ownUrl(theirEmployee), box.fields()],
        ['GET', `${ownUrl(theirEmployee)}/${theirs.id}`],
        ['PATCH', `${ownUrl(theirEmployee)}/${theirs.id}`, { displayName: 'x' }],
        ['DELETE', `${ownUrl(theirEmployee)}/${theirs.id}`],
        ['GET', `${ownUrl(mine)}/${theirs.id}`],
        ['GET', `${COMPANY}/${theirCompany.id}`],
        ['PATCH', `${COMPANY}/${theirCompany.id}`, { displayName: 'x' }],
        ['DELETE', `${COMPANY}/${theirCompany.id}`],
        ['POST', '/api/email-addresses/test', { addressId: theirCompany.id }],
        ['POST', '/api/email-addresses/test', { addressId: theirs.id }],
        ['POST', `/api/email-addresses/${theirs.id}/test-emails`],
        ['POST', '/api/email-addresses/test', { ...box.fields(), ownerEmployeeId: theirEmployee.employeeId }],
      ];
      for (const [method, url, body] of reqs) {
        const r = await call(c, method, url, body);
        expect({ method, url, status: r.statusCode }).toEqual({ method, url, status: 404 });
      }
    }
    // Still there, unchanged.
    const still = await call(foreign.admin, 'GET', `${COMPANY}/${theirCompany.id}`);
    expect(still.json().displayName).toBe(theirCompany.displayName);
    expect((await call(theirEmployee, 'GET', `${ownUrl(theirEmployee)}/${theirs.id}`)).statusCode).toBe(200);
  });

  it('another workspace’s projects, groups and employees are refused as references', async () => {
    const p = (await call(foreign.admin, 'POST', '/api/projects', { name: 'Theirs' })).json();
    const g = (await call(foreign.admin, 'POST', '/api/groups', { name: 'Theirs' })).json();
    const them = await foreign.newEmployee();
    const test = await call(ws.admin, 'POST', '/api/email-addresses/test', {
      ...box.fields(),
      scope: 'company',
    });
    const r = await call(ws.admin, 'POST', COMPANY, {
      ...box.fields(),
      projectIds: [p.id],
      access: { groupIds: [g.id], employeeIds: [them.employeeId] },
      options: { createTasksFromNewMail: true, newMailProjectId: p.id },
      testToken: test.json().testToken,
    });
    expect(r.statusCode).toBe(400);
    expect(
      r
        .json()
        .error.details.fields.map((f: { path: string }) => f.path)
        .sort(),
    ).toEqual(
      [
        '/body/access/employeeIds/0',
        '/body/access/groupIds/0',
        '/body/options/newMailProjectId',
        '/body/projectIds/0',
      ].sort(),
    );
  });
});

describe('M55 and §9: what the API refuses, and how', () => {
  const bad: Array<[string, Record<string, unknown>, string]> = [
    ['CRLF in sender name', { displayName: 'Anna\r\nBcc: x@evil.example' }, '/body/displayName'],
    ['BEL in sender name', { displayName: 'Anna\u0007' }, '/body/displayName'],
    ['CRLF in Reply-To', { replyTo: 'biuro@firma.example\r\nBcc: x@evil.example' }, '/body/replyTo'],
    ['CRLF in login', { login: 'anna\r\nRCPT TO:<x@evil.example>' }, '/body/login'],
    ['NUL in login', { login: 'anna\u0000' }, '/body/login'],
    [
      'CRLF in SMTP host',
      { smtp: { host: 'smtp.firma.example\r\nX', port: 465, security: 'tls' } },
      '/body/smtp/host',
    ],
    ['quoted @', { email: '"a@b"@firma.example' }, '/body/email'],
    ['two @', { email: 'a@b@firma.example' }, '/body/email'],
    ['display name form', { email: 'Anna <anna@firma.example>' }, '/body/email'],
    ['group syntax', { email: 'team: anna@firma.example, ewa@firma.example;' }, '/body/email'],
    ['two addresses', { email: 'anna@firma.example, x@evil.example' }, '/body/email'],
    ['comment', { email: 'anna(x)@firma.example' }, '/body/email'],
    ['IP literal', { email: 'anna@[127.0.0.1]' }, '/body/email'],
    ['group in Reply-To', { replyTo: 'team: a@firma.example;' }, '/body/replyTo'],
    ['NUL in signature', { signatureText: 'Anna\u0000' }, '/body/signatureText'],
    ['long sender name', { displayName: 'x'.repeat(201) }, '/body/displayName'],
    [
      'long email',
      { email: `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.pl` },
      '/body/email',
    ],
    ['long login', { login: 'l'.repeat(255) }, '/body/login'],
    ['long host', { smtp: { host: `${'h'.repeat(250)}.pl`, port: 465, security: 'tls' } }, '/body/smtp/host'],
    ['long password', { password: 'p'.repeat(1001) }, '/body/password'],
    ['long signature', { signatureHtml: 's'.repeat(50_001) }, '/body/signatureHtml'],
    ['port out of range', { smtp: { host: '127.0.0.1', port: 0, security: 'tls' } }, '/body/smtp/port'],
    ['unknown field', { passwordEnc: 'mc1:abc' }, '/body/passwordEnc'],
    [
      'unknown nested field',
      { smtp: { host: '127.0.0.1', port: 465, security: 'tls', user: 'x' } },
      '/body/smtp/user',
    ],
    ['unknown option', { options: { sendAsAnyone: true } }, '/body/options/sendAsAnyone'],
  ];
  for (const [name, patch, path] of bad) {
    it(`refuses ${name} with the field path, on test and on save`, async () => {
      const e = await ws.newEmployee();
      for (const url of ['/api/email-addresses/test', ownUrl(e)]) {
        const r = await call(e, 'POST', url, { ...box.fields(), ...patch });
        expect({ url, status: r.statusCode }).toEqual({ url, status: 400 });
        expect(r.json().error.details.fields.map((f: { path: string }) => f.path)).toContain(path);
      }
    });
  }

  it('errors have the §9 shape, with messages in Polish for Accept-Language: pl', async () => {
    const e = await ws.newEmployee();
    const body = { ...box.fields(), displayName: 'A\r\nB', unknown: 1 };
    const pl = await call(e, 'POST', ownUrl(e), body, { 'accept-language': 'pl' });
    const en = await call(e, 'POST', ownUrl(e), body, { 'accept-language': 'en' });
    for (const r of [pl, en]) {
      const j = r.json();
      expect(Object.keys(j).sort()).toEqual(['error', 'requestId']);
      expect(j.requestId).toMatch(/\S/);
      expect(j.error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.any(String) });
      for (const f of j.error.details.fields) {
        expect(f).toMatchObject({ path: expect.stringMatching(/^\/body\//), code: expect.any(String) });
        expect(f.message.length).toBeGreaterThan(5);
      }
    }
    expect(pl.json().error.message).not.toBe(en.json().error.message);
    expect(pl.json().error.message).toMatch(/[ąćęłńóśźż]/);
    expect(pl.json().error.details.fields[0].message).not.toBe(en.json().error.details.fields[0].message);
    // Codes of other errors too.
    const gate = await call(e, 'POST', ownUrl(e), box.fields(), { 'accept-language': 'pl' });
    expect(gate.json().error).toMatchObject({
      code: 'TEST_REQUIRED',
      message: expect.stringMatching(/Testuj konto/),
    });
    const missing = await call(e, 'GET', `${ownUrl(e)}/${randomUUID()}`, undefined, {
      'accept-language': 'pl',
    });
    expect(missing.json().error).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/Nie znaleziono/),
    });
  });

  it('a trailing CR/LF on an address is never stored (it is either refused or trimmed)', async () => {
    const e = await ws.newEmployee();
    const test = await call(e, 'POST', '/api/email-addresses/test', box.fields());
    const r = await call(e, 'POST', ownUrl(e), {
      ...box.fields({ email: 'anna@firma.example\r\n', replyTo: 'biuro@firma.example\r\n' }),
      testToken: test.json().testToken,
    });
    if (r.statusCode === 201) {
      expect(r.json().email).toBe('anna@firma.example');
      expect(r.json().replyTo).toBe('biuro@firma.example');
    } else expect(r.statusCode).toBe(400);
  });

  // M55 / SECURITY §3.3: the sender name reaches the From header; C1 controls (U+0085) and
  // bidi overrides (U+202E, "Anna Nowak‮gpj.exe") must be refused at save or removed before
  // the wire. Observed on the wire through the test email (M23), the only sending path yet.
  it('C1 controls and bidi overrides in the sender name never reach the From header', async () => {
    const e = await ws.newEmployee();
    const test = await call(e, 'POST', '/api/email-addresses/test', box.fields());
    const r = await call(e, 'POST', ownUrl(e), {
      ...box.fields({ displayName: 'Anna\u0085Nowak\u202Egpj.exe' }),
      testToken: test.json().testToken,
    });
    if (r.statusCode === 400) return;
    expect(r.statusCode, r.body).toBe(201);
    const sent = box.smtp.messages.length;
    expect((await call(e, 'POST', `/api/email-addresses/${r.json().id}/test-emails`)).statusCode).toBe(202);
    await t.ctx.mailbox.testEmails.idle();
    expect(box.smtp.messages.length).toBe(sent + 1);
    const parsed = await simpleParser(box.smtp.messages.at(-1)!.raw);
    const name = parsed.from?.value[0]?.name ?? '';
    expect(name).toContain('Anna');
    expect(name).not.toMatch(/[\u0080-\u009f\u202a-\u202e\u2066-\u2069]/);
  });
});

describe('secrets (M51)', () => {
  it('no response of this file holds the password in any encoding; every address says passwordSet', () => {
    expect(responses.length).toBeGreaterThan(100);
    const all = responses.map((r) => r.body).join('\n') + t.logs.join('');
    for (const form of [
      PASSWORD,
      PASSWORD.trim(),
      JSON.stringify(PASSWORD).slice(1, -1),
      Buffer.from(PASSWORD).toString('base64'),
      Buffer.from(`\0anna@firma.example\0${PASSWORD}`).toString('base64'),
      encodeURIComponent(PASSWORD),
    ]) {
      expect(all).not.toContain(form);
    }
    expect(all).not.toMatch(/mc1:[A-Za-z0-9]/);
    const addresses = responses
      .filter((r) => r.body.startsWith('{'))
      .map((r) => r.json() as Record<string, unknown>)
      .flatMap((j) => (Array.isArray(j.items) ? (j.items as Record<string, unknown>[]) : [j]))
      .filter((j) => 'scope' in j && 'smtp' in j);
    expect(addresses.length).toBeGreaterThan(10);
    for (const a of addresses) {
      expect(a.passwordSet).toBe(true);
      expect(Object.keys(a).filter((k) => /password/i.test(k))).toEqual(['passwordSet']);
    }
  });
});
