import { randomUUID } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOAuthContext } from '../../src/context-oauth.js';
import { createOAuthProviders } from '../../src/mail/oauth/oauth-providers.js';
import { OAuthEndpointError } from '../../src/ports/oauth-provider.js';
import {
  OAuthGrantLostError,
  OAuthTemporarilyUnavailableError,
  REFRESH_MARGIN_MS,
} from '../../src/services/oauth/oauth-tokens.js';
import { addressRow } from '../helpers/address-row.js';
import { registerSecret } from '../helpers/leak-scan.js';
import { createTestApp, type TestApp, type TestWorkspace } from '../helpers/test-app.js';
import { type OAuthTestServer, startOAuthTestServer } from '../servers/oauth-server.js';

const REDIRECT = 'http://127.0.0.1:1/api/oauth/callback';

let server: OAuthTestServer;
let t: TestApp;
let ws: TestWorkspace;
let clock = Date.now();

beforeAll(async () => {
  server = await startOAuthTestServer({ email: 'jan.kowalski@gmail.test', rotateRefreshTokens: true });
  t = await createTestApp({
    oauthGoogleClientId: server.clientId,
    oauthGoogleClientSecret: registerSecret(server.clientSecret),
    oauthGoogleIssuer: server.issuer,
  });
  ws = await t.newWorkspace('OAuth tokens');
});
afterAll(async () => {
  await t?.close();
  await server?.close();
});
// A workspace per test: one mailbox may be saved only once per list (issue 8).
beforeEach(async () => {
  ws = await t.newWorkspace('OAuth tokens');
  server.revokeAll();
  server.failNext(0);
  server.setClockSkew(0);
  server.setAccessTtl(3600);
  clock = Date.now();
});

/** A token service with its own in-memory cache, as another worker process has (shared database). */
const worker = () =>
  createOAuthContext(
    t.ctx.config,
    { db: t.ctx.db, secretBox: t.ctx.secretBox, health: t.ctx.health, now: () => new Date(clock) },
    { pauseMs: 20 },
  );

/** Authorization-code flow against the local server, without a browser. */
async function signIn(providers = worker().providers, opts: { state?: string; verifier?: string } = {}) {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const url = await providers.authorizationUrl('google', {
    state,
    nonce,
    codeChallenge: await oauth.calculatePKCECodeChallenge(verifier),
    redirectUri: REDIRECT,
  });
  const res = await fetch(url, { redirect: 'manual' });
  const callbackUrl = new URL(res.headers.get('location')!);
  return providers.exchangeCode('google', {
    callbackUrl,
    expectedState: opts.state ?? state,
    codeVerifier: opts.verifier ?? verifier,
    nonce,
    redirectUri: REDIRECT,
  });
}

/** A saved OAuth address with a grant, as the dialog leaves it. */
async function connectedAddress() {
  const identity = await signIn();
  registerSecret(identity.refreshToken);
  registerSecret(identity.accessToken);
  const address = await t.ctx.mailbox.addresses.insert(
    addressRow({ workspaceId: ws.workspaceId, scope: 'company', email: identity.email, authType: 'oauth2' }),
  );
  const id = randomUUID();
  const c = (field: string) => ({ workspaceId: ws.workspaceId, rowId: id, field });
  await t.ctx.oauth.grants.insertGrant({
    id,
    workspaceId: ws.workspaceId,
    addressId: address.id,
    provider: 'google',
    subject: identity.subject,
    email: identity.email,
    refreshTokenEnc: t.ctx.secretBox.encrypt(identity.refreshToken, c('oauth_refresh_token')),
  });
  return { addressId: address.id, grantId: id, identity };
}

const health = async (addressId: string) =>
  (await t.ctx.mailbox.addresses.findById(ws.workspaceId, addressId))!.health;

