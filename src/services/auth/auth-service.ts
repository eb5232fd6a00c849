import type { ApiTokenRow, AuthRepository, SessionRow } from '../../db/repositories/auth.repository.js';
import type { EmployeeRepository, EmployeeRow } from '../../db/repositories/employee.repository.js';
import type { WorkspaceRepository } from '../../db/repositories/workspace.repository.js';
import type { Actor } from '../../domain/actor.js';
import { AppError, refuseBlank } from '../../domain/errors.js';
import { verifyAgainstDummy, verifyPassword } from '../../security/password-hash.js';
import { generateToken, hashToken } from '../../security/tokens.js';
import type { RateLimiter } from '../rate-limiter.js';
import { createAuthCache } from './auth-cache.js';

interface Deps {
  auth: AuthRepository;
  employees: Pick<EmployeeRepository, 'findByEmail' | 'findById' | 'update'>;
  workspaces: Pick<WorkspaceRepository, 'findById'>;
  rateLimiter: RateLimiter;
  sessionTtlHours: number;
  loginRateLimitPerMinute: number;
  now?: () => Date;
  /** The authentication cache's version read interval: the bound for other processes' revocations. */
  authCachePollMs?: number;
}

/** What a cached session or token says: copies, updated in place when touched. */
type CachedAuth =
  | {
      kind: 'session';
      session: Pick<SessionRow, 'tokenHash' | 'csrfToken' | 'expiresAt' | 'lastSeenAt'>;
      employee: EmployeeRow;
    }
  | { kind: 'token'; token: Pick<ApiTokenRow, 'id' | 'expiresAt' | 'lastUsedAt'>; employee: EmployeeRow };

/** Sessions slide and tokens record their use at most this often. */
const TOUCH_INTERVAL_MS = 60_000;

export interface SessionView {
  employee: EmployeeRow & { groupIds: string[] };
  workspace: { id: string; name: string; sandbox: boolean };
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
  const cache = createAuthCache<CachedAuth>({
    readVersion: () => deps.auth.authVersion(),
    ...(deps.authCachePollMs !== undefined ? { pollMs: deps.authCachePollMs } : {}),
  });

  const view = async (e: EmployeeRow, csrfToken: string): Promise<SessionView> => {
    const [full, ws] = await Promise.all([
      deps.employees.findById(e.workspaceId, e.id),
      deps.workspaces.findById(e.workspaceId),
    ]);
    return { employee: full!, workspace: { id: ws!.id, name: ws!.name, sandbox: ws!.sandbox }, csrfToken };
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

    /**
     * Resolves a session cookie, from the cache when it can (see auth-cache.ts); sliding
     * expiry refreshed at most once a minute.
     */
    async authenticateSession(token: string) {
      const hash = hashToken(token);
      const t = now();
      const key = `s:${hash}`;
      let found = await cache.get(key, async () => {
        const row = await deps.auth.findSession(hash, t);
        return row && { kind: 'session', session: row.session, employee: row.employee };
      });
      if (found?.kind === 'session' && found.session.expiresAt.getTime() <= t.getTime()) {
        // Expired as far as this copy knows; another process may have slid it: ask the database.
        cache.drop(key);
        found = await cache.get(key, async () => {
          const row = await deps.auth.findSession(hash, t);
          return row && { kind: 'session', session: row.session, employee: row.employee };
        });
      }
      if (found?.kind !== 'session') return null;
      const { session } = found;
      if (t.getTime() - session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
        const expiresAt = new Date(t.getTime() + ttlMs);
        // Updated before the write so concurrent requests do not write it too.
        session.lastSeenAt = t;
        session.expiresAt = expiresAt;
        await deps.auth.touchSession(hash, t, expiresAt);
      }
      return {
        actor: actorOf(found.employee, 'session'),
        csrfToken: session.csrfToken,
        employee: found.employee,
      };
    },

    async authenticateToken(token: string) {
      const hash = hashToken(token);
      const t = now();
      const key = `t:${hash}`;
      const load = async (): Promise<CachedAuth | null> => {
        const row = await deps.auth.findToken(hash, t);
        return row && { kind: 'token', token: row.token, employee: row.employee };
      };
      let found = await cache.get(key, load);
      if (
        found?.kind === 'token' &&
        found.token.expiresAt &&
        found.token.expiresAt.getTime() <= t.getTime()
      ) {
        cache.drop(key);
        found = await cache.get(key, load);
      }
      if (found?.kind !== 'token') return null;
      // Like sessions: `lastUsedAt` is a "when roughly", written at most once a minute (the
      // database refuses a write within a minute of another process's), not on every call.
      const last = found.token.lastUsedAt?.getTime() ?? 0;
      if (t.getTime() - last > TOUCH_INTERVAL_MS) {
        found.token.lastUsedAt = t;
        await deps.auth.touchToken(found.token.id, t, TOUCH_INTERVAL_MS);
      }
      return { actor: actorOf(found.employee, 'token'), employee: found.employee };
    },

    /**
     * Call after committing anything that changes who may do what (an employee's role,
     * activity or password, a deletion): this process stops answering from older entries at
     * once. Other processes notice the bumped `auth_version` within the poll interval.
     */
    authChanged(): void {
      cache.invalidate();
    },

    async sessionView(employee: EmployeeRow, csrfToken: string) {
      return view(employee, csrfToken);
    },

    async setLanguage(actor: Actor, language: 'pl' | 'en') {
      await deps.employees.update(actor.workspaceId, actor.employeeId, { language });
      cache.invalidate();
    },

    async logout(token: string) {
      await deps.auth.deleteSession(hashToken(token));
      cache.invalidate();
    },

    /**
     * Ends the employee's sessions, except `keepSessionToken` (the caller's own, when they changed
     * their own password), and with `apiTokens` revokes their API tokens too (a password change).
     */
    async endSessionsOf(
      workspaceId: string,
      employeeId: string,
      opts: { keepSessionToken?: string | null; apiTokens?: boolean } = {},
    ) {
      const keep = opts.keepSessionToken ? hashToken(opts.keepSessionToken) : null;
      await deps.auth.deleteSessionsOf(workspaceId, employeeId, undefined, keep);
      if (opts.apiTokens) await deps.auth.deleteTokensOf(workspaceId, employeeId);
      cache.invalidate();
    },

    // API tokens (M56): an employee manages their own; admins see all of the workspace.
    async createApiToken(actor: Actor, input: { name: string; expiresInDays?: number | undefined }) {
      refuseBlank({ name: input.name });
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
      cache.invalidate();
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
