import { and, desc, eq, gt, isNull, lt, ne, or } from 'drizzle-orm';
import type { DbOrTx } from '../database.js';
import { apiTokens, authVersion, employees, sessions } from '../schema/index.js';

export type SessionRow = typeof sessions.$inferSelect;
export type ApiTokenRow = typeof apiTokens.$inferSelect;

export function createAuthRepository(db: DbOrTx) {
  return {
    async insertSession(values: typeof sessions.$inferInsert, tx: DbOrTx = db) {
      await tx.insert(sessions).values(values);
    },
    /** A live session joined with its (active) employee. */
    async findSession(tokenHash: string, now: Date, tx: DbOrTx = db) {
      const rows = await tx
        .select({ session: sessions, employee: employees })
        .from(sessions)
        .innerJoin(employees, eq(employees.id, sessions.employeeId))
        .where(
          and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now), eq(employees.active, true)),
        );
      return rows[0] ?? null;
    },
    async touchSession(tokenHash: string, now: Date, expiresAt: Date, tx: DbOrTx = db) {
      await tx.update(sessions).set({ lastSeenAt: now, expiresAt }).where(eq(sessions.tokenHash, tokenHash));
    },
    async deleteSession(tokenHash: string, tx: DbOrTx = db) {
      await tx.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
    },
    /** Every session of the employee but the one whose hash is `exceptHash` (when given). */
    async deleteSessionsOf(
      workspaceId: string,
      employeeId: string,
      tx: DbOrTx = db,
      exceptHash: string | null = null,
    ) {
      await tx
        .delete(sessions)
        .where(
          and(
            eq(sessions.workspaceId, workspaceId),
            eq(sessions.employeeId, employeeId),
            exceptHash ? ne(sessions.tokenHash, exceptHash) : undefined,
          ),
        );
    },
    async deleteTokensOf(workspaceId: string, employeeId: string, tx: DbOrTx = db) {
      await tx
        .delete(apiTokens)
        .where(and(eq(apiTokens.workspaceId, workspaceId), eq(apiTokens.employeeId, employeeId)));
    },
    async deleteExpiredSessions(now: Date, tx: DbOrTx = db) {
      await tx.delete(sessions).where(lt(sessions.expiresAt, now));
    },

    async insertToken(values: typeof apiTokens.$inferInsert, tx: DbOrTx = db): Promise<ApiTokenRow> {
      const [row] = await tx.insert(apiTokens).values(values).returning();
      return row!;
    },
    async findToken(tokenHash: string, now: Date, tx: DbOrTx = db) {
      const rows = await tx
        .select({ token: apiTokens, employee: employees })
        .from(apiTokens)
        .innerJoin(employees, eq(employees.id, apiTokens.employeeId))
        .where(
          and(
            eq(apiTokens.tokenHash, tokenHash),
            or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, now)),
            eq(employees.active, true),
          ),
        );
      return rows[0] ?? null;
    },
    /**
     * Records a token's use unless another process recorded one within `minIntervalMs`: with
     * each process caching tokens, the database decides, so it is written at most once a
     * minute in all.
     */
    async touchToken(id: string, now: Date, minIntervalMs = 60_000, tx: DbOrTx = db) {
      await tx
        .update(apiTokens)
        .set({ lastUsedAt: now })
        .where(
          and(
            eq(apiTokens.id, id),
            or(
              isNull(apiTokens.lastUsedAt),
              lt(apiTokens.lastUsedAt, new Date(now.getTime() - minIntervalMs)),
            ),
          ),
        );
    },
    /** The installation's authentication version (bumped by triggers on every revocation). */
    async authVersion(tx: DbOrTx = db): Promise<number> {
      const rows = await tx.select({ v: authVersion.version }).from(authVersion).where(eq(authVersion.id, 1));
      return rows[0]?.v ?? 0;
    },
    async listTokens(workspaceId: string, employeeId: string | null, tx: DbOrTx = db) {
      return tx
        .select()
        .from(apiTokens)
        .where(
          and(
            eq(apiTokens.workspaceId, workspaceId),
            employeeId ? eq(apiTokens.employeeId, employeeId) : undefined,
          ),
        )
        .orderBy(desc(apiTokens.createdAt));
    },
    async findTokenById(workspaceId: string, id: string, tx: DbOrTx = db) {
      const rows = await tx
        .select()
        .from(apiTokens)
        .where(and(eq(apiTokens.workspaceId, workspaceId), eq(apiTokens.id, id)));
      return rows[0] ?? null;
    },
    async deleteToken(workspaceId: string, id: string, tx: DbOrTx = db) {
      await tx.delete(apiTokens).where(and(eq(apiTokens.workspaceId, workspaceId), eq(apiTokens.id, id)));
    },
  };
}

export type AuthRepository = ReturnType<typeof createAuthRepository>;
