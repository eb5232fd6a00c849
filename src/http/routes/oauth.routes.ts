import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { OAuthConnect } from '../../services/oauth/oauth-connect.js';
import { actorOf, requireAuth } from '../plugins/auth.js';
import { errors, Line, Uuid } from '../schemas/common.js';
import { OAuthGrant, OAuthProviders, OAuthStartBody, OAuthStarted } from '../schemas/oauth.schema.js';
import type { App } from './types.js';

export const OAUTH_CALLBACK_PATH = '/api/oauth/callback';

/** The redirect URL to register with Google/Microsoft: the public URL, else this request's origin. */
export const redirectUriFor = (req: FastifyRequest, publicUrl: string | null) =>
  `${publicUrl ?? `${req.protocol}://${req.host}`}${OAUTH_CALLBACK_PATH}`;

/** Adds the outcome to the dialog's path (`oauth=<grant id>` or `oauthError=<code>`). */
function backInto(path: string, params: Record<string, string>): string {
  const url = new URL(path, 'http://app.invalid');
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return `${url.pathname}${url.search}${url.hash}`;
}

/** "Connect with Google/Microsoft" (M47): providers, start, the provider's callback, the connected mailbox. */
export function oauthRoutes(app: App, connect: OAuthConnect, opts: { publicUrl: string | null }) {
  const tags = ['oauth'];

  app.get(
    '/api/oauth/providers',
    {
      preHandler: requireAuth,
      schema: {
        tags,
        response: { 200: OAuthProviders, ...errors(401) },
      },
    },
    async () => ({ providers: connect.configured() }),
  );

  app.post(
    '/api/oauth/start',
    {
      preHandler: requireAuth,
      schema: {
        tags,
        body: OAuthStartBody,
        response: {
          200: OAuthStarted,
          ...errors(400, 401, 403, 404, 503),
        },
      },
    },
    async (req) => {
      const body = req.body;
      const r = await connect.start(actorOf(req), {
        ...body,
        redirectUri: redirectUriFor(req, opts.publicUrl),
      });
      return { authorizationUrl: r.authorizationUrl };
    },
  );

  // The provider sends the browser here (a top-level GET: the Lax session cookie comes along).
  app.get(
    OAUTH_CALLBACK_PATH,
    {
      preHandler: requireAuth,
      schema: {
        tags,
        querystring: Type.Object(
          {
            code: Type.Optional(Line(4000)),
            state: Type.Optional(Line(200)),
            error: Type.Optional(Line(200)),
            error_description: Type.Optional(Line(2000)),
            iss: Type.Optional(Line(500)),
            scope: Type.Optional(Line(2000)),
            session_state: Type.Optional(Line(500)),
            authuser: Type.Optional(Line(20)),
            prompt: Type.Optional(Line(50)),
            hd: Type.Optional(Line(255)),
          },
          // Providers add parameters of their own (Microsoft's `client_info`, …): ignored, so
          // the browser still gets back into the dialog instead of a JSON error.
          { additionalProperties: true },
        ),
        response: { 302: Type.Null(), ...errors(400, 401) },
      },
    },
    async (req, reply) => {
      const redirectUri = redirectUriFor(req, opts.publicUrl);
      const callbackUrl = new URL(req.url, redirectUri);
      const r = await connect.complete(actorOf(req), { callbackUrl, redirectUri });
      const target = r.ok
        ? backInto(r.returnPath, { oauth: r.grantId, ...(r.addressId ? { oauthAddress: r.addressId } : {}) })
        : backInto(r.returnPath, { oauthError: r.error });
      return reply.header('cache-control', 'no-store').redirect(target, 302);
    },
  );

  app.get(
    '/api/oauth/grants/:id',
    {
      preHandler: requireAuth,
      schema: {
        tags,
        params: Type.Object({ id: Uuid }, { additionalProperties: false }),
        response: {
          200: OAuthGrant,
          ...errors(401, 404),
        },
      },
    },
    async (req) => {
      const g = await connect.describe(actorOf(req), req.params.id);
      return { id: g.id, provider: g.provider, email: g.email, addressId: g.addressId };
    },
  );
}
