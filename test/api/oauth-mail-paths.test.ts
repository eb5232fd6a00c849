import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { outgoingMessages } from '../../src/db/schema/index.js';
import { mail, pollOnce, storedRows } from '../helpers/ingest-fixtures.js';
import { registerSecret } from '../helpers/leak-scan.js';
import { outboxFixture } from '../helpers/outbox-fixture.js';
import { type Caller, createTestApp, type TestApp, type TestWorkspace } from '../helpers/test-app.js';
import { type OAuthTestServer, startOAuthTestServer } from '../servers/oauth-server.js';
import { Pop3FakeServer } from '../servers/pop3-fake-server.js';
import { type SmtpSink, startSmtpSink } from '../servers/smtp-sink.js';

/**
 * XOAUTH2 in the outbox and the poller (issue 11 items 4–5): a connected Gmail address sends
 * through the scripted SMTP server and collects from the scripted POP3 server, both accepting
 * only access tokens the local authorization server issued and still honours. Tokens come from
 * the token service (refreshed, rotated, saved); a lost grant pauses the address (`needs
 * reconnect`), its queued email waits and leaves after "Połącz ponownie".
 */
const MAILBOX = 'jan.kowalski@gmail.test';

let server: OAuthTestServer;
let t: TestApp;
let ws: TestWorkspace;
let smtp: SmtpSink;
let pop3: Pop3FakeServer;

beforeAll(async () => {
  server = await startOAuthTestServer({ email: MAILBOX, rotateRefreshTokens: true });
  const accept = (user: string, token: string) => server.isValidAccessToken(token, user);
  smtp = await startSmtpSink({
    mode: 'tls',
    users: [],
    authMethods: ['XOAUTH2'],
    acceptAccessToken: accept,
    // Mail to the mailbox itself lands in its POP3 box (the test email's round trip).
    onMessage: (m) => {
      if (m.to.includes(MAILBOX))
        pop3.messages.push({ raw: m.raw, uid: `self-${pop3.messages.length}-${Date.now()}` });
    },
  });
  pop3 = await Pop3FakeServer.start({ implicitTls: true, user: MAILBOX, acceptAccessToken: accept });
  t = await createTestApp(
    {
      oauthGoogleClientId: server.clientId,
      oauthGoogleClientSecret: registerSecret(server.clientSecret),
      oauthGoogleIssuer: server.issuer,
    },
    // Short waits for the test email's arrival checks.
    { testEmailTiming: { arrivalTimeoutMs: 5_000, checkIntervalsMs: [100, 200, 400] } },
  );
});
// A workspace per test: one mailbox may be saved only once per list.
beforeEach(async () => {
  ws = await t.newWorkspace('OAuth mail paths');
  server.setAccessTtl(3600);
});
afterAll(async () => {
  // Item 3: no code, access or refresh token the server ever issued is in a response or a log
  // line (metrics included): t.close() fails the file on a hit.
  if (t) {
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
    t.logs.push(metrics.body);
  }
  for (const s of server?.issued() ?? []) registerSecret(s);
  await t?.close();
  await smtp?.close();
  await pop3?.close();
  await server?.close();
});

async function connect(c: Caller, body: Record<string, unknown> = {}): Promise<string> {
  const start = await c.request('POST', '/api/oauth/start', {
    provider: 'google',
    returnPath: '/company/addresses',
    ...body,
  });
  expect(start.statusCode, start.body).toBe(200);
  const res = await fetch(new URL(start.json().authorizationUrl), { redirect: 'manual' });
  const callback = new URL(res.headers.get('location')!);
  const back = await c.request('GET', `${callback.pathname}${callback.search}`);
  const grant = new URL(back.headers.location as string, 'http://x').searchParams.get('oauth');
  expect(grant, back.headers.location as string).toBeTruthy();
  return grant!;
}

/** Connect → test → save: a company Gmail address that sends by SMTP and collects by POP3. */
async function connectedAddress(): Promise<string> {
  const grantId = await connect(ws.admin);
  const fields = {
    email: MAILBOX,
    displayName: 'Biuro Kowalski',
    presetId: 'gmail',
    smtp: { host: '127.0.0.1', port: smtp.port, security: 'tls' },
    incoming: { protocol: 'pop3', host: '127.0.0.1', port: pop3.port, security: 'tls' },
    options: { collectReplies: true, leaveOnServer: true },
    oauthGrantId: grantId,
  };
  const test = await ws.admin.request('POST', '/api/email-addresses/test', { ...fields, scope: 'company' });
  expect(test.json().ok, test.body).toBe(true);
  const saved = await ws.admin.request('POST', '/api/company/email-addresses', {
    ...fields,
    testToken: test.json().testToken,
  });
  expect(saved.statusCode, saved.body).toBe(201);
  return saved.json().id as string;
}

