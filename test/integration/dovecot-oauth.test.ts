import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outgoingMessages } from '../../src/db/schema/index.js';
import { pollOnce, storedRows } from '../helpers/ingest-fixtures.js';
import { registerSecret } from '../helpers/leak-scan.js';
import { outboxFixture } from '../helpers/outbox-fixture.js';
import { serviceMissing } from '../helpers/require-service.js';
import { createTestApp, type TestApp, type TestWorkspace } from '../helpers/test-app.js';
import { type DovecotInstance, dovecotMissingReason, startDovecot } from '../servers/dovecot.js';
import { type OAuthTestServer, startOAuthTestServer } from '../servers/oauth-server.js';

const MAILBOX = 'jan@firma.example';
const missing = serviceMissing('Dovecot', dovecotMissingReason());

/**
 * XOAUTH2 against a real Dovecot (M47): its oauth2 passdb asks our local authorization server
 * whether a token is live (RFC 7662), so only the access token it issued signs in, for
 * submission (SMTP), POP3 and IMAP alike.
 */
describe.skipIf(missing)('OAuth mailbox against Dovecot', () => {
  let oauth: OAuthTestServer;
  let dovecot: DovecotInstance;
  let t: TestApp;
  let ws: TestWorkspace;

  beforeAll(async () => {
    oauth = await startOAuthTestServer({ email: MAILBOX });
    dovecot = await startDovecot({
      users: [{ user: MAILBOX, password: registerSecret(`pw-${Date.now()}-unused`) }],
      messages: { [MAILBOX]: [Buffer.from('Subject: x\n\nhi\n')] },
      oauth2IntrospectionUrl: `${oauth.issuer}/introspect`,
      // Mail sent through submission lands in the mailbox again: the outbox → IMAP round trip.
      deliverRelayed: true,
    });
    t = await createTestApp({
      testRateLimit: '1000',
      oauthGoogleClientId: oauth.clientId,
      oauthGoogleClientSecret: registerSecret(oauth.clientSecret),
      oauthGoogleIssuer: oauth.issuer,
    });
    ws = await t.newWorkspace();
  });
  afterAll(async () => {
    // No code or token the authorization server issued is in a response or a log line.
    for (const s of oauth?.issued() ?? []) registerSecret(s);
    await t?.close();
    await dovecot?.stop();
    await oauth?.close();
  });

  async function connect(): Promise<string> {
    const start = await ws.admin.request('POST', '/api/oauth/start', { provider: 'google' });
    const res = await fetch(new URL(start.json().authorizationUrl), { redirect: 'manual' });
    const cb = new URL(res.headers.get('location')!);
    registerSecret(cb.searchParams.get('code')!);
    const back = await ws.admin.request('GET', `${cb.pathname}${cb.search}`);
    return new URL(back.headers.location as string, 'http://x').searchParams.get('oauth')!;
  }

  const fields = (incoming: 'pop3' | 'imap') => ({
    email: MAILBOX,
    smtp: { host: '127.0.0.1', port: dovecot.ports.submissions, security: 'tls' },
    incoming: {
      protocol: incoming,
      host: '127.0.0.1',
      port: incoming === 'pop3' ? dovecot.ports.pop3s : dovecot.ports.imaps,
      security: 'tls',
    },
  });
  const test = async (body: object) =>
    (await ws.admin.request('POST', '/api/email-addresses/test', { ...body, scope: 'company' })).json();

  it('signs in with the issued token over submission, POP3 and IMAP', async () => {
    const grantId = await connect();
    for (const incoming of ['pop3', 'imap'] as const) {
      const r = await test({ ...fields(incoming), oauthGrantId: grantId });
      expect(r.ok, `${incoming}: ${JSON.stringify(r)}\n${dovecot.logs().slice(-2000)}`).toBe(true);
      const auth = r.smtp.steps.find((s: { id: string }) => s.id === 'auth');
      expect(auth.outcome).toBe('ok');
    }
  });

  it('refuses a token the authorization server no longer honours', async () => {
    const grantId = await connect();
    expect((await test({ ...fields('imap'), oauthGrantId: grantId })).ok).toBe(true);
    oauth.revokeAll();
    // Our cache still holds the token; Dovecot asks the server, which says it is dead.
    const r = await test({ ...fields('imap'), oauthGrantId: grantId });
    expect(r.ok).toBe(false);
    expect(r.smtp.steps.find((s: { id: string }) => s.id === 'auth').outcome).toBe('failed');
    expect(r.incoming.steps.find((s: { id: string }) => s.id === 'auth').outcome).toBe('failed');
  });

  it('the outbox sends through submission and the poller collects by IMAP with the issued token; a revoked grant pauses both', async () => {
    const grantId = await connect();
    const body = { ...fields('imap'), options: { collectReplies: true, leaveOnServer: true } };
    const tested = await test({ ...body, oauthGrantId: grantId });
    expect(tested.ok, JSON.stringify(tested)).toBe(true);
    const saved = await ws.admin.request('POST', '/api/company/email-addresses', {
      ...body,
      oauthGrantId: grantId,
      testToken: tested.testToken,
    });
    expect(saved.statusCode, saved.body).toBe(201);
    const addressId = saved.json().id as string;
    await pollOnce(t.ctx, ws.workspaceId, addressId); // first sync: records what is there

    const fx = outboxFixture({ db: t.ctx.db, secretBox: t.ctx.secretBox });
    const send = async (subject: string) => {
      const q = await fx.enqueue({
        workspaceId: ws.workspaceId,
        addressId,
        from: MAILBOX,
        to: [MAILBOX],
        subject,
      });
      const sender = t.ctx.outbox.createSender();
      await sender.tick(new AbortController().signal);
      await sender.idle(20_000);
      await sender.stop();
      return (await t.ctx.db.select().from(outgoingMessages).where(eq(outgoingMessages.id, q.id)))[0]!;
    };
    const sent = await send('Przez XOAUTH2');
    expect(sent.status, `${JSON.stringify(sent.failure)}\n${dovecot.logs().slice(-2000)}`).toBe('sent');
    let stored: Awaited<ReturnType<typeof storedRows>> = [];
    for (let i = 0; i < 20 && !stored.some((r) => r.messageIdHeader === sent.messageId); i++) {
      await pollOnce(t.ctx, ws.workspaceId, addressId);
      stored = await storedRows(t.ctx, addressId);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(stored.map((r) => r.messageIdHeader)).toContain(sent.messageId);
    const sync = await t.ctx.ingest.sync.find(ws.workspaceId, addressId);
    expect(sync?.failureStreak).toBe(0);

    // Revoked: Dovecot refuses the cached token, the poller refreshes once and hears
    // invalid_grant: needs reconnect (not a wrong password); the outbox then leaves it alone.
    oauth.revokeAll();
    await pollOnce(t.ctx, ws.workspaceId, addressId);
    const address = (await ws.admin.request('GET', `/api/company/email-addresses/${addressId}`)).json();
    expect(address.health).toBe('needs_reconnect');
    expect(address.healthDetail).toMatchObject({ catalogueId: 'oauth-grant-invalid' });
    const waiting = await send('Po odwołaniu');
    expect(waiting.status).toBe('queued');
  });
});
