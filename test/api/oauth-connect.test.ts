import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registerSecret } from '../helpers/leak-scan.js';
import { type Caller, createTestApp, type TestApp, type TestWorkspace } from '../helpers/test-app.js';
import { type OAuthTestServer, startOAuthTestServer } from '../servers/oauth-server.js';
import { Pop3FakeServer } from '../servers/pop3-fake-server.js';
import { type SmtpSink, startSmtpSink } from '../servers/smtp-sink.js';

const MAILBOX = 'jan.kowalski@gmail.test';

let server: OAuthTestServer;
let t: TestApp;
let ws: TestWorkspace;
let smtp: SmtpSink;
let pop3: Pop3FakeServer;

beforeAll(async () => {
  server = await startOAuthTestServer({ email: MAILBOX, rotateRefreshTokens: true });
  // The mail servers accept only access tokens the authorization server issued and still honours.
  const accept = (user: string, token: string) => server.isValidAccessToken(token, user);
  smtp = await startSmtpSink({ mode: 'tls', users: [], authMethods: ['XOAUTH2'], acceptAccessToken: accept });
  pop3 = await Pop3FakeServer.start({ implicitTls: true, user: MAILBOX, acceptAccessToken: accept });
  t = await createTestApp({
    oauthGoogleClientId: server.clientId,
    oauthGoogleClientSecret: registerSecret(server.clientSecret),
    oauthGoogleIssuer: server.issuer,
  });
  ws = await t.newWorkspace('OAuth connect');
});
// A workspace per test: one mailbox may be saved only once per list (issue 8).
beforeEach(async () => {
  ws = await t.newWorkspace('OAuth connect');
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
  await pop3?.close();
  await server?.close();
});

const servers = () => ({
  smtp: { host: '127.0.0.1', port: smtp.port, security: 'tls' },
  incoming: { protocol: 'pop3', host: '127.0.0.1', port: pop3.port, security: 'tls' },
});

/** Start → the provider's redirect → our callback; returns where the browser ends up. */
async function connect(c: Caller, body: Record<string, unknown> = {}) {
  const start = await c.request('POST', '/api/oauth/start', {
    provider: 'google',
    returnPath: '/company/addresses',
    ...body,
  });
  expect(start.statusCode, start.body).toBe(200);
  const auth = new URL(start.json().authorizationUrl);
  expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
  expect(auth.searchParams.get('scope')).toContain('https://mail.google.com/');
  const res = await fetch(auth, { redirect: 'manual' });
  const callback = new URL(res.headers.get('location')!);
  registerSecret(callback.searchParams.get('code')!);
  // The state travels through the browser (it is in the start response) but never into logs.
  states.push(callback.searchParams.get('state')!);
  expect(callback.pathname).toBe('/api/oauth/callback');
  const back = await c.request('GET', `${callback.pathname}${callback.search}`);
  return { back, callback };
}

const states: string[] = [];
const grantOf = (location: string) => new URL(location, 'http://x').searchParams.get('oauth');