describe('access tokens (M47)', () => {
  it('refreshes once, then serves the cached token until shortly before expiry', async () => {
    const { addressId } = await connectedAddress();
    const w = worker();
    const before = server.stats.refreshes;
    const a = await w.tokens.accessTokenFor(ws.workspaceId, addressId);
    const b = await w.tokens.accessTokenFor(ws.workspaceId, addressId);
    expect(server.stats.refreshes - before).toBe(1);
    expect(b.accessToken).toBe(a.accessToken);
    expect(a.user).toBe('jan.kowalski@gmail.test');
    expect(server.isValidAccessToken(a.accessToken, a.user)).toBe(true);

    // 50 minutes on: still valid for 10 more, beyond the margin.
    clock += 50 * 60_000;
    expect((await w.tokens.accessTokenFor(ws.workspaceId, addressId)).accessToken).toBe(a.accessToken);
    // Inside the margin before expiry: refreshed ahead of time.
    clock += 10 * 60_000 - REFRESH_MARGIN_MS + 1000;
    const c = await w.tokens.accessTokenFor(ws.workspaceId, addressId);
    expect(c.accessToken).not.toBe(a.accessToken);
    expect(server.stats.refreshes - before).toBe(2);
  });

  it('stores tokens only as ciphertexts bound to the grant row', async () => {
    const { addressId, grantId } = await connectedAddress();
    const token = await worker().tokens.accessTokenFor(ws.workspaceId, addressId);
    const row = (await t.ctx.oauth.grants.findGrant(ws.workspaceId, grantId))!;
    expect(row.accessTokenEnc).toMatch(/^mc1:/);
    expect(row.refreshTokenEnc).toMatch(/^mc1:/);
    expect(JSON.stringify(row)).not.toContain(token.accessToken);
    // Moved to another row, the value no longer decrypts.
    expect(() =>
      t.ctx.secretBox.decrypt(row.accessTokenEnc!, {
        workspaceId: ws.workspaceId,
        rowId: randomUUID(),
        field: 'oauth_access_token',
      }),
    ).toThrow(/altered or belongs to another record/);
  });

  it('one refresh in flight per address: 20 callers in 3 workers sharing the database', async () => {
    const { addressId } = await connectedAddress();
    const workers = [worker(), worker(), worker()];
    const before = server.stats.refreshes;
    const tokens = await Promise.all(
      Array.from({ length: 20 }, (_, i) => workers[i % 3]!.tokens.accessTokenFor(ws.workspaceId, addressId)),
    );
    expect(server.stats.refreshes - before).toBe(1);
    expect(new Set(tokens.map((x) => x.accessToken)).size).toBe(1);
  });

  it('saves a rotated refresh token; the old one is dead at the server and never used again', async () => {
    const { addressId, grantId, identity } = await connectedAddress();
    const w = worker();
    await w.tokens.accessTokenFor(ws.workspaceId, addressId);
    const row = (await t.ctx.oauth.grants.findGrant(ws.workspaceId, grantId))!;
    const saved = t.ctx.secretBox.decrypt(row.refreshTokenEnc, {
      workspaceId: ws.workspaceId,
      rowId: grantId,
      field: 'oauth_refresh_token',
    });
    registerSecret(saved);
    expect(saved).not.toBe(identity.refreshToken);
    expect(server.liveRefreshTokens()).toContain(saved);
    expect(server.liveRefreshTokens()).not.toContain(identity.refreshToken);
    // Another worker, an hour later, refreshes with the rotated token.
    clock += 3600_000;
    await expect(worker().tokens.accessTokenFor(ws.workspaceId, addressId)).resolves.toBeTruthy();
    expect(await health(addressId)).toBe('ok');
  });

  it('revocation: needs reconnect, the owner told once, no token-endpoint hammering status flaps', async () => {
    const { addressId } = await connectedAddress();
    server.revokeAll();
    const w = worker();
    await expect(w.tokens.accessTokenFor(ws.workspaceId, addressId)).rejects.toBeInstanceOf(
      OAuthGrantLostError,
    );
    expect(await health(addressId)).toBe('needs_reconnect');
    await expect(w.tokens.accessTokenFor(ws.workspaceId, addressId)).rejects.toBeInstanceOf(
      OAuthGrantLostError,
    );
    const notes = await t.ctx.repos.notifications.listFor(ws.workspaceId, ws.admin.employeeId, { limit: 50 });
    const mine = notes.filter((n) => (n.payload as { addressId?: string }).addressId === addressId);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.payload).toMatchObject({ status: 'needs_reconnect', catalogueId: 'oauth-grant-invalid' });
  });

  it('transient token-endpoint errors are retried and do not change the status', async () => {
    const { addressId } = await connectedAddress();
    server.failNext(2, 503);
    const token = await worker().tokens.accessTokenFor(ws.workspaceId, addressId);
    expect(server.isValidAccessToken(token.accessToken)).toBe(true);
    expect(await health(addressId)).toBe('ok');

    clock += 3600_000;
    server.failNext(10, 500);
    await expect(worker().tokens.accessTokenFor(ws.workspaceId, addressId)).rejects.toBeInstanceOf(
      OAuthTemporarilyUnavailableError,
    );
    expect(await health(addressId)).toBe('ok');
    // The lease was given back: the next call (server healthy again) refreshes at once.
    server.failNext(0);
    await expect(worker().tokens.accessTokenFor(ws.workspaceId, addressId)).resolves.toBeTruthy();
  });

  it('an unreachable token endpoint counts as temporary', async () => {
    const { addressId, grantId } = await connectedAddress();
    const dead = createOAuthContext(
      {
        ...t.ctx.config,
        oauth: {
          google: {
            clientId: 'x',
            clientSecret: 'y',
            issuer: 'http://127.0.0.1:9',
            mailHosts: ['127.0.0.1'],
          },
          microsoft: null,
        },
      },
      { db: t.ctx.db, secretBox: t.ctx.secretBox, health: t.ctx.health },
      { pauseMs: 5 },
    );
    await expect(dead.tokens.accessTokenFor(ws.workspaceId, addressId)).rejects.toBeInstanceOf(
      OAuthTemporarilyUnavailableError,
    );
    expect(await health(addressId)).toBe('ok');
    expect((await t.ctx.oauth.grants.findGrant(ws.workspaceId, grantId))!.refreshLeaseUntil).toBeNull();
  });
});

