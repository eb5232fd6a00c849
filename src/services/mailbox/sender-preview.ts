import type { EmailAddressRepository } from '../../db/repositories/email-address.repository.js';
import type { EmployeeRepository } from '../../db/repositories/employee.repository.js';
import type { ProjectRepository } from '../../db/repositories/project.repository.js';
import { type Actor, isAdmin } from '../../domain/actor.js';
import { AppError, notFound } from '../../domain/errors.js';
import { describeDecision } from '../../domain/sender/describe-decision.js';
import { resolveSender } from '../../domain/sender/resolve-sender.js';
import type { SenderCandidate } from '../../domain/sender/sender-types.js';

interface Deps {
  addresses: Pick<EmailAddressRepository, 'listSenderCandidates' | 'usageOf' | 'groupIdsOf'>;
  employees: Pick<EmployeeRepository, 'findById'>;
  projects: Pick<ProjectRepository, 'findById'>;
  systemSender: { email: string; displayName: string } | null;
}

/**
 * Sender preview (M28): for (employee, project), the default sender, every applicable
 * choice, and every considered address that was excluded, with reasons and sentences.
 * Admins may preview anyone; employees themselves.
 */
export function createSenderPreview(deps: Deps) {
  return {
    async preview(
      actor: Actor,
      employeeId: string,
      projectId: string | null,
      lang: 'pl' | 'en',
      taskId: string | null = null,
    ) {
      if (!isAdmin(actor) && actor.employeeId !== employeeId) throw new AppError('FORBIDDEN');
      const [employee, project] = await Promise.all([
        deps.employees.findById(actor.workspaceId, employeeId),
        projectId ? deps.projects.findById(actor.workspaceId, projectId) : null,
      ]);
      if (!employee) throw notFound('employee', employeeId);
      if (projectId && !project) throw notFound('project', projectId);
      const [rows, usage, groupIds] = await Promise.all([
        deps.addresses.listSenderCandidates(actor.workspaceId, employeeId),
        deps.addresses.usageOf(actor.workspaceId, employeeId),
        deps.addresses.groupIdsOf(actor.workspaceId, employeeId),
      ]);
      const candidates: SenderCandidate[] = rows.map((r) => ({
        id: r.id,
        scope: r.scope,
        ownerEmployeeId: r.ownerEmployeeId,
        email: r.email,
        displayName: r.displayName || (r.scope === 'employee' ? employee.name : ''),
        active: r.active,
        health: r.health,
        projectIds: r.projectIds,
        accessEmployeeIds: r.accessEmployeeIds,
        accessGroupIds: r.accessGroupIds,
        createdAt: r.createdAt,
      }));
      const decision = resolveSender({
        employeeId,
        employeeGroupIds: groupIds,
        projectId,
        taskId,
        candidates,
        usage: usage.map((u) => ({
          addressId: u.addressId,
          taskId: u.taskKey || null,
          contactId: u.contactKey || null,
          usedAt: u.usedAt,
        })),
        systemSender: deps.systemSender,
      });
      const sentences = describeDecision(decision, lang, {
        employeeName: employee.name,
        ...(project ? { projectName: project.name } : {}),
      });
      return { decision, sentences };
    },
  };
}

export type SenderPreview = ReturnType<typeof createSenderPreview>;
