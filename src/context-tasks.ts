import { randomBytes } from 'node:crypto';
import type { DbOrTx } from './db/database.js';
import { createCommentRepository } from './db/repositories/comment.repository.js';
import type { EmailAddressRepository } from './db/repositories/email-address.repository.js';
import type { EmployeeRepository } from './db/repositories/employee.repository.js';
import { createOutboxEnqueueRepository } from './db/repositories/outbox-enqueue.repository.js';
import type { ProjectRepository } from './db/repositories/project.repository.js';
import { CompanyCandidateCache, loadSenderContext } from './db/repositories/sender-context.query.js';
import { createTaskRepository } from './db/repositories/task.repository.js';
import type { WorkspaceRepository } from './db/repositories/workspace.repository.js';
import { violatedUniqueIndex } from './db/unique-violation.js';
import type { OutboxWakeup } from './ports/outbox-wakeup.js';
import type { RunInTransaction } from './ports/transaction.js';
import type { AttachmentLimits } from './services/tasks/attachment-rules.js';
import { createCommentService } from './services/tasks/comment-service.js';
import type { ComposeOutgoing } from './services/tasks/outgoing-composer.js';
import { createTaskService } from './services/tasks/task-service.js';

export interface TasksOverrides {
  attachmentLimits?: AttachmentLimits;
}

/** Wires tasks, comments and the outbox enqueue (issue 9). */
export function createTasksContext(deps: {
  db: DbOrTx;
  transaction: RunInTransaction;
  outboxWakeup: OutboxWakeup;
  addresses: Pick<EmailAddressRepository, 'findById' | 'recordUsage'>;
  repos: { projects: ProjectRepository; employees: EmployeeRepository; workspaces: WorkspaceRepository };
  compose: ComposeOutgoing;
  systemSender?: { email: string; displayName: string } | null;
  now?: () => Date;
  overrides?: TasksOverrides;
}) {
  const repos = {
    tasks: createTaskRepository(deps.db),
    comments: createCommentRepository(deps.db),
    outboxEnqueue: createOutboxEnqueueRepository(deps.db),
  };
  const companyCandidates = new CompanyCandidateCache();
  const tasks = createTaskService({
    tasks: repos.tasks,
    projects: deps.repos.projects,
    transaction: deps.transaction,
    randomBytes,
  });
  const comments = createCommentService({
    tasks,
    taskRows: repos.tasks,
    comments: repos.comments,
    contactsForNotify: (ws, ids) => repos.tasks.contactsForNotify(ws, ids),
    author: async (ws, id) => deps.repos.employees.findById(ws, id),
    oneEmailForAll: async (ws) =>
      (await deps.repos.workspaces.findById(ws))?.oneEmailForAllRecipients ?? false,
    recordUsage: (ws, employeeId, addressId, taskId, contactId, at, tx) =>
      deps.addresses.recordUsage(ws, employeeId, addressId, taskId, contactId, at, tx),
    senderContext: (ws, e, p) => loadSenderContext(deps.db, ws, e, p, companyCandidates),
    systemSender: deps.systemSender ?? null,
    address: (ws, id) => deps.addresses.findById(ws, id),
    outbox: repos.outboxEnqueue,
    compose: deps.compose,
    randomBytes,
    outboxWakeup: deps.outboxWakeup,
    transaction: deps.transaction,
    isKeyConflict: (e) => violatedUniqueIndex(e) === 'comments_idempotency_uq',
    ...(deps.overrides?.attachmentLimits ? { attachmentLimits: deps.overrides.attachmentLimits } : {}),
    ...(deps.now ? { now: deps.now } : {}),
  });
  return { repos, tasks, comments };
}
