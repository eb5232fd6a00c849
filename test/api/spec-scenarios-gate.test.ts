import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { certificateSha256 } from '../../src/mail/net/tls-options.js';
import { registerSecret } from '../helpers/leak-scan.js';
import { MAILBOX, startMailbox } from '../helpers/mail-servers.js';
import { type Caller, createTestApp, type TestApp, type TestWorkspace } from '../helpers/test-app.js';
import { fixtureCert } from '../helpers/tls-fixtures.js';

/**
 * Reviewer-style scenarios for the Test account gate (SPEC M17, M20, M21), from the SPEC
 * alone: a token vouches for exactly the settings it was issued for, in one workspace; only
 * connection fields need a new test; a stored password never follows a changed endpoint.
 */
type Mailbox = Awaited<ReturnType<typeof startMailbox>>;

const OTHER_PASSWORD = registerSecret('Zupełnie "inne" hasło \\ 2');
let t: TestApp;
let ws: TestWorkspace;
let box: Mailbox;
let box2: Mailbox;
const responses: LightMyRequestResponse[] = [];
const call = async (c: Caller, method: string, url: string, body?: unknown, h?: Record<string, string>) => {
  const r = await c.request(method, url, body, h);
  responses.push(r);
  return r;
};

beforeAll(async () => {
  registerSecret(MAILBOX.password);
  t = await createTestApp({ testRateLimit: '1000' });
  ws = await t.newWorkspace();
  box = await startMailbox();
  box2 = await startMailbox({ password: OTHER_PASSWORD });
});
afterAll(async () => {
  await box?.close();
  await box2?.close();
  await t?.close();
});

const ownUrl = (c: Caller) => `/api/employees/${c.employeeId}/email-addresses`;

async function tokenFor(c: Caller, fields: Record<string, unknown>): Promise<string> {
  const r = await call(c, 'POST', '/api/email-addresses/test', fields);
  expect(r.statusCode, r.body).toBe(200);
  expect(r.json().ok, r.body).toBe(true);
  return r.json().testToken as string;
}

async function createOwn(c: Caller, fields = box.fields()) {
  const r = await call(c, 'POST', ownUrl(c), { ...fields, testToken: await tokenFor(c, fields) });
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as { id: string; [k: string]: unknown };
}

const code = (r: LightMyRequestResponse) => r.json().error?.code;
const localhostPin = () => {
  const pem = fixtureCert('localhost').cert;
  return { sha256: certificateSha256(pem), pem };
};

describe('M17/M20: a token vouches for exactly the tested settings', () => {
  it('refuses to create without a token, with a malformed token, or with a forged one', async () => {
    const e = await ws.newEmployee();
    for (const testToken of [
      undefined,
      'tt1.1.x',
      `tt1.${Math.floor(Date.now() / 1000) + 600}.${'A'.repeat(43)}`,
    ]) {
      const r = await call(e, 'POST', ownUrl(e), { ...box.fields(), ...(testToken ? { testToken } : {}) });
      expect(r.statusCode).toBe(409);
      expect(code(r)).toBe('TEST_REQUIRED');
    }
    expect((await call(e, 'GET', ownUrl(e))).json().items).toEqual([]);
  });

  it('refuses a token from a test of other settings: port, password, login, email, security, protocol, pin', async () => {
    const e = await ws.newEmployee();
    const token = await tokenFor(e, box.fields());
    const variants: Record<string, Record<string, unknown>> = {
      port: box.fields({ smtp: { host: '127.0.0.1', port: box2.smtp.port, security: 'tls' } }),
      incomingPort: box.fields({
        incoming: { protocol: 'pop3', host: '127.0.0.1', port: box2.pop3.port, security: 'tls' },
      }),
      password: box.fields({ password: OTHER_PASSWORD }),
      login: box.fields({ login: 'ANNA@firma.example' }),
      // Another From the employee may use (their own work email): only the token must stop it.
      email: box.fields({ email: e.email }),
      security: box.fields({ smtp: { host: '127.0.0.1', port: box.smtp.port, security: 'starttls' } }),
      protocol: box.fields({
        incoming: { protocol: 'imap', host: '127.0.0.1', port: box.pop3.port, security: 'tls' },
      }),
      pin: box.fields({
        smtp: { host: '127.0.0.1', port: box.smtp.port, security: 'tls', pinnedCert: localhostPin() },
      }),
    };
    for (const [name, fields] of Object.entries(variants)) {
      const r = await call(e, 'POST', ownUrl(e), { ...fields, testToken: token });
      expect({ name, status: r.statusCode, code: code(r) }).toEqual({
        name,
        status: 409,
        code: 'TEST_REQUIRED',
      });
    }
    // The other way round: a token for pinned settings does not cover the unpinned ones.
    const pinned = box.fields({
      smtp: { host: '127.0.0.1', port: box.smtp.port, security: 'tls', pinnedCert: localhostPin() },
    });
    const pinnedToken = await tokenFor(e, pinned);
    expect(code(await call(e, 'POST', ownUrl(e), { ...box.fields(), testToken: pinnedToken }))).toBe(
      'TEST_REQUIRED',
    );
    const ok = await call(e, 'POST', ownUrl(e), { ...pinned, testToken: pinnedToken });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().smtp.pinnedCertSha256).toBe(localhostPin().sha256);
  });

  it('refuses a token issued in another workspace, for both scopes', async () => {
    const other = await t.newWorkspace('Other company');
    const foreignToken = await tokenFor(other.admin, box.fields());
    const e = await ws.newEmployee();
    expect(code(await call(e, 'POST', ownUrl(e), { ...box.fields(), testToken: foreignToken }))).toBe(
      'TEST_REQUIRED',
    );
    const company = await call(ws.admin, 'POST', '/api/company/email-addresses', {
      ...box.fields(),
      testToken: foreignToken,
    });
    expect(code(company)).toBe('TEST_REQUIRED');
  });

  it('refuses an expired token (30 min lifetime, time moved with fake Date)', async () => {
    const e = await ws.newEmployee();
    const token = await tokenFor(e, box.fields());
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date(Date.now() + 31 * 60_000));
      const r = await call(e, 'POST', ownUrl(e), { ...box.fields(), testToken: token });
      expect(r.statusCode, r.body).toBe(409);
      expect(code(r)).toBe('TEST_REQUIRED');
    } finally {
      vi.useRealTimers();
    }
    expect((await call(e, 'POST', ownUrl(e), { ...box.fields(), testToken: token })).statusCode).toBe(201);
  });
});

