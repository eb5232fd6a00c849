import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../database.js';
import {
  emailAddressAccess,
  emailAddresses,
  emailAddressProjects,
  groupMembers,
  senderUsage,
} from '../schema/index.js';

export type EmailAddressRow = typeof emailAddresses.$inferSelect;
export type EmailAddressInsert = typeof emailAddresses.$inferInsert;
export type EmailAddressFull = EmailAddressRow & {
  projectIds: string[];
  accessEmployeeIds: string[];
  accessGroupIds: string[];
};

export function createEmailAddressRepository(db: DbOrTx) {
  const withLinks = async (rows: EmailAddressRow[], tx: DbOrTx): Promise<EmailAddressFull[]> => {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const [projects, access] = await Promise.all([
      tx.select().from(emailAddressProjects).where(inArray(emailAddressProjects.addressId, ids)),
      tx.select().from(emailAddressAccess).where(inArray(emailAddressAccess.addressId, ids)),
    ]);
    const byId = new Map(
      rows.map((r) => [
        r.id,
        {
          ...r,
          projectIds: [] as string[],
          accessEmployeeIds: [] as string[],
          accessGroupIds: [] as string[],
        },
      ]),
    );
    for (const p of projects) byId.get(p.addressId)?.projectIds.push(p.projectId);
    for (const a of access) {
      const row = byId.get(a.addressId);
      if (a.employeeId) row?.accessEmployeeIds.push(a.employeeId);
      if (a.groupId) row?.accessGroupIds.push(a.groupId);
    }
    return [...byId.values()];
  };

  return {
    async listCompany(workspaceId: string, tx: DbOrTx = db) {
      const rows = await tx
        .select()
        .from(emailAddresses)
        .where(and(eq(emailAddresses.workspaceId, workspaceId), eq(emailAddresses.scope, 'company')))
        .orderBy(asc(emailAddresses.email), asc(emailAddresses.id));
      return withLinks(rows, tx);
    },
    async listOfEmployee(workspaceId: string, employeeId: string, tx: DbOrTx = db) {
      const rows = await tx
        .select()
        .from(emailAddresses)
        .where(
          and(eq(emailAddresses.workspaceId, workspaceId), eq(emailAddresses.ownerEmployeeId, employeeId)),
        )
        .orderBy(asc(emailAddresses.email), asc(emailAddresses.id));
      return withLinks(rows, tx);
    },
    async findById(workspaceId: string, id: string, tx: DbOrTx = db): Promise<EmailAddressFull | null> {
      const rows = await tx
        .select()
        .from(emailAddresses)
        .where(and(eq(emailAddresses.workspaceId, workspaceId), eq(emailAddresses.id, id)));
      return (await withLinks(rows, tx))[0] ?? null;
    },
    async insert(values: EmailAddressInsert, tx: DbOrTx = db) {
      const [row] = await tx.insert(emailAddresses).values(values).returning();
      return row!;
    },
    async update(workspaceId: string, id: string, values: Partial<EmailAddressInsert>, tx: DbOrTx = db) {
      const [row] = await tx
        .update(emailAddresses)
        .set({ ...values, updatedAt: new Date() })
        .where(and(eq(emailAddresses.workspaceId, workspaceId), eq(emailAddresses.id, id)))
        .returning();
      return row ?? null;
    },
    async delete(workspaceId: string, id: string, tx: DbOrTx = db) {
      const rows = await tx
        .delete(emailAddresses)
        .where(and(eq(emailAddresses.workspaceId, workspaceId), eq(emailAddresses.id, id)))
        .returning({ id: emailAddresses.id });
      return rows.length > 0;
    },
    async replaceProjects(
      workspaceId: string,
      addressId: string,
      projectIds: readonly string[],
      tx: DbOrTx = db,
    ) {
      await tx.delete(emailAddressProjects).where(eq(emailAddressProjects.addressId, addressId));
      if (projectIds.length > 0) {
        await tx
          .insert(emailAddressProjects)
          .values([...new Set(projectIds)].map((projectId) => ({ workspaceId, addressId, projectId })));
      }
    },
    async replaceAccess(
      workspaceId: string,
      addressId: string,
      access: { employeeIds: readonly string[]; groupIds: readonly string[] },
      tx: DbOrTx = db,
    ) {
      await tx.delete(emailAddressAccess).where(eq(emailAddressAccess.addressId, addressId));
      const rows = [
        ...[...new Set(access.employeeIds)].map((employeeId) => ({
          workspaceId,
          addressId,
          employeeId,
          groupId: null,
        })),
        ...[...new Set(access.groupIds)].map((groupId) => ({
          workspaceId,
          addressId,
          employeeId: null,
          groupId,
        })),
      ];
      if (rows.length > 0) await tx.insert(emailAddressAccess).values(rows);
    },
    async recordUsage(
      workspaceId: string,
      employeeId: string,
      addressId: string,
      taskId: string | null,
      contactId: string | null,
      at: Date,
      tx: DbOrTx = db,
    ) {
      await tx
        .insert(senderUsage)
        .values({
          workspaceId,
          employeeId,
          addressId,
          taskKey: taskId ?? '',
          contactKey: contactId ?? '',
          usedAt: at,
        })
        .onConflictDoUpdate({
          target: [
            senderUsage.employeeId,
            senderUsage.addressId,
            senderUsage.taskKey,
            senderUsage.contactKey,
          ],
          set: { usedAt: sql`excluded.used_at` },
        });
    },
    async groupIdsOf(workspaceId: string, employeeId: string, tx: DbOrTx = db) {
      const rows = await tx
        .select({ groupId: groupMembers.groupId })
        .from(groupMembers)
        .where(and(eq(groupMembers.workspaceId, workspaceId), eq(groupMembers.employeeId, employeeId)));
      return rows.map((r) => r.groupId);
    },
  };
}

export type EmailAddressRepository = ReturnType<typeof createEmailAddressRepository>;
