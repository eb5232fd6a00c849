import type { SenderContextRow } from '../../db/repositories/sender-context.query.js';
import { type Actor, isAdmin } from '../../domain/actor.js';
import { AppError, notFound } from '../../domain/errors.js';
import { describeDecision } from '../../domain/sender/describe-decision.js';
import { resolveSender } from '../../domain/sender/resolve-sender.js';
import type { SenderCandidate } from '../../domain/sender/sender-types.js';
import { visibleOr } from '../../domain/visible-text.js';

/** Which slice of the excluded addresses a preview returns (M28 lists them all, page by page). */
export interface ExcludedPage {
  offset: number;
  limit: number;
}

/** Default slice: a workspace with hundreds of company addresses excludes most of them. */
export const DEFAULT_EXCLUDED_PAGE: ExcludedPage = { offset: 0, limit: 50 };

interface Deps {
  /** One round trip with everything the decision needs (db/repositories/sender-context.query.ts). */
  loadContext(workspaceId: string, employeeId: string, projectId: string | null): Promise<SenderContextRow>;
  systemSender: { email: string; displayName: string } | null;
}

/**
 * Sender preview (M28): for (employee, project), the default sender, every applicable
 * choice, and every considered address that was excluded, with reasons and sentences.
 * Admins may preview anyone; employees themselves. The excluded list comes a page at a
 * time (`excludedTotal` says how many there are): describing and sending 300 excluded
 * company addresses on every preview cost more than the decision itself (issue #4).
 */
export function createSenderPreview(deps: Deps) {
  return {
    async preview(
      actor: Actor,
      employeeId: string,
      projectId: string | null,
      lang: 'pl' | 'en',
      taskId: string | null = null,
      excludedPage: ExcludedPage = DEFAULT_EXCLUDED_PAGE,
    ) {
      const c = await deps.loadContext(actor.workspaceId, employeeId, projectId);
      // Unknown here (another workspace's id included) is 404 for everyone (M48); a colleague is 403.
      if (!c.employee) throw notFound('employee', employeeId);
      if (!isAdmin(actor) && actor.employeeId !== employeeId) throw new AppError('FORBIDDEN');
      if (projectId && !c.project) throw notFound('project', projectId);
      const employeeName = c.employee.name;
      const candidates: SenderCandidate[] = c.candidates.map((r) => ({
        ...r,
        // M9: the sender name defaults to the employee's name, or the workspace's for company addresses.
        displayName: visibleOr(r.displayName, r.scope === 'employee' ? employeeName : c.workspaceName),
      }));
      const full = resolveSender({
        employeeId,
        employeeGroupIds: c.groupIds,
        projectId,
        taskId,
        candidates,
        usage: c.usage.map((u) => ({
          addressId: u.addressId,
          taskId: u.taskKey || null,
          contactId: u.contactKey || null,
          usedAt: u.usedAt,
        })),
        systemSender: deps.systemSender,
      });
      const excludedTotal = full.excluded.length;
      const { offset, limit } = excludedPage;
      const decision = { ...full, excluded: full.excluded.slice(offset, offset + limit) };
      const sentences = describeDecision(decision, lang, {
        employeeName,
        ...(c.project ? { projectName: c.project.name } : {}),
        excludedNotShown: excludedTotal - decision.excluded.length,
      });
      return { decision, sentences, excludedTotal };
    },
  };
}

export type SenderPreview = ReturnType<typeof createSenderPreview>;
