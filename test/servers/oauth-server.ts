import { createHash, generateKeyPairSync, randomBytes, randomUUID, sign } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local OAuth 2.0 / OpenID Connect authorization server for tests (decision 0004): discovery,
 * an authorization endpoint that signs in one configured user (a tiny consent page or straight
 * back), PKCE S256 checked at the token endpoint, RS256 ID tokens, refresh with optional
 * rotation, revocation, injected 5xx failures and a skewed clock. Written on node:http because
 * the scripted mail servers must accept exactly the access tokens it issued, and tests must
 * revoke and rotate grants at will.
 */
export interface OAuthTestServerOptions {
  clientId?: string;
  clientSecret?: string;
  /** The mailbox the "signed-in" user owns. */
  email?: string;
  subject?: string;
  accessTtlSec?: number;
  rotateRefreshTokens?: boolean;
  /** Show a consent page with a button instead of redirecting straight back. */
  consentPage?: boolean;
  /**
   * Behave like Microsoft's multi-tenant endpoint: discovery under `/<segment>/v2.0` names the
   * issuer `…/{tenantid}/v2.0`, and ID tokens carry `tid` and that tenant's issuer.
   */
  multiTenant?: { segment: 'common' | 'organizations'; tenantId: string };
}

export interface OAuthTestServer {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Access tokens issued and still valid (what the mail test servers accept). */
  isValidAccessToken(token: string, user?: string): boolean;
  /** Revokes every refresh and access token (the user removed the app's access). */
  revokeAll(): void;
  /** The next `n` token-endpoint calls answer `status` (503 by default) without doing anything. */
  failNext(n: number, status?: number): void;
  /** Seconds added to the server's clock in the ID token (`iat`, `exp`). */
  setClockSkew(seconds: number): void;
  setEmail(email: string): void;
  /** Makes the next access token expire after `sec` seconds. */
  setAccessTtl(sec: number): void;
  readonly stats: { authorizations: number; codeExchanges: number; refreshes: number; failures: number };
  /** Refresh tokens currently valid. */
  liveRefreshTokens(): string[];
  /** Every code, access token and refresh token this server ever handed out (for the leak scan). */
  issued(): string[];
  close(): Promise<void>;
}

interface Code {
  clientId: string;
  redirectUri: string;
  challenge: string;
  nonce: string | null;
  scope: string;
  used: boolean;
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

export async function startOAuthTestServer(opts: OAuthTestServerOptions = {}): Promise<OAuthTestServer> {
  const clientId = opts.clientId ?? 'mailroom-test-client';
  const clientSecret = opts.clientSecret ?? `secret-${randomUUID()}`;
  let email = opts.email ?? 'jan.kowalski@gmail.test';
  const subject = opts.subject ?? `sub-${randomUUID()}`;
  let accessTtl = opts.accessTtlSec ?? 3600;
  let skew = 0;
  let failures: { n: number; status: number } = { n: 0, status: 503 };
  const codes = new Map<string, Code>();
  const refreshTokens = new Map<string, { scope: string }>();
  const accessTokens = new Map<string, { user: string; exp: number }>();
  const stats = { authorizations: 0, codeExchanges: 0, refreshes: 0, failures: 0 };
  const issued = new Set<string>();
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = 'test-key-1';
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };

