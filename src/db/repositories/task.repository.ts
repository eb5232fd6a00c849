import { and, asc, desc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Page } from '../../domain/actor.js';
import type { DbOrTx } from '../database.js';
import { contactEmails, contacts, employees, projects, taskParticipants, tasks } from '../schema/index.js';
import { cappedCount, searchFilter } from './list-query.js';

export type TaskRow = typeof tasks.$inferSelect;

export interface TaskParticipantView {
  kind: 'employee' | 'contact';
  id: string;
  name: string;
  /** Employees: their login; contacts: their primary (or first) email, '' when they have none. */
  email: string;
}

export type TaskWithParticipants = TaskRow & {
  projectName: string;
  projectArchived: boolean;
  participants: TaskParticipantView[];
};

export interface TaskListFilter {
  projectId?: string | undefined;
  status?: 'open' | 'closed' | undefined;
}

/** Tasks and their participants; every query is scoped by workspace. */
export function createTaskRepository(db: DbOrTx) {
  const participantsOf = async (
    workspaceId: string,
    taskIds: string[],
    tx: DbOrTx,
  ): Promise<Map<string, TaskParticipantView[]>> => {
    const out = new Map<string, TaskParticipantView[]>();
    if (taskIds.length === 0) return out;
    const push = (taskId: string, p: TaskParticipantView) => out.set(taskId, [...(out.get(taskId) ?? []), p]);
    const [emps, cons] = await Promise.all([
      tx
        .select({
          taskId: taskParticipants.taskId,
          id: employees.id,
          name: employees.name,
          email: employees.email,
        })
        .from(taskParticipants)
        .innerJoin(employees, eq(employees.id, taskParticipants.employeeId))
        .where(and(eq(taskParticipants.workspaceId, workspaceId), inArray(taskParticipants.taskId, taskIds)))
        .orderBy(asc(employees.name), asc(employees.id)),
      tx
        .select({ taskId: taskParticipants.taskId, id: contacts.id, name: contacts.name })
        .from(taskParticipants)
        .innerJoin(contacts, eq(contacts.id, taskParticipants.contactId))
        .where(and(eq(taskParticipants.workspaceId, workspaceId), inArray(taskParticipants.taskId, taskIds)))
        .orderBy(asc(contacts.name), asc(contacts.id)),
    ]);
    const emails = await primaryEmails(
      tx,
      workspaceId,
      cons.map((c) => c.id),
    );
    for (const e of emps) push(e.taskId, { kind: 'employee', id: e.id, name: e.name, email: e.email });
    for (const c of cons)
      push(c.taskId, { kind: 'contact', id: c.id, name: c.name, email: emails.get(c.id) ?? '' });
    return out;
  };

  return {
    async list(workspaceId: string, filter: TaskListFilter, page: Page, tx: DbOrTx = db) {
      const where = and(
        eq(tasks.workspaceId, workspaceId),
        filter.projectId ? eq(tasks.projectId, filter.projectId) : undefined,
        filter.status ? eq(tasks.status, filter.status) : undefined,
        searchFilter(page.q, [tasks.title]),
      );
      const [rows, total] = await Promise.all([
        tx
          .select({ task: tasks, projectName: projects.name, projectArchived: projects.archived })
          .from(tasks)
          .innerJoin(projects, eq(projects.id, tasks.projectId))
          .where(where)
          .orderBy(desc(tasks.lastActivityAt), desc(tasks.id))
          .limit(page.limit)
          .offset(page.offset),
        cappedCount(tx, tasks, where, page),
      ]);
      const parts = await participantsOf(
        workspaceId,
        rows.map((r) => r.task.id),
        tx,
      );
      const items: TaskWithParticipants[] = rows.map((r) => ({
        ...r.task,
        projectName: r.projectName,
        projectArchived: r.projectArchived,
        participants: parts.get(r.task.id) ?? [],
      }));
      return { items, ...total };
    },

    async findById(workspaceId: string, id: string, tx: DbOrTx = db): Promise<TaskWithParticipants | null> {
      const [row] = await tx
        .select({ task: tasks, projectName: projects.name, projectArchived: projects.archived })
        .from(tasks)
        .innerJoin(projects, eq(projects.id, tasks.projectId))
        .where(and(eq(tasks.workspaceId, workspaceId), eq(tasks.id, id)));
      if (!row) return null;
      const parts = await participantsOf(workspaceId, [id], tx);
      return {
        ...row.task,
        projectName: row.projectName,
        projectArchived: row.projectArchived,
        participants: parts.get(id) ?? [],
      };
    },

    async insert(values: typeof tasks.$inferInsert, tx: DbOrTx = db) {
      const [row] = await tx.insert(tasks).values(values).returning();
      return row!;
    },

    async update(
      workspaceId: string,
      id: string,
      values: Partial<Pick<TaskRow, 'title' | 'status'>>,
      tx: DbOrTx = db,
    ) {
      await tx
        .update(tasks)
        .set({ ...values, updatedAt: new Date() })
        .where(and(eq(tasks.workspaceId, workspaceId), eq(tasks.id, id)));
    },

    /** Every comment bumps the task to the top of its project's list. */
    async touch(workspaceId: string, id: string, at: Date, tx: DbOrTx = db) {
      await tx
        .update(tasks)
        .set({ lastActivityAt: at })
        .where(and(eq(tasks.workspaceId, workspaceId), eq(tasks.id, id)));
    },

    /** Replaces the employee and/or contact participants (a list left undefined stays as it is). */
    async setParticipants(
      workspaceId: string,
      taskId: string,
      set: { employeeIds?: readonly string[] | undefined; contactIds?: readonly string[] | undefined },
      tx: DbOrTx = db,
    ) {
      const scope = and(eq(taskParticipants.workspaceId, workspaceId), eq(taskParticipants.taskId, taskId));
      if (set.employeeIds) {
        await tx.delete(taskParticipants).where(and(scope, isNotNull(taskParticipants.employeeId)));
        if (set.employeeIds.length > 0)
          await tx
            .insert(taskParticipants)
            .values(set.employeeIds.map((employeeId) => ({ workspaceId, taskId, employeeId })));
      }
      if (set.contactIds) {
        await tx.delete(taskParticipants).where(and(scope, isNotNull(taskParticipants.contactId)));
        if (set.contactIds.length > 0)
          await tx
            .insert(taskParticipants)
            .values(set.contactIds.map((contactId) => ({ workspaceId, taskId, contactId })));
      }
    },

    /** Adds participants that are not there yet (a comment's author, the contacts it notified). */
    async addParticipants(
      workspaceId: string,
      taskId: string,
      add: { employeeIds?: readonly string[]; contactIds?: readonly string[] },
      tx: DbOrTx = db,
    ) {
      const rows = [
        ...(add.employeeIds ?? []).map((employeeId) => ({ workspaceId, taskId, employeeId })),
        ...(add.contactIds ?? []).map((contactId) => ({ workspaceId, taskId, contactId })),
      ];
      if (rows.length > 0) await tx.insert(taskParticipants).values(rows).onConflictDoNothing();
    },

    /** Ids among `ids` that are employees / contacts of this workspace (references from request bodies). */
    async existingEmployeeIds(workspaceId: string, ids: readonly string[], tx: DbOrTx = db) {
      if (ids.length === 0) return new Set<string>();
      const rows = await tx
        .select({ id: employees.id })
        .from(employees)
        .where(and(eq(employees.workspaceId, workspaceId), inArray(employees.id, [...ids])));
      return new Set(rows.map((r) => r.id));
    },
    /** Names and primary emails of the given contacts of this workspace ('' when a contact has none). */
    async contactsForNotify(workspaceId: string, ids: readonly string[], tx: DbOrTx = db) {
      const out = new Map<string, { name: string; email: string }>();
      if (ids.length === 0) return out;
      const rows = await tx
        .select({ id: contacts.id, name: contacts.name })
        .from(contacts)
        .where(and(eq(contacts.workspaceId, workspaceId), inArray(contacts.id, [...ids])));
      const emails = await primaryEmails(
        tx,
        workspaceId,
        rows.map((r) => r.id),
      );
      for (const r of rows) out.set(r.id, { name: r.name, email: emails.get(r.id) ?? '' });
      return out;
    },
    async existingContactIds(workspaceId: string, ids: readonly string[], tx: DbOrTx = db) {
      if (ids.length === 0) return new Set<string>();
      const rows = await tx
        .select({ id: contacts.id })
        .from(contacts)
        .where(and(eq(contacts.workspaceId, workspaceId), inArray(contacts.id, [...ids])));
      return new Set(rows.map((r) => r.id));
    },
  };
}

/** Each contact's primary email, else its first by position. */
export async function primaryEmails(
  tx: DbOrTx,
  workspaceId: string,
  contactIds: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (contactIds.length === 0) return out;
  const rows = await tx
    .select({ contactId: contactEmails.contactId, email: contactEmails.email })
    .from(contactEmails)
    .where(and(eq(contactEmails.workspaceId, workspaceId), inArray(contactEmails.contactId, [...contactIds])))
    .orderBy(desc(contactEmails.isPrimary), asc(contactEmails.position), asc(contactEmails.id));
  for (const r of rows) if (!out.has(r.contactId)) out.set(r.contactId, r.email);
  return out;
}

export type TaskRepository = ReturnType<typeof createTaskRepository>;
