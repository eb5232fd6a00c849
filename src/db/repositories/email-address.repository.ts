import { and, asc, eq, getTableColumns, type SQL, sql } from 'drizzle-orm';
import type { Page } from '../../domain/actor.js';
import { AppError } from '../../domain/errors.js';
import type { DbOrTx } from '../database.js';
import {
  emailAddressAccess,
  emailAddresses,
  emailAddressProjects,
  groupMembers,
  senderUsage,
} from '../schema/index.js';
import { translateUnique } from '../unique-violation.js';
import { cappedCount, type ListTotal, searchFilter } from './list-query.js';

const SCOPE_EMAIL_INDEXES = ['email_addresses_company_email_uq', 'email_addresses_employee_email_uq'];
/** A concurrent save won the race past the service's check; the service names the row. */
const addressExists = () => new AppError('ADDRESS_EXISTS');

export type EmailAddressRow = typeof emailAddresses.$inferSelect;
export type EmailAddressInsert = typeof emailAddresses.$inferInsert;
export type EmailAddressFull = EmailAddressRow & {
  projectIds: string[];
  accessEmployeeIds: string[];
  accessGroupIds: string[];
};

// Qualified by hand: drizzle renders columns unqualified in one-table selects, and an
// unqualified "id" inside the subqueries would bind to email_address_access.id.
const addressId = sql.raw('"email_addresses"."id"');

/** The row with its project and access links, in one statement (correlated ARRAYs). */
const withLinkIds = {
  ...getTableColumns(emailAddresses),
  projectIds: sql<
    string[]
  >`ARRAY(SELECT ap.project_id::text FROM ${emailAddressProjects} ap WHERE ap.address_id = ${addressId} ORDER BY ap.project_id)`,
  accessEmployeeIds: sql<
    string[]
  >`ARRAY(SELECT x.employee_id::text FROM ${emailAddressAccess} x WHERE x.address_id = ${addressId} AND x.employee_id IS NOT NULL ORDER BY x.employee_id)`,
  accessGroupIds: sql<
    string[]
  >`ARRAY(SELECT x.group_id::text FROM ${emailAddressAccess} x WHERE x.address_id = ${addressId} AND x.group_id IS NOT NULL ORDER BY x.group_id)`,
};

/**
 * M13/M48 for a non-admin reading company addresses: active (a disabled one cannot be used,
 * and may be disabled because its access list was emptied), and no access list (everyone) or
 * the employee on it directly or through a group. The same rule as canView, in SQL, so that
 * pages and totals count only what the reader may see.
 */
const visibleTo = (employeeId: string) => sql`${emailAddresses.active} AND (
  NOT EXISTS (SELECT 1 FROM ${emailAddressAccess} x WHERE x.address_id = ${addressId})
  OR EXISTS (SELECT 1 FROM ${emailAddressAccess} x WHERE x.address_id = ${addressId}
    AND (x.employee_id = ${employeeId} OR x.group_id IN (
      SELECT gm.group_id FROM ${groupMembers} gm WHERE gm.employee_id = ${employeeId}))))`;

