import { and, eq, isNull, lt, ne, or, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../database.js';
import { oauthFlows, oauthGrants } from '../schema/index.js';

export type OAuthGrantRow = typeof oauthGrants.$inferSelect;
export type OAuthFlowRow = typeof oauthFlows.$inferSelect;

/** Grants and authorization requests (M47); every query workspace-scoped, optional `tx`. */
export function createOAuthGrantRepository(db: Db) {
  return {
    async insertGrant(values: typeof oauthGrants.$inferInsert, tx: DbOrTx = db): Promise<OAuthGrantRow> {
      const [row] = await tx.insert(oauthGrants).values(values).returning();
      return row!;
    },

    async findGrant(workspaceId: string, id: string, tx: DbOrTx = db): Promise<OAuthGrantRow | null> {
      const [row] = await tx
        .select()
        .from(oauthGrants)
        .where(and(eq(oauthGrants.workspaceId, workspaceId), eq(oauthGrants.id, id)));
      return row ?? null;
    },

    async findGrantOfAddress(
      workspaceId: string,
      addressId: string,
      tx: DbOrTx = db,
    ): Promise<OAuthGrantRow | null> {
      const [row] = await tx
        .select()
        .from(oauthGrants)
        .where(and(eq(oauthGrants.workspaceId, workspaceId), eq(oauthGrants.addressId, addressId)));
      return row ?? null;
    },

    /** Makes `grantId` the address's grant; the grant it replaces (a reconnect) is deleted. */
    async attach(workspaceId: string, grantId: string, addressId: string, tx: DbOrTx = db): Promise<void> {
      await tx
        .delete(oauthGrants)
        .where(
          and(
            eq(oauthGrants.workspaceId, workspaceId),
            eq(oauthGrants.addressId, addressId),
            ne(oauthGrants.id, grantId),
          ),
        );
      await tx
        .update(oauthGrants)
        .set({ addressId, updatedAt: new Date() })
        .where(and(eq(oauthGrants.workspaceId, workspaceId), eq(oauthGrants.id, grantId)));
    },

    async deleteGrantOfAddress(workspaceId: string, addressId: string, tx: DbOrTx = db): Promise<void> {
      await tx
        .delete(oauthGrants)
        .where(and(eq(oauthGrants.workspaceId, workspaceId), eq(oauthGrants.addressId, addressId)));
    },

    /**
     * Claims the right to refresh: at most one holder per grant across processes, until
     * `until` (a crashed holder's lease simply runs out). Returns the row when claimed.
     */
    async claimRefresh(
      workspaceId: string,
      id: string,
      now: Date,
      until: Date,
      tx: DbOrTx = db,
    ): Promise<OAuthGrantRow | null> {
      const [row] = await tx
        .update(oauthGrants)
        .set({ refreshLeaseUntil: until })
        .where(
          and(
            eq(oauthGrants.workspaceId, workspaceId),
            eq(oauthGrants.id, id),
            or(isNull(oauthGrants.refreshLeaseUntil), lt(oauthGrants.refreshLeaseUntil, now)),
          ),
        )
        .returning();
      return row ?? null;
    },

    /** Saves a refreshed access token (and a rotated refresh token) and ends the lease. */
    async saveTokens(
      workspaceId: string,
      id: string,
      values: { accessTokenEnc: string; accessExpiresAt: Date; refreshTokenEnc?: string; scope?: string },
      tx: DbOrTx = db,
    ): Promise<void> {
      await tx
        .update(oauthGrants)
        .set({ ...values, refreshLeaseUntil: null, updatedAt: new Date() })
        .where(and(eq(oauthGrants.workspaceId, workspaceId), eq(oauthGrants.id, id)));
    },

    async releaseRefresh(workspaceId: string, id: string, tx: DbOrTx = db): Promise<void> {
      await tx
        .update(oauthGrants)
        .set({ refreshLeaseUntil: null })
        .where(and(eq(oauthGrants.workspaceId, workspaceId), eq(oauthGrants.id, id)));
    },

    /** A lost grant keeps its row (the address still says which account to reconnect) but no access token. */
    async dropAccessToken(workspaceId: string, id: string, tx: DbOrTx = db): Promise<void> {
      await tx
        .update(oauthGrants)
        .set({ accessTokenEnc: null, accessExpiresAt: null, refreshLeaseUntil: null })
        .where(and(eq(oauthGrants.workspaceId, workspaceId), eq(oauthGrants.id, id)));
    },

    /** Grants connected but never saved with an address, older than `before`. */
    async deleteUnattachedBefore(workspaceId: string, before: Date, tx: DbOrTx = db): Promise<void> {
      await tx
        .delete(oauthGrants)
        .where(
          and(
            eq(oauthGrants.workspaceId, workspaceId),
            isNull(oauthGrants.addressId),
            lt(oauthGrants.createdAt, before),
          ),
        );
    },

    async insertFlow(values: typeof oauthFlows.$inferInsert, tx: DbOrTx = db): Promise<OAuthFlowRow> {
      const [row] = await tx.insert(oauthFlows).values(values).returning();
      return row!;
    },

    /** Single use: the flow is deleted as it is read, whatever happens next. */
    async takeFlow(workspaceId: string, stateHash: string, tx: DbOrTx = db): Promise<OAuthFlowRow | null> {
      const [row] = await tx
        .delete(oauthFlows)
        .where(and(eq(oauthFlows.workspaceId, workspaceId), eq(oauthFlows.stateHash, stateHash)))
        .returning();
      return row ?? null;
    },

    async deleteExpiredFlows(workspaceId: string, now: Date, tx: DbOrTx = db): Promise<void> {
      await tx
        .delete(oauthFlows)
        .where(and(eq(oauthFlows.workspaceId, workspaceId), lt(oauthFlows.expiresAt, now)));
    },

    /** Test helper shape kept tiny: how many flows a workspace has open. */
    async countFlows(workspaceId: string, tx: DbOrTx = db): Promise<number> {
      const [r] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(oauthFlows)
        .where(eq(oauthFlows.workspaceId, workspaceId));
      return r?.n ?? 0;
    },
  };
}

export type OAuthGrantRepository = ReturnType<typeof createOAuthGrantRepository>;
