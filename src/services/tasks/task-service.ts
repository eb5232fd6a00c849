import type { ProjectRepository } from '../../db/repositories/project.repository.js';
import type { TaskRepository, TaskWithParticipants } from '../../db/repositories/task.repository.js';
import type { Actor, Page } from '../../domain/actor.js';
import { type FieldIssue, notFound, refuseBlank, validationFailed } from '../../domain/errors.js';
import { newThreadToken } from '../../domain/message/message-id.js';
import type { RunInTransaction } from '../../ports/transaction.js';
import { requireProjectWritable, requireTaskEditable, type TaskAccessView } from './task-access.js';

export interface TaskCreateInput {
  projectId: string;
  title: string;
  employeeIds?: string[] | undefined;
  contactIds?: string[] | undefined;
}

export interface TaskPatchInput {
  title?: string | undefined;
  status?: 'open' | 'closed' | undefined;
  employeeIds?: string[] | undefined;
  contactIds?: string[] | undefined;
}

export const accessView = (task: TaskWithParticipants): TaskAccessView => ({
  projectArchived: task.projectArchived,
  createdByEmployeeId: task.createdByEmployeeId,
  participantEmployeeIds: task.participants.filter((p) => p.kind === 'employee').map((p) => p.id),
});

/** Tasks in projects, with participants (SPEC §1, §9); access rules in task-access.ts. */
export function createTaskService(deps: {
  tasks: TaskRepository;
  projects: Pick<ProjectRepository, 'findById'>;
  transaction: RunInTransaction;
  randomBytes: (n: number) => Uint8Array;
}) {
  /** Ids from the body that are not this workspace's employees/contacts: 400 with their paths. */
  const checkReferences = async (actor: Actor, input: { employeeIds?: string[]; contactIds?: string[] }) => {
    const [emps, cons] = await Promise.all([
      deps.tasks.existingEmployeeIds(actor.workspaceId, input.employeeIds ?? []),
      deps.tasks.existingContactIds(actor.workspaceId, input.contactIds ?? []),
    ]);
    const issues: FieldIssue[] = [];
    (input.employeeIds ?? []).forEach((id, i) => {
      if (!emps.has(id)) issues.push({ path: `/body/employeeIds/${i}`, code: 'unknown_reference' });
    });
    (input.contactIds ?? []).forEach((id, i) => {
      if (!cons.has(id)) issues.push({ path: `/body/contactIds/${i}`, code: 'unknown_reference' });
    });
    if (issues.length > 0) throw validationFailed(issues);
  };
  const unique = (ids: string[] | undefined) => (ids ? [...new Set(ids)] : undefined);

  const service = {
    async list(
      actor: Actor,
      filter: { projectId?: string | undefined; status?: 'open' | 'closed' | undefined },
      page: Page,
    ) {
      if (filter.projectId) {
        const project = await deps.projects.findById(actor.workspaceId, filter.projectId);
        if (!project) throw notFound('project', filter.projectId);
      }
      return deps.tasks.list(actor.workspaceId, filter, page);
    },

    async get(actor: Actor, id: string) {
      const task = await deps.tasks.findById(actor.workspaceId, id);
      if (!task) throw notFound('task', id);
      return task;
    },

    async create(actor: Actor, input: TaskCreateInput) {
      const project = await deps.projects.findById(actor.workspaceId, input.projectId);
      if (!project) throw validationFailed([{ path: '/body/projectId', code: 'unknown_reference' }]);
      requireProjectWritable(actor, project);
      refuseBlank({ title: input.title });
      const employeeIds = unique(input.employeeIds) ?? [];
      const contactIds = unique(input.contactIds) ?? [];
      await checkReferences(actor, input);
      const id = await deps.transaction(async (tx) => {
        const row = await deps.tasks.insert(
          {
            workspaceId: actor.workspaceId,
            projectId: input.projectId,
            title: input.title.trim(),
            threadToken: newThreadToken(deps.randomBytes),
            createdByEmployeeId: actor.employeeId,
          },
          tx,
        );
        // The creator takes part in what they create.
        const withCreator = employeeIds.includes(actor.employeeId)
          ? employeeIds
          : [actor.employeeId, ...employeeIds];
        await deps.tasks.setParticipants(
          actor.workspaceId,
          row.id,
          { employeeIds: withCreator, contactIds },
          tx,
        );
        return row.id;
      });
      return service.get(actor, id);
    },

    async update(actor: Actor, id: string, input: TaskPatchInput) {
      const task = await service.get(actor, id);
      requireTaskEditable(actor, accessView(task));
      refuseBlank({ title: input.title });
      await checkReferences(actor, input);
      await deps.transaction(async (tx) => {
        const patch = {
          ...(input.title !== undefined ? { title: input.title.trim() } : {}),
          ...(input.status !== undefined ? { status: input.status } : {}),
        };
        if (Object.keys(patch).length > 0) await deps.tasks.update(actor.workspaceId, id, patch, tx);
        await deps.tasks.setParticipants(
          actor.workspaceId,
          id,
          { employeeIds: unique(input.employeeIds), contactIds: unique(input.contactIds) },
          tx,
        );
      });
      return service.get(actor, id);
    },
  };
  return service;
}

export type TaskService = ReturnType<typeof createTaskService>;