describe('M20: only connection fields need a new test', () => {
  it('PATCH of sender name, projects, signature, Reply-To, options, active needs no token', async () => {
    const e = await ws.newEmployee();
    const a = await createOwn(e);
    const project = (await call(ws.admin, 'POST', '/api/projects', { name: 'Gate P' })).json();
    const url = `${ownUrl(e)}/${a.id}`;
    for (const patch of [
      { displayName: 'Anna Nowak' },
      { projectIds: [project.id] },
      { signatureHtml: '<p>Anna</p>', signatureText: 'Anna' },
      { replyTo: 'biuro@firma.example' },
      { replyTo: null },
      { options: { bccSelf: true, collectReplies: false, leaveOnServer: false, deleteAfterDays: 7 } },
      { active: false },
      { active: true },
    ]) {
      const r = await call(e, 'PATCH', url, patch);
      expect({ patch, status: r.statusCode }).toEqual({ patch, status: 200 });
    }
    expect((await call(e, 'GET', url)).json()).toMatchObject({
      displayName: 'Anna Nowak',
      projectIds: [project.id],
      replyTo: null,
      options: { bccSelf: true, collectReplies: false, leaveOnServer: false, deleteAfterDays: 7 },
      active: true,
      passwordSet: true,
    });
  });

  it('PATCH of a company address access list needs no token', async () => {
    const e = await ws.newEmployee();
    const fields = box.fields({ email: 'gate-company@firma.example' });
    const test = await call(ws.admin, 'POST', '/api/email-addresses/test', { ...fields, scope: 'company' });
    const c = (
      await call(ws.admin, 'POST', '/api/company/email-addresses', {
        ...fields,
        testToken: test.json().testToken,
      })
    ).json();
    const r = await call(ws.admin, 'PATCH', `/api/company/email-addresses/${c.id}`, {
      access: { employeeIds: [e.employeeId] },
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().access.employeeIds).toEqual([e.employeeId]);
  });

  it('PATCH of the email address or the pinned certificate alone needs the password again and a new token', async () => {
    const e = await ws.newEmployee();
    const a = await createOwn(e);
    const url = `${ownUrl(e)}/${a.id}`;
    // Both count as the endpoint since the sender-guard review: the stored password is not
    // reused for another From (an employee sending as a colleague) or an unconfirmed certificate.
    const fieldCodes = (r: LightMyRequestResponse) =>
      r.json().error.details.fields.map((f: { code: string }) => f.code);
    for (const patch of [{ email: e.email }, { smtp: { pinnedCert: localhostPin() } }]) {
      expect(fieldCodes(await call(e, 'PATCH', url, patch))).toContain('password_required_after_change');
      expect(code(await call(e, 'PATCH', url, { ...patch, password: MAILBOX.password }))).toBe(
        'TEST_REQUIRED',
      );
    }
    // Tested with the password typed again: then it saves.
    const change = { email: e.email, password: MAILBOX.password };
    const token = await tokenFor(e, { addressId: a.id, ...change });
    const saved = await call(e, 'PATCH', url, { ...change, testToken: token });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().email).toBe(e.email);
  });
});