export function createEmailAddressRepository(db: DbOrTx) {
  const listWhere = async (where: SQL | undefined, page: Page, tx: DbOrTx) => {
    const [items, total] = await Promise.all([
      tx
        .select(withLinkIds)
        .from(emailAddresses)
        .where(where)
        .orderBy(asc(emailAddresses.email), asc(emailAddresses.id))
        .limit(page.limit)
        .offset(page.offset),
      cappedCount(tx, emailAddresses, where, page),
    ]);
    return { items: items as EmailAddressFull[], ...total };
  };

  return {
    /**
     * One page of the company's addresses by email (optionally `q` over email and sender
     * name). `viewerEmployeeId` (non-admins) keeps only those the employee may see.
     */
    async listCompany(
      workspaceId: string,
      page: Page,
      viewerEmployeeId: string | null = null,
      tx: DbOrTx = db,
    ): Promise<{ items: EmailAddressFull[] } & ListTotal> {
      const where = and(
        eq(emailAddresses.workspaceId, workspaceId),
        eq(emailAddresses.scope, 'company'),
        searchFilter(page.q, [emailAddresses.email, emailAddresses.displayName]),
        viewerEmployeeId ? visibleTo(viewerEmployeeId) : undefined,
      );
      return listWhere(where, page, tx);
    },
    /** One page of an employee's own addresses by email. */
    async listOfEmployee(
      workspaceId: string,
      employeeId: string,
      page: Page,
      tx: DbOrTx = db,
    ): Promise<{ items: EmailAddressFull[] } & ListTotal> {
      const where = and(
        eq(emailAddresses.workspaceId, workspaceId),
        eq(emailAddresses.ownerEmployeeId, employeeId),
        searchFilter(page.q, [emailAddresses.email, emailAddresses.displayName]),
      );
      return listWhere(where, page, tx);
    },
    async findById(workspaceId: string, id: string, tx: DbOrTx = db): Promise<EmailAddressFull | null> {
      const rows = await tx
        .select(withLinkIds)
        .from(emailAddresses)
        .where(and(eq(emailAddresses.workspaceId, workspaceId), eq(emailAddresses.id, id)));
      return (rows[0] as EmailAddressFull | undefined) ?? null;
    },
    async insert(values: EmailAddressInsert, tx: DbOrTx = db) {
      const [row] = await translateUnique(
        () => tx.insert(emailAddresses).values(values).returning(),
        SCOPE_EMAIL_INDEXES,
        addressExists,
      );
      return row!;
    },
    async update(workspaceId: string, id: string, values: Partial<EmailAddressInsert>, tx: DbOrTx = db) {
      const [row] = await translateUnique(
        () =>
          tx
            .update(emailAddresses)
            .set({ ...values, updatedAt: new Date() })
            .where(and(eq(emailAddresses.workspaceId, workspaceId), eq(emailAddresses.id, id)))
            .returning(),
        SCOPE_EMAIL_INDEXES,
        addressExists,
      );
      return row ?? null;
    },
    /** The row holding `email` in one list (company, or one employee's), other than `exceptId`. */
    async findInList(
      workspaceId: string,
      list: { scope: 'company' } | { scope: 'employee'; ownerEmployeeId: string },
      email: string,
      exceptId: string | null,
      tx: DbOrTx = db,
    ): Promise<{ id: string; email: string } | null> {
      const rows = await tx
        .select({ id: emailAddresses.id, email: emailAddresses.email })
        .from(emailAddresses)
        .where(
          and(
            eq(emailAddresses.workspaceId, workspaceId),
            eq(emailAddresses.scope, list.scope),
            list.scope === 'employee' ? eq(emailAddresses.ownerEmployeeId, list.ownerEmployeeId) : undefined,
            sql`lower(${emailAddresses.email}) = lower(${email})`,
            exceptId ? sql`${emailAddresses.id} <> ${exceptId}` : undefined,
          ),
        )
        .limit(1);
      return rows[0] ?? null;
    },
    /** Whether `email` is saved in the other kind of list (company vs any employee's own). */
    async inOtherScope(workspaceId: string, scope: 'company' | 'employee', email: string, tx: DbOrTx = db) {
      const rows = await tx
        .select({ id: emailAddresses.id })
        .from(emailAddresses)
        .where(
          and(
            eq(emailAddresses.workspaceId, workspaceId),
            eq(emailAddresses.scope, scope === 'company' ? 'employee' : 'company'),
            sql`lower(${emailAddresses.email}) = lower(${email})`,
          ),
        )
        .limit(1);
      return rows.length > 0;
    },
    /** The health of one address, locked for the transaction that moves it (address-health-recorder). */
    async lockHealth(workspaceId: string, id: string, tx: DbOrTx) {
      const rows = await tx
        .select({
          id: emailAddresses.id,
          email: emailAddresses.email,
          scope: emailAddresses.scope,
          ownerEmployeeId: emailAddresses.ownerEmployeeId,
          health: emailAddresses.health,
          healthDetail: emailAddresses.healthDetail,
        })
        .from(emailAddresses)
        .where(and(eq(emailAddresses.workspaceId, workspaceId), eq(emailAddresses.id, id)))
        .for('update');
      return rows[0] ?? null;
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
