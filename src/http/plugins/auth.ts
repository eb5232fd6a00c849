import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EmployeeRow } from '../../db/repositories/employee.repository.js';
import type { Actor } from '../../domain/actor.js';
import { AppError } from '../../domain/errors.js';
import type { AuthService } from '../../services/auth/auth-service.js';
import type { App } from '../routes/types.js';

export const SESSION_COOKIE = 'mailroom_session';

declare module 'fastify' {
  interface FastifyRequest {
    auth: {
      actor: Actor;
      employee: EmployeeRow;
      csrfToken: string | null;
      sessionToken: string | null;
    } | null;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Authenticates every /api request from the session cookie or `Authorization: Bearer`.
 * Cookie-authenticated writes must carry the session's CSRF token in `x-csrf-token`.
 */
export function registerAuth(app: App, auth: AuthService) {
  app.decorateRequest('auth', null);
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/')) return;
    const header = request.headers.authorization;
    if (header?.startsWith('Bearer ')) {
      const found = await auth.authenticateToken(header.slice(7).trim());
      if (!found) throw new AppError('UNAUTHENTICATED');
      request.auth = { ...found, csrfToken: null, sessionToken: null };
      return;
    }
    const token = request.cookies[SESSION_COOKIE];
    if (!token) return;
    const found = await auth.authenticateSession(token);
    if (!found) return;
    request.auth = { ...found, sessionToken: token };
  });
}

/** preHandler: the route needs a signed-in caller (and a CSRF token on cookie writes). */
export async function requireAuth(request: FastifyRequest, _reply: FastifyReply) {
  if (!request.auth) throw new AppError('UNAUTHENTICATED');
  if (request.auth.actor.via === 'session' && !SAFE_METHODS.has(request.method)) {
    const sent = request.headers['x-csrf-token'];
    if (typeof sent !== 'string' || sent !== request.auth.csrfToken) throw new AppError('CSRF_FAILED');
  }
}

export const actorOf = (request: FastifyRequest): Actor => {
  if (!request.auth) throw new AppError('UNAUTHENTICATED');
  return request.auth.actor;
};