describe('M21: a stored password only goes to the endpoint it was saved for', () => {
  it('changing host, port, security, protocol or login without the password is refused on PATCH', async () => {
    const e = await ws.newEmployee();
    const a = await createOwn(e);
    const url = `${ownUrl(e)}/${a.id}`;
    for (const patch of [
      { smtp: { host: 'localhost' } },
      { smtp: { port: box2.smtp.port } },
      { smtp: { security: 'starttls' } },
      { incoming: { port: box2.pop3.port } },
      { incoming: { protocol: 'imap' } },
      { login: 'anna.login' },
    ]) {
      const r = await call(e, 'PATCH', url, patch);
      expect({ patch, status: r.statusCode }).toEqual({ patch, status: 400 });
      expect(r.json().error.details.fields.map((f: { code: string }) => f.code)).toContain(
        'password_required_after_change',
      );
    }
    expect((await call(e, 'GET', url)).json()).toMatchObject({ login: MAILBOX.login, passwordSet: true });
  });

  it('testing a changed endpoint without a password is refused before any connection', async () => {
    const e = await ws.newEmployee();
    const a = await createOwn(e);
    const before = [box2.smtp.authAttempts.length, box2.pop3.commandLines().length];
    const r = await call(e, 'POST', '/api/email-addresses/test', {
      addressId: a.id,
      smtp: { host: '127.0.0.1', port: box2.smtp.port, security: 'tls' },
      incoming: { protocol: 'pop3', host: '127.0.0.1', port: box2.pop3.port, security: 'tls' },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.details.fields[0]).toMatchObject({ path: '/body/password' });
    expect([box2.smtp.authAttempts.length, box2.pop3.commandLines().length]).toEqual(before);
  });

  it('moves to a new endpoint with the new password and a token for it, not with the old token', async () => {
    const e = await ws.newEmployee();
    const a = await createOwn(e);
    const url = `${ownUrl(e)}/${a.id}`;
    const oldToken = await tokenFor(e, { addressId: a.id });
    const move = {
      password: OTHER_PASSWORD,
      smtp: { host: '127.0.0.1', port: box2.smtp.port, security: 'tls' },
      incoming: { protocol: 'pop3', host: '127.0.0.1', port: box2.pop3.port, security: 'tls' },
    };
    expect(code(await call(e, 'PATCH', url, move))).toBe('TEST_REQUIRED');
    expect(code(await call(e, 'PATCH', url, { ...move, testToken: oldToken }))).toBe('TEST_REQUIRED');
    const newToken = await tokenFor(e, { addressId: a.id, ...move });
    const moved = await call(e, 'PATCH', url, { ...move, testToken: newToken });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().smtp.port).toBe(box2.smtp.port);

    // The saved address now re-tests with the new stored password, against the new server.
    const attempts = box2.smtp.authAttempts.length;
    expect((await call(e, 'POST', '/api/email-addresses/test', { addressId: a.id })).json().ok).toBe(true);
    expect(box2.smtp.authAttempts.at(-1)).toMatchObject({ password: OTHER_PASSWORD, accepted: true });
    expect(box2.smtp.authAttempts.length).toBe(attempts + 1);
    // And the token of the old settings cannot move it back without the old password.
    const back = await call(e, 'PATCH', url, { ...box.fields(), password: undefined, testToken: oldToken });
    expect(back.statusCode).toBe(400);
  });

  it('an unchanged saved address re-tests with its stored password (no password in the request)', async () => {
    const e = await ws.newEmployee();
    const a = await createOwn(e);
    const r = await call(e, 'POST', '/api/email-addresses/test', { addressId: a.id });
    expect(r.json().ok, r.body).toBe(true);
    expect(box.smtp.authAttempts.at(-1)).toMatchObject({
      username: MAILBOX.login,
      password: MAILBOX.password,
    });
  });
});

describe('secrets (M51)', () => {
  it('no response of this file holds a password in any encoding; addresses say passwordSet', () => {
    expect(responses.length).toBeGreaterThan(40);
    const all = responses.map((r) => r.body).join('\n');
    for (const pw of [MAILBOX.password, OTHER_PASSWORD]) {
      for (const form of [
        pw,
        pw.trim(),
        JSON.stringify(pw).slice(1, -1),
        Buffer.from(pw).toString('base64'),
        Buffer.from(`\0${MAILBOX.login}\0${pw}`).toString('base64'),
        encodeURIComponent(pw),
      ]) {
        expect(all).not.toContain(form);
      }
    }
    expect(all).not.toMatch(/mc1:/);
    expect(all).not.toMatch(/"password(Enc)?":/);
    const addresses = responses
      .filter((r) => r.body.startsWith('{'))
      .map((r) => r.json() as Record<string, unknown>)
      .flatMap((j) => (Array.isArray(j.items) ? (j.items as Record<string, unknown>[]) : [j]))
      .filter((j) => j && typeof j === 'object' && 'scope' in j && 'smtp' in j);
    expect(addresses.length).toBeGreaterThan(5);
    for (const a of addresses) expect(a.passwordSet).toBe(true);
  });
});