let fixture: ReturnType<typeof outboxFixture> | null = null;
/** One fixture for the file: it remembers the project it made per workspace. */
const fx = () => (fixture ??= outboxFixture({ db: t.ctx.db, secretBox: t.ctx.secretBox }));
const row = async (id: string) =>
  (await t.ctx.db.select().from(outgoingMessages).where(eq(outgoingMessages.id, id)))[0]!;
const health = async (addressId: string) =>
  (await ws.admin.request('GET', `/api/company/email-addresses/${addressId}`)).json();
const noticesAbout = async (addressId: string) =>
  (await t.ctx.repos.notifications.listFor(ws.workspaceId, ws.admin.employeeId, { limit: 50 })).filter(
    (n) => (n.payload as { addressId?: string }).addressId === addressId,
  );

/** One outbox pass of a fresh worker (its own token cache is the process's), until idle. */
async function sendQueued() {
  const sender = t.ctx.outbox.createSender();
  await sender.tick(new AbortController().signal);
  await sender.idle(20_000);
  await sender.stop();
}

const xoauthLogins = () => smtp.authAttempts.filter((a) => a.method === 'XOAUTH2');

describe('XOAUTH2 in the outbox and the poller (issue 11 item 4)', () => {
  it('sends and collects with tokens from the token service; each refresh rotates and saves the refresh token', async () => {
    // One-minute tokens: inside the refresh margin, so every connection refreshes first.
    server.setAccessTtl(60);
    const addressId = await connectedAddress();
    const refreshesBefore = server.stats.refreshes;
    const loginsBefore = xoauthLogins().length;

    const q = await fx().enqueue({ workspaceId: ws.workspaceId, addressId, to: ['anna@klient.example'] });
    await sendQueued();
    const sent = await row(q.id);
    expect(sent.status, JSON.stringify(sent.failure)).toBe('sent');
    expect(smtp.messages.some((m) => m.raw.toString().includes(q.messageId))).toBe(true);
    const logins = xoauthLogins().slice(loginsBefore);
    expect(logins.length).toBeGreaterThan(0);
    expect(logins.every((a) => a.username === MAILBOX && a.accepted)).toBe(true);
    expect(server.stats.refreshes).toBeGreaterThan(refreshesBefore);

    await pollOnce(t.ctx, ws.workspaceId, addressId); // first sync records what is there
    pop3.messages.push({ raw: mail('oauth-1'), uid: `oauth-${addressId}` });
    await pollOnce(t.ctx, ws.workspaceId, addressId);
    const stored = await storedRows(t.ctx, addressId);
    expect(stored.map((r) => r.remoteUid)).toContain(`oauth-${addressId}`);

    // Rotation: the grant row holds the one refresh token the server still honours.
    const g = (await t.ctx.oauth.grants.findGrantOfAddress(ws.workspaceId, addressId))!;
    const storedRefresh = t.ctx.secretBox.decrypt(g.refreshTokenEnc, {
      workspaceId: ws.workspaceId,
      rowId: g.id,
      field: 'oauth_refresh_token',
    });
    expect(server.liveRefreshTokens()).toContain(storedRefresh);
    expect((await health(addressId)).health).toBe('ok');
  });

  it('concurrent connections of one address share one refresh', async () => {
    server.setAccessTtl(3600);
    const addressId = await connectedAddress();
    // Expire the stored token so the next use must refresh, then send five emails side by side.
    const g = (await t.ctx.oauth.grants.findGrantOfAddress(ws.workspaceId, addressId))!;
    await t.ctx.oauth.tokens.forget(ws.workspaceId, g.id);
    const before = server.stats.refreshes;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push(
        (await fx().enqueue({ workspaceId: ws.workspaceId, addressId, to: [`k${i}@klient.example`] })).id,
      );
    await sendQueued();
    for (const id of ids) expect((await row(id)).status).toBe('sent');
    expect(server.stats.refreshes - before).toBe(1);
  });
});

