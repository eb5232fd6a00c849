import type { AuthRepository } from '../../db/repositories/auth.repository.js';
import type { EmployeeRepository, EmployeeRow } from '../../db/repositories/employee.repository.js';
import type { WorkspaceRepository } from '../../db/repositories/workspace.repository.js';
import type { Actor } from '../../domain/actor.js';
import { AppError } from '../../domain/errors.js';
import { verifyAgainstDummy, verifyPassword } from '../../security/password-hash.js';
import { generateToken, hashToken } from '../../security/tokens.js';
import type { RateLimiter } from '../rate-limiter.js';

interface Deps {
  auth: AuthRepository;
  employees: Pick<EmployeeRepository, 'findByEmail' | 'findById' | 'update'>;
  workspaces: Pick<WorkspaceRepository, 'findById'>;
  rateLimiter: RateLimiter;
  sessionTtlHours: number;
  loginRateLimitPerMinute: number;
  now?: () => Date;
}

export interface SessionView {
  employee: EmployeeRow & { groupIds: string[] };
  workspace: { id: string; name: string };
  csrfToken: string;
}

const actorOf = (e: EmployeeRow, via: Actor['via']): Actor => ({
  workspaceId: e.workspaceId,
  employeeId: e.id,
  role: e.role,
  name: e.name,
  via,
});

export function createAuthService(deps: Deps) {
  const now = deps.now ?? (() => new Date());
  const ttlMs = deps.sessionTtlHours * 3600_000;

  const view = async (e: EmployeeRow, csrfToken: string): Promise<SessionView> => {
    const [full, ws] = await Promise.all([
      deps.employees.findById(e.workspaceId, e.id),
      deps.workspaces.findById(e.workspaceId),
    ]);
    return { employee: full!, workspace: { id: ws!.id, name: ws!.name }, csrfToken };
  };

  return {
    /**
     * Password login (M56). Rate-limited per address and per client IP; the same error and
     * similar timing whether the address exists or not.
     */
    async login(email: string, password: string, clientIp: string) {
      const normalised = email.trim().toLowerCase();
      await deps.rateLimiter.consume(`login:ip:${clientIp}`, deps.loginRateLimitPerMinute * 3, 60_000);
      await deps.rateLimiter.consume(`login:email:${normalised}`, deps.loginRateLimitPerMinute, 60_000);
      const employee = await deps.employees.findByEmail(normalised);
      const ok =
        employee?.passwordHash && employee.active
          ? await verifyPassword(password, employee.passwordHash)
          : await verifyAgainstDummy(password).then(() => false);
      if (!ok || !employee) throw new AppError('INVALID_CREDENTIALS');
      const session = generateToken('mrs');
      const csrf = generateToken('mrs').token;
      await deps.auth.insertSession({
        tokenHash: session.hash,
        workspaceId: employee.workspaceId,
        employeeId: employee.id,
        csrfToken: csrf,
        expiresAt: new Date(now().getTime() + ttlMs),
      });
      return {
        token: session.token,
        expiresAt: new Date(now().getTime() + ttlMs),
        session: await view(employee, csrf),
      };
    },

    /** Resolves a session cookie; sliding expiry refreshed at most once a minute. */
    async authenticateSession(token: string) {
      const found = await deps.auth.findSession(hashToken(token), now());
      if (!found) return null;
      const t = now();
      if (t.getTime() - found.session.lastSeenAt.getTime() > 60_000) {
        await deps.auth.touchSession(found.session.tokenHash, t, new Date(t.getTime() + ttlMs));
      }
      return {
        actor: actorOf(found.employee, 'session'),
        csrfToken: found.session.csrfToken,
        employee: found.employee,
      };
    },

    async authenticateToken(token: string) {
      const found = await deps.auth.findToken(hashToken(token), now());
      if (!found) return null;
      // Like sessions: `lastUsedAt` is a "when roughly", written at most once a minute, not a
      // write on every API call.
      const t = now();
      const last = found.token.lastUsedAt?.getTime() ?? 0;
      if (t.getTime() - last > 60_000) await deps.auth.touchToken(found.token.id, t);
      return { actor: actorOf(found.employee, 'token'), employee: found.employee };
    },

    async sessionView(employee: EmployeeRow, csrfToken: string) {
      return view(employee, csrfToken);
    },

    async setLanguage(actor: Actor, language: 'pl' | 'en') {
      await deps.employees.update(actor.workspaceId, actor.employeeId, { language });
    },

    async logout(token: string) {
      await deps.auth.deleteSession(hashToken(token));
    },

    endSessionsOf: (workspaceId: string, employeeId: string) =>
      deps.auth.deleteSessionsOf(workspaceId, employeeId),

    // API tokens (M56): an employee manages their own; admins see all of the workspace.
    async createApiToken(actor: Actor, input: { name: string; expiresInDays?: number | undefined }) {
      const { token, hash } = generateToken('mrt');
      const row = await deps.auth.insertToken({
        workspaceId: actor.workspaceId,
        employeeId: actor.employeeId,
        name: input.name.trim(),
        tokenHash: hash,
        prefix: token.slice(0, 12),
        expiresAt: input.expiresInDays ? new Date(now().getTime() + input.expiresInDays * 86_400_000) : null,
      });
      return { row, token };
    },
    listApiTokens: (actor: Actor) =>
      deps.auth.listTokens(actor.workspaceId, actor.role === 'admin' ? null : actor.employeeId),
    async deleteApiToken(actor: Actor, id: string) {
      const row = await deps.auth.findTokenById(actor.workspaceId, id);
      if (!row || (actor.role !== 'admin' && row.employeeId !== actor.employeeId)) {
        throw new AppError('NOT_FOUND', { params: { entity: 'token', id } });
      }
      await deps.auth.deleteToken(actor.workspaceId, id);
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