describe('connecting (authorization code + PKCE + state)', () => {
  it('reads the mailbox from the ID token', async () => {
    const identity = await signIn();
    registerSecret(identity.refreshToken);
    expect(identity).toMatchObject({ email: 'jan.kowalski@gmail.test', expiresIn: 3600 });
    expect(identity.refreshToken).toMatch(/^rt-/);
  });

  it('refuses a callback whose state does not match', async () => {
    await expect(signIn(undefined, { state: 'another-state' })).rejects.toMatchObject({
      kind: 'rejected',
      reason: 'state_mismatch',
    });
  });

  it('refuses a code redeemed with another PKCE verifier', async () => {
    const err = await signIn(undefined, { verifier: oauth.generateRandomCodeVerifier() }).catch((e) => e);
    expect(err).toBeInstanceOf(OAuthEndpointError);
    expect(err.kind).toBe('invalid_grant');
  });

  it('tolerates a few minutes of clock skew in the ID token, not more', async () => {
    // The server's clock is 62 minutes behind: its ID token (valid 60 min) expired 2 minutes ago.
    server.setClockSkew(-(62 * 60));
    await expect(signIn()).resolves.toMatchObject({ email: 'jan.kowalski@gmail.test' });
    server.setClockSkew(-(70 * 60));
    await expect(signIn()).rejects.toMatchObject({ kind: 'rejected' });
    // A server clock hours ahead does not matter: access-token expiry is relative (expires_in).
    server.setClockSkew(3 * 3600);
    const identity = await signIn();
    expect(identity.expiresIn).toBe(3600);
  });
});

describe('Microsoft multi-tenant sign-in (templated issuer)', () => {
  it('accepts the ID token of the tenant it names and reads the mailbox from preferred_username', async () => {
    const tenantId = '72f988bf-86f1-41af-91ab-2d7cd011db47';
    const ms = await startOAuthTestServer({
      email: 'anna.nowak@firma.onmicrosoft.test',
      multiTenant: { segment: 'organizations', tenantId },
    });
    try {
      const providers = createOAuthProviders({
        google: null,
        microsoft: {
          clientId: ms.clientId,
          clientSecret: ms.clientSecret,
          issuer: `${ms.issuer}/organizations/v2.0`,
          mailHosts: ['127.0.0.1'],
        },
      });
      const verifier = oauth.generateRandomCodeVerifier();
      const state = oauth.generateRandomState();
      const nonce = oauth.generateRandomNonce();
      const url = await providers.authorizationUrl('microsoft', {
        state,
        nonce,
        codeChallenge: await oauth.calculatePKCECodeChallenge(verifier),
        redirectUri: REDIRECT,
      });
      expect(url.searchParams.get('scope')).toContain('https://outlook.office.com/SMTP.Send');
      expect(url.searchParams.get('scope')).toContain('offline_access');
      const res = await fetch(url, { redirect: 'manual' });
      const identity = await providers.exchangeCode('microsoft', {
        callbackUrl: new URL(res.headers.get('location')!),
        expectedState: state,
        codeVerifier: verifier,
        nonce,
        redirectUri: REDIRECT,
      });
      registerSecret(identity.refreshToken);
      expect(identity.email).toBe('anna.nowak@firma.onmicrosoft.test');
    } finally {
      await ms.close();
    }
  });
});