describe('"Send a test email" on an OAuth address (M23 with M47)', () => {
  it('sends with XOAUTH2 and sees it arrive over POP3 with XOAUTH2', async () => {
    const addressId = await connectedAddress();
    // The worker runs the test email's steps; stopped again so the other tests poll by hand.
    t.startWorker();
    const started = await ws.admin.request('POST', `/api/email-addresses/${addressId}/test-emails`);
    expect(started.statusCode, started.body).toBe(202);
    try {
      await t.ctx.mailbox.testEmails.idle();
    } finally {
      await t.stopWorker();
    }
    const done = (
      await ws.admin.request('GET', `/api/email-addresses/${addressId}/test-emails/${started.json().id}`)
    ).json();
    expect(done.status, JSON.stringify(done)).toBe('arrived');
    expect(done.send.steps.find((s: { id: string }) => s.id === 'auth').outcome).toBe('ok');
  });
});

describe('lost grant while sending or collecting (issue 11 item 5)', () => {
  it('revoked between sends: the email waits (not failed), the address needs reconnect, the owner is told once; reconnecting sends it', async () => {
    const addressId = await connectedAddress();
    const first = await fx().enqueue({ workspaceId: ws.workspaceId, addressId, to: ['anna@klient.example'] });
    await sendQueued();
    expect((await row(first.id)).status).toBe('sent');

    // The user removed the app's access: the cached access token is refused by the server too.
    server.revokeAll();
    const second = await fx().enqueue({
      workspaceId: ws.workspaceId,
      addressId,
      to: ['anna@klient.example'],
    });
    await sendQueued();
    const waiting = await row(second.id);
    expect(waiting.status).toBe('queued');
    expect(waiting.failure).toMatchObject({ catalogueId: 'oauth-grant-invalid' });
    const h = await health(addressId);
    expect(h.health).toBe('needs_reconnect');
    expect(h.healthDetail).toMatchObject({ catalogueId: 'oauth-grant-invalid' });

    // Nothing more is tried for this address: another pass and a poll change nothing.
    const refreshes = server.stats.refreshes;
    await sendQueued();
    expect((await row(second.id)).status).toBe('queued');
    expect(server.stats.refreshes).toBe(refreshes);
    const notes = await noticesAbout(addressId);
    expect(notes).toHaveLength(1);
    expect(notes[0]!.payload).toMatchObject({
      status: 'needs_reconnect',
      catalogueId: 'oauth-grant-invalid',
    });

    // "Połącz ponownie": a new grant for the same mailbox, tested and saved; nothing else re-entered.
    const grant = await connect(ws.admin, { addressId });
    const retest = await ws.admin.request('POST', '/api/email-addresses/test', {
      addressId,
      oauthGrantId: grant,
    });
    expect(retest.json().ok, retest.body).toBe(true);
    const patched = await ws.admin.request('PATCH', `/api/company/email-addresses/${addressId}`, {
      oauthGrantId: grant,
      testToken: retest.json().testToken,
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ health: 'ok', displayName: 'Biuro Kowalski' });
    await sendQueued();
    expect((await row(second.id)).status).toBe('sent');
    expect(await noticesAbout(addressId)).toHaveLength(1);
  });

  it('revoked while the poller holds a cached token: needs reconnect (not a wrong password)', async () => {
    const addressId = await connectedAddress();
    await pollOnce(t.ctx, ws.workspaceId, addressId);
    server.revokeAll();
    await pollOnce(t.ctx, ws.workspaceId, addressId);
    const h = await health(addressId);
    expect(h.health).toBe('needs_reconnect');
    expect(h.healthDetail).toMatchObject({ catalogueId: 'oauth-grant-invalid' });
    expect(await noticesAbout(addressId)).toHaveLength(1);
  });

  it('transient token-endpoint errors: retried; the email leaves or waits, the address status never changes', async () => {
    server.setAccessTtl(60);
    const addressId = await connectedAddress();
    server.failNext(2, 503);
    const a = await fx().enqueue({ workspaceId: ws.workspaceId, addressId, to: ['anna@klient.example'] });
    await sendQueued();
    expect((await row(a.id)).status).toBe('sent');

    // Longer than the retries: the email is deferred for later, the address stays `ok`.
    server.failNext(20, 503);
    const b = await fx().enqueue({ workspaceId: ws.workspaceId, addressId, to: ['anna@klient.example'] });
    await sendQueued();
    expect(['deferred', 'queued']).toContain((await row(b.id)).status);
    await pollOnce(t.ctx, ws.workspaceId, addressId);
    server.failNext(0);
    expect((await health(addressId)).health).toBe('ok');
    expect(await noticesAbout(addressId)).toHaveLength(0);
    // An outage is not our bug: no error-level log line about it.
    expect(t.logs.filter((l) => /"level":50/.test(l) && l.includes('OAUTH'))).toEqual([]);
  });
});