describe('Connect with Google (M47)', () => {
  it('lists the configured providers only', async () => {
    const res = await ws.admin.request('GET', '/api/oauth/providers');
    expect(res.json()).toEqual({ providers: ['google'] });
  });

  it('connects, tests with XOAUTH2, saves behind the test gate, and the outbox can get tokens', async () => {
    const { back } = await connect(ws.admin);
    expect(back.statusCode).toBe(302);
    const grantId = grantOf(back.headers.location as string)!;
    expect(back.headers.location).toMatch(/^\/company\/addresses\?oauth=/);
    const grant = await ws.admin.request('GET', `/api/oauth/grants/${grantId}`);
    expect(grant.json()).toEqual({ id: grantId, provider: 'google', email: MAILBOX, addressId: null });
    expect(grant.body).not.toMatch(/rt-|at-/);

    const fields = { email: MAILBOX, presetId: 'gmail', ...servers() };
    const test = await ws.admin.request('POST', '/api/email-addresses/test', {
      ...fields,
      scope: 'company',
      oauthGrantId: grantId,
    });
    expect(test.statusCode, test.body).toBe(200);
    expect(test.json().ok).toBe(true);
    const xoauth = smtp.authAttempts.filter((a) => a.method === 'XOAUTH2');
    expect(xoauth.at(-1)).toMatchObject({ username: MAILBOX, accepted: true });
    registerSecret(xoauth.at(-1)!.accessToken!);

    // Without the grant the test token does not fit.
    const noGrant = await ws.admin.request('POST', '/api/company/email-addresses', {
      ...fields,
      password: 'x-password-1',
      testToken: test.json().testToken,
    });
    expect(noGrant.json().error.code).toBe('TEST_REQUIRED');
    // Another grant (a second connect) does not fit this token either.
    const other = grantOf((await connect(ws.admin)).back.headers.location as string)!;
    const wrongGrant = await ws.admin.request('POST', '/api/company/email-addresses', {
      ...fields,
      oauthGrantId: other,
      testToken: test.json().testToken,
    });
    expect(wrongGrant.json().error.code).toBe('TEST_REQUIRED');

    const saved = await ws.admin.request('POST', '/api/company/email-addresses', {
      ...fields,
      oauthGrantId: grantId,
      testToken: test.json().testToken,
    });
    expect(saved.statusCode, saved.body).toBe(201);
    expect(saved.json()).toMatchObject({ authType: 'oauth2', passwordSet: false, login: MAILBOX });
    const addressId = saved.json().id as string;
    const token = await t.ctx.oauth.tokens.accessTokenFor(ws.workspaceId, addressId);
    expect(server.isValidAccessToken(token.accessToken, MAILBOX)).toBe(true);

    // The saved address tests again with its own grant, no password needed.
    const again = await ws.admin.request('POST', '/api/email-addresses/test', { addressId });
    expect(again.json().ok).toBe(true);
  });

  it('a grant is usable only by the employee who connected it', async () => {
    const { back } = await connect(ws.admin);
    const grantId = grantOf(back.headers.location as string)!;
    const emp = await ws.newEmployee();
    const peek = await emp.request('GET', `/api/oauth/grants/${grantId}`);
    expect(peek.statusCode).toBe(404);
    const test = await emp.request('POST', '/api/email-addresses/test', {
      email: MAILBOX,
      ...servers(),
      oauthGrantId: grantId,
    });
    expect(test.statusCode).toBe(400);
  });

  it('refuses a callback with another state, and a replayed one', async () => {
    const { back, callback } = await connect(ws.admin);
    expect(back.statusCode).toBe(302);
    const replay = await ws.admin.request('GET', `${callback.pathname}${callback.search}`);
    expect(replay.statusCode).toBe(400);
    expect(replay.json().error.code).toBe('OAUTH_FLOW_INVALID');

    const start = await ws.admin.request('POST', '/api/oauth/start', { provider: 'google' });
    const res = await fetch(new URL(start.json().authorizationUrl), { redirect: 'manual' });
    const forged = new URL(res.headers.get('location')!);
    registerSecret(forged.searchParams.get('code')!);
    forged.searchParams.set('state', 'forged-state-value');
    const bad = await ws.admin.request('GET', `${forged.pathname}${forged.search}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('OAUTH_FLOW_INVALID');
  });

  it('a flow started by one employee cannot be finished by another', async () => {
    const start = await ws.admin.request('POST', '/api/oauth/start', { provider: 'google' });
    const res = await fetch(new URL(start.json().authorizationUrl), { redirect: 'manual' });
    const cb = new URL(res.headers.get('location')!);
    registerSecret(cb.searchParams.get('code')!);
    const emp = await ws.newEmployee();
    const r = await emp.request('GET', `${cb.pathname}${cb.search}`);
    expect(r.statusCode).toBe(400);
  });

  it('never redirects outside the app', async () => {
    const { back } = await connect(ws.admin, { returnPath: '//evil.example/x' });
    expect(back.headers.location).toMatch(/^\/\?oauth=/);
  });

  it('logs carry neither the authorization codes nor the states', () => {
    expect(states.length).toBeGreaterThan(3);
    const logs = t.logs.join('');
    for (const s of states) expect(logs).not.toContain(s);
    expect(logs).toContain('code=[redacted]');
  });

  it('lost grant: needs reconnect; "Połącz ponownie" restores it keeping every other setting', async () => {
    const { back } = await connect(ws.admin);
    const grantId = grantOf(back.headers.location as string)!;
    const fields = {
      email: MAILBOX,
      displayName: 'Biuro Kowalski',
      presetId: 'gmail',
      ...servers(),
      oauthGrantId: grantId,
    };
    const test = await ws.admin.request('POST', '/api/email-addresses/test', { ...fields, scope: 'company' });
    const saved = await ws.admin.request('POST', '/api/company/email-addresses', {
      ...fields,
      testToken: test.json().testToken,
    });
    expect(saved.statusCode, saved.body).toBe(201);
    const addressId = saved.json().id as string;

    server.revokeAll();
    // The provider refused the cached token (as a 535 would tell the outbox): forget it.
    const g = (await t.ctx.oauth.grants.findGrantOfAddress(ws.workspaceId, addressId))!;
    await t.ctx.oauth.tokens.forget(ws.workspaceId, g.id);
    await expect(t.ctx.oauth.tokens.accessTokenFor(ws.workspaceId, addressId)).rejects.toThrow();
    const lost = await ws.admin.request('GET', `/api/company/email-addresses/${addressId}`);
    expect(lost.json().health).toBe('needs_reconnect');
    expect(lost.json().healthDetail).toMatchObject({ catalogueId: 'oauth-grant-invalid' });

    // Reconnect: the same mailbox, straight back into this address's dialog.
    const re = await connect(ws.admin, { addressId, returnPath: '/company/addresses' });
    const loc = new URL(re.back.headers.location as string, 'http://x');
    expect(loc.searchParams.get('oauthAddress')).toBe(addressId);
    const newGrant = loc.searchParams.get('oauth')!;
    const retest = await ws.admin.request('POST', '/api/email-addresses/test', {
      addressId,
      oauthGrantId: newGrant,
    });
    expect(retest.json().ok).toBe(true);
    const patched = await ws.admin.request('PATCH', `/api/company/email-addresses/${addressId}`, {
      oauthGrantId: newGrant,
      testToken: retest.json().testToken,
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ displayName: 'Biuro Kowalski', authType: 'oauth2' });
    expect(patched.json().health).toBe('ok');
    await expect(t.ctx.oauth.tokens.accessTokenFor(ws.workspaceId, addressId)).resolves.toBeTruthy();
  });

  it('reconnecting with another account is refused back into the dialog', async () => {
    const { back } = await connect(ws.admin);
    const grantId = grantOf(back.headers.location as string)!;
    const fields = { email: MAILBOX, ...servers(), oauthGrantId: grantId };
    const test = await ws.admin.request('POST', '/api/email-addresses/test', { ...fields, scope: 'company' });
    const saved = await ws.admin.request('POST', '/api/company/email-addresses', {
      ...fields,
      email: 'inny.adres@gmail.test',
      testToken: test.json().testToken,
    });
    // The email differs from the tested one: the gate refuses.
    expect(saved.json().error.code).toBe('TEST_REQUIRED');
    const ok = await ws.admin.request('POST', '/api/company/email-addresses', {
      ...fields,
      testToken: test.json().testToken,
    });
    server.setEmail('ktos.inny@gmail.test');
    try {
      const re = await connect(ws.admin, { addressId: ok.json().id });
      expect(re.back.headers.location).toMatch(/oauthError=mismatch/);
    } finally {
      server.setEmail(MAILBOX);
    }
  });
});
