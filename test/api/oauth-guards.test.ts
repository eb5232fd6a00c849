import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registerSecret } from '../helpers/leak-scan.js';
import { createTestApp, type TestApp, type TestWorkspace } from '../helpers/test-app.js';
import { type OAuthTestServer, startOAuthTestServer } from '../servers/oauth-server.js';
import { Pop3FakeServer } from '../servers/pop3-fake-server.js';
import { type SmtpSink, startSmtpSink } from '../servers/smtp-sink.js';

const MAILBOX = 'jan.kowalski@gmail.test';

let server: OAuthTestServer;
let t: TestApp;
let ws: TestWorkspace;
let smtp: SmtpSink;
/** Somebody else's server: it accepts any XOAUTH2 token and keeps it. */
let other: SmtpSink;
let pop3: Pop3FakeServer;

beforeAll(async () => {
  server = await startOAuthTestServer({ email: MAILBOX });
  const accept = (user: string, token: string) => server.isValidAccessToken(token, user);
  smtp = await startSmtpSink({ mode: 'tls', users: [], authMethods: ['XOAUTH2'], acceptAccessToken: accept });
  other = await startSmtpSink({
    mode: 'tls',
    users: [],
    authMethods: ['XOAUTH2'],
    acceptAccessToken: () => true,
  });
  pop3 = await Pop3FakeServer.start({ implicitTls: true, user: MAILBOX, acceptAccessToken: accept });
  t = await createTestApp({
    oauthGoogleClientId: server.clientId,
    oauthGoogleClientSecret: registerSecret(server.clientSecret),
    oauthGoogleIssuer: server.issuer,
  });
});
beforeEach(async () => {
  ws = await t.newWorkspace('OAuth guard');
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
  await other?.close();
  await pop3?.close();
  await server?.close();
});

/** Start → the provider → our callback (with `extra` query parameters); returns our redirect. */
async function connectFlow(returnPath = '/x', extra = '') {
  const start = await ws.admin.request('POST', '/api/oauth/start', { provider: 'google', returnPath });
  const res = await fetch(new URL(start.json().authorizationUrl), { redirect: 'manual' });
  const cb = new URL(res.headers.get('location')!);
  registerSecret(cb.searchParams.get('code')!);
  return ws.admin.request('GET', `${cb.pathname}${cb.search}${extra}`);
}

async function connectGrant(): Promise<string> {
  const back = await connectFlow();
  return new URL(back.headers.location as string, 'http://x').searchParams.get('oauth')!;
}

const fields = (grantId: string) => ({
  email: MAILBOX,
  displayName: 'Biuro',
  presetId: 'gmail',
  smtp: { host: '127.0.0.1', port: smtp.port, security: 'tls' },
  incoming: { protocol: 'pop3', host: '127.0.0.1', port: pop3.port, security: 'tls' },
  oauthGrantId: grantId,
});

async function savedAddress(): Promise<string> {
  const f = fields(await connectGrant());
  const test = await ws.admin.request('POST', '/api/email-addresses/test', { ...f, scope: 'company' });
  expect(test.json().ok, test.body).toBe(true);
  const saved = await ws.admin.request('POST', '/api/company/email-addresses', {
    ...f,
    testToken: test.json().testToken,
  });
  expect(saved.statusCode, saved.body).toBe(201);
  return saved.json().id;
}

const issueOf = (body: string) => JSON.parse(body).error.details.fields[0];

describe('OAuth tokens go only where the grant was given (decision 0004)', () => {
  it('a saved address moved to another server needs a reconnect: no token reaches that server', async () => {
    const id = await savedAddress();
    const moved = { smtp: { host: '127.0.0.1', port: other.port, security: 'tls' } };
    const test = await ws.admin.request(
      'POST',
      '/api/email-addresses/test',
      { addressId: id, ...moved },
      { 'accept-language': 'en' },
    );
    expect(test.statusCode, test.body).toBe(400);
    expect(issueOf(test.body)).toMatchObject({ path: '/body/oauthGrantId', code: 'reconnect_required' });
    expect(issueOf(test.body).message).toMatch(/Reconnect/);
    const save = await ws.admin.request('PATCH', `/api/company/email-addresses/${id}`, moved);
    expect(save.statusCode, save.body).toBe(400);
    expect(issueOf(save.body)).toMatchObject({ code: 'reconnect_required' });
    expect(other.authAttempts).toEqual([]);
  });

  it('a changed address (From) of a saved OAuth address needs a reconnect too', async () => {
    const id = await savedAddress();
    const test = await ws.admin.request(
      'POST',
      '/api/email-addresses/test',
      { addressId: id, email: 'prezes@gmail.test' },
      { 'accept-language': 'pl' },
    );
    expect(test.statusCode, test.body).toBe(400);
    expect(issueOf(test.body)).toMatchObject({ code: 'reconnect_required' });
    expect(issueOf(test.body).message).toMatch(/Połącz ponownie/);
  });

  it('refuses servers that are not the provider’s, before connecting anywhere', async () => {
    const f = fields(await connectGrant());
    const test = await ws.admin.request('POST', '/api/email-addresses/test', {
      ...f,
      smtp: { host: 'smtp.evil.example', port: other.port, security: 'tls' },
      scope: 'company',
    });
    expect(test.statusCode, test.body).toBe(400);
    expect(issueOf(test.body)).toMatchObject({ path: '/body/smtp/host', code: 'oauth_host_not_allowed' });
    const save = await ws.admin.request('POST', '/api/company/email-addresses', {
      ...f,
      incoming: { ...f.incoming, host: 'pop.evil.example' },
    });
    expect(issueOf(save.body)).toMatchObject({ path: '/body/incoming/host', code: 'oauth_host_not_allowed' });
  });

  it('unchanged settings still test with the saved grant', async () => {
    const id = await savedAddress();
    const again = await ws.admin.request('POST', '/api/email-addresses/test', { addressId: id });
    expect(again.json().ok, again.body).toBe(true);
  });
});

describe('the OAuth callback', () => {
  it('never redirects to another host, however the return path is spelled', async () => {
    for (const returnPath of ['/.//evil.example', '/x/..//evil.example/steal']) {
      const back = await connectFlow(returnPath);
      expect(back.statusCode, back.body).toBe(302);
      expect(back.headers.location).toMatch(/^\/\?oauth=/);
    }
  });

  it('ignores parameters the provider adds (Microsoft’s client_info, Google’s authuser)', async () => {
    const back = await connectFlow('/company/addresses', '&client_info=eyJ1aWQiOiJ4In0&authuser=0&x_new=1');
    expect(back.statusCode, back.body).toBe(302);
    expect(back.headers.location).toMatch(/^\/company\/addresses\?oauth=/);
  });
});
