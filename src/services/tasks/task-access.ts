import { type Actor, isAdmin } from '../../domain/actor.js';
import { AppError } from '../../domain/errors.js';

/**
 * Who may see and write tasks (issue 9; the spec is silent, chosen here):
 * - Admins: every task of their workspace, read and write.
 * - Employees: tasks of every project they can access. Projects have no member list today and
 *   every employee sees every project of the workspace (GET /api/projects), so that is all of
 *   them; `projectVisible` is the one place a member list would plug in.
 * - Archived projects are read-only for employees (no new tasks, no comments); admins may write.
 * - Changing a task (title, status, participants): admins, its creator, and employees taking part.
 *   Taking part means being named by the creator, an admin or another participant; commenting
 *   does not make one a participant (it made every commenter an editor: reviewer, 2026-12-06).
 * - Commenting: anyone who may see the task, closed tasks included (replies still arrive there).
 * Another workspace's task is 404 (every query is scoped, M48); a visible task one may not change is 403.
 */
export interface TaskAccessView {
  projectArchived: boolean;
  createdByEmployeeId: string | null;
  participantEmployeeIds: readonly string[];
}

export function projectVisible(_actor: Actor, _project: { archived: boolean }): boolean {
  return true;
}

export function requireProjectWritable(actor: Actor, project: { archived: boolean }): void {
  if (project.archived && !isAdmin(actor)) throw new AppError('FORBIDDEN');
}

export function requireTaskEditable(actor: Actor, task: TaskAccessView): void {
  requireProjectWritable(actor, { archived: task.projectArchived });
  if (isAdmin(actor)) return;
  if (task.createdByEmployeeId === actor.employeeId) return;
  if (task.participantEmployeeIds.includes(actor.employeeId)) return;
  throw new AppError('FORBIDDEN');
}

export function requireCanComment(actor: Actor, task: TaskAccessView): void {
  requireProjectWritable(actor, { archived: task.projectArchived });
}
