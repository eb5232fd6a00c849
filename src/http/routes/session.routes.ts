import { Type } from 'typebox';
import type { AuthService, SessionView } from '../../services/auth/auth-service.js';
import { actorOf, requireAuth, SESSION_COOKIE } from '../plugins/auth.js';
import { errors, Uuid } from '../schemas/common.js';
import {
  ApiTokenCreateBody,
  ApiTokenList,
  CreatedApiToken,
  LoginBody,
  Session,
  SessionLanguageBody,
} from '../schemas/session.schema.js';
import { presentEmployee } from './employees.routes.js';
import type { App } from './types.js';

const present = (s: SessionView) => ({ ...s, employee: presentEmployee(s.employee) });

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function sessionRoutes(app: App, auth: AuthService, opts: { secureCookies: boolean }) {
  const tags = ['session'];
  app.post(
    '/api/session',
    {
      schema: {
        tags,
        body: LoginBody,
        response: { 200: Session, ...errors(400, 401, 429) },
      },
    },
    async (req, reply) => {
      const { token, expiresAt, session } = await auth.login(req.body.email, req.body.password, req.ip);
      reply.setCookie(SESSION_COOKIE, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: opts.secureCookies,
        expires: expiresAt,
      });
      return present(session);
    },
  );
  app.get(
    '/api/session',
    {
      schema: {
        tags,
        description:
          'The signed-in session. With `?optional=true` a signed-out caller gets 204 instead of 401 (the web app asks on every load; a 401 there is not an error).',
        querystring: Type.Object(
          { optional: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
        response: { 200: Session, 204: Type.Null(), ...errors(400, 401) },
      },
    },
    async (req, reply) => {
      if (!req.auth && req.query.optional) return reply.status(204).send(null);
      await requireAuth(req, reply);
      const a = req.auth!;
      return present(await auth.sessionView(a.employee, a.csrfToken ?? ''));
    },
  );
  app.patch(
    '/api/session',
    {
      preHandler: requireAuth,
      schema: {
        tags,
        body: SessionLanguageBody,
        response: { 200: Session, ...errors(400, 401, 403) },
      },
    },
    async (req) => {
      await auth.setLanguage(actorOf(req), req.body.language);
      const a = req.auth!;
      return present(
        await auth.sessionView({ ...a.employee, language: req.body.language }, a.csrfToken ?? ''),
      );
    },
  );
  app.delete(
    '/api/session',
    { schema: { tags, response: { 204: Type.Null(), ...errors(403) } } },
    async (req, reply) => {
      // Ending a live session is a write like any other: it needs the CSRF token.
      if (req.auth?.sessionToken) {
        await requireAuth(req, reply);
        await auth.logout(req.auth.sessionToken);
      }
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  const ttags = ['tokens'];
  app.post(
    '/api/tokens',
    {
      preHandler: requireAuth,
      schema: {
        tags: ttags,
        body: ApiTokenCreateBody,
        response: {
          201: CreatedApiToken,
          ...errors(400, 401, 403),
        },
      },
    },
    async (req, reply) => {
      const { row, token } = await auth.createApiToken(actorOf(req), req.body);
      return reply.status(201).send({
        id: row.id,
        name: row.name,
        prefix: row.prefix,
        employeeId: row.employeeId,
        createdAt: row.createdAt.toISOString(),
        expiresAt: iso(row.expiresAt),
        lastUsedAt: null,
        token,
      });
    },
  );
  app.get(
    '/api/tokens',
    {
      preHandler: requireAuth,
      schema: {
        tags: ttags,
        response: { 200: ApiTokenList, ...errors(401) },
      },
    },
    async (req) => ({
      items: (await auth.listApiTokens(actorOf(req))).map((t) => ({
        id: t.id,
        name: t.name,
        prefix: t.prefix,
        employeeId: t.employeeId,
        createdAt: t.createdAt.toISOString(),
        expiresAt: iso(t.expiresAt),
        lastUsedAt: iso(t.lastUsedAt),
      })),
    }),
  );
  app.delete(
    '/api/tokens/:id',
    {
      preHandler: requireAuth,
      schema: {
        tags: ttags,
        params: Type.Object({ id: Uuid }),
        response: { 204: Type.Null(), ...errors(401, 403, 404) },
      },
    },
    async (req, reply) => {
      await auth.deleteApiToken(actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
}