  let issuer = '';
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };
  const oauthError = (res: ServerResponse, status: number, error: string) => json(res, status, { error });

  const idToken = (nonce: string | null) => {
    const now = Math.floor(Date.now() / 1000) + skew;
    const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }));
    const mt = opts.multiTenant;
    const claims = {
      iss: mt ? `${issuer}/${mt.tenantId}/v2.0` : issuer,
      ...(mt ? { tid: mt.tenantId } : {}),
      aud: clientId,
      sub: subject,
      email,
      email_verified: true,
      preferred_username: email,
      iat: now,
      exp: now + 3600,
      ...(nonce ? { nonce } : {}),
    };
    const payload = b64url(JSON.stringify(claims));
    const signature = sign('RSA-SHA256', Buffer.from(`${header}.${payload}`), privateKey);
    return `${header}.${payload}.${b64url(signature)}`;
  };

  const issueAccess = () => {
    const token = `at-${randomBytes(24).toString('base64url')}`;
    issued.add(token);
    accessTokens.set(token, { user: email, exp: Date.now() + accessTtl * 1000 });
    return token;
  };

  const readBody = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
  };

  const clientOk = (req: IncomingMessage, body: URLSearchParams) => {
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
    if (basic) {
      const [id, secret] = Buffer.from(basic[1]!, 'base64')
        .toString('utf8')
        .split(':')
        .map((p) => decodeURIComponent(p));
      return id === clientId && secret === clientSecret;
    }
    return body.get('client_id') === clientId && body.get('client_secret') === clientSecret;
  };

  const token = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    if (failures.n > 0) {
      failures.n--;
      stats.failures++;
      return oauthError(res, failures.status, 'temporarily_unavailable');
    }
    if (!clientOk(req, body)) return oauthError(res, 401, 'invalid_client');
    const grant = body.get('grant_type');
    if (grant === 'authorization_code') {
      stats.codeExchanges++;
      const code = codes.get(body.get('code') ?? '');
      if (!code || code.used) return oauthError(res, 400, 'invalid_grant');
      code.used = true;
      if (code.redirectUri !== body.get('redirect_uri')) return oauthError(res, 400, 'invalid_grant');
      const verifier = body.get('code_verifier') ?? '';
      if (b64url(createHash('sha256').update(verifier).digest()) !== code.challenge)
        return oauthError(res, 400, 'invalid_grant');
      const refresh = `rt-${randomBytes(24).toString('base64url')}`;
      issued.add(refresh);
      refreshTokens.set(refresh, { scope: code.scope });
      return json(res, 200, {
        access_token: issueAccess(),
        token_type: 'Bearer',
        expires_in: accessTtl,
        refresh_token: refresh,
        scope: code.scope,
        id_token: idToken(code.nonce),
      });
    }
    if (grant === 'refresh_token') {
      stats.refreshes++;
      const old = body.get('refresh_token') ?? '';
      const entry = refreshTokens.get(old);
      if (!entry) return oauthError(res, 400, 'invalid_grant');
      const out: Record<string, unknown> = {
        access_token: issueAccess(),
        token_type: 'Bearer',
        expires_in: accessTtl,
        scope: entry.scope,
      };
      if (opts.rotateRefreshTokens) {
        refreshTokens.delete(old);
        const next = `rt-${randomBytes(24).toString('base64url')}`;
        issued.add(next);
        refreshTokens.set(next, entry);
        out.refresh_token = next;
      }
      return json(res, 200, out);
    }
    return oauthError(res, 400, 'unsupported_grant_type');
  };

  const authorize = (url: URL, res: ServerResponse) => {
    const p = url.searchParams;
    const redirectUri = p.get('redirect_uri');
    if (p.get('client_id') !== clientId || !redirectUri) return oauthError(res, 400, 'invalid_request');
    if (
      p.get('response_type') !== 'code' ||
      p.get('code_challenge_method') !== 'S256' ||
      !p.get('code_challenge')
    )
      return oauthError(res, 400, 'invalid_request');
    stats.authorizations++;
    const code = `code-${randomBytes(16).toString('base64url')}`;
    issued.add(code);
    codes.set(code, {
      clientId,
      redirectUri,
      challenge: p.get('code_challenge')!,
      nonce: p.get('nonce'),
      scope: p.get('scope') ?? '',
      used: false,
    });
    const back = new URL(redirectUri);
    back.searchParams.set('code', code);
    if (p.get('state') !== null) back.searchParams.set('state', p.get('state')!);
    if (!opts.consentPage || p.get('approve') === '1') {
      res.writeHead(302, { location: back.toString() });
      return res.end();
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><html lang="pl"><title>Test OAuth</title><h1>Zaloguj jako ${email}</h1>` +
        `<a id="approve" href="${back.toString().replaceAll('&', '&amp;').replaceAll('"', '&quot;')}">Zezwól</a></html>`,
    );
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    const route = `${req.method} ${url.pathname}`;
    Promise.resolve()
      .then(async () => {
        const mt = opts.multiTenant;
        const discovery = mt ? `GET /${mt.segment}/v2.0/.well-known/openid-configuration` : '';
        if (route === 'GET /.well-known/openid-configuration' || route === discovery)
          return json(res, 200, {
            issuer: mt ? `${issuer}/{tenantid}/v2.0` : issuer,
            authorization_endpoint: `${issuer}/authorize`,
            token_endpoint: `${issuer}/token`,
            jwks_uri: `${issuer}/jwks`,
            revocation_endpoint: `${issuer}/revoke`,
            response_types_supported: ['code'],
            subject_types_supported: ['public'],
            id_token_signing_alg_values_supported: ['RS256'],
            code_challenge_methods_supported: ['S256'],
            token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
          });
        if (route === 'GET /jwks') return json(res, 200, { keys: [jwk] });
        if (route === 'GET /authorize') return authorize(url, res);
        if (route === 'POST /token') return token(req, res);
        // RFC 7662 introspection, as Dovecot's oauth2 passdb asks it (introspection_mode = post).
        if (route === 'POST /introspect') {
          const body = await readBody(req);
          const a = accessTokens.get(body.get('token') ?? '');
          const active = !!a && a.exp > Date.now();
          return json(
            res,
            200,
            active ? { active: true, username: a.user, scope: 'mail' } : { active: false },
          );
        }
        if (route === 'POST /revoke') {
          const body = await readBody(req);
          refreshTokens.delete(body.get('token') ?? '');
          accessTokens.delete(body.get('token') ?? '');
          res.writeHead(200);
          return res.end();
        }
        res.writeHead(404);
        res.end();
      })
      .catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    issuer,
    clientId,
    clientSecret,
    isValidAccessToken(t, user) {
      const a = accessTokens.get(t);
      return !!a && a.exp > Date.now() && (user === undefined || user.toLowerCase() === a.user.toLowerCase());
    },
    revokeAll() {
      refreshTokens.clear();
      accessTokens.clear();
    },
    failNext(n, status = 503) {
      failures = { n, status };
    },
    setClockSkew(s) {
      skew = s;
    },
    setEmail(e) {
      email = e;
    },
    setAccessTtl(sec) {
      accessTtl = sec;
    },
    stats,
    liveRefreshTokens: () => [...refreshTokens.keys()],
    issued: () => [...issued],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
