import type { InboundReadingRepository } from '../../db/repositories/inbound-reading.repository.js';
import type { Actor } from '../../domain/actor.js';
import { notFound } from '../../domain/errors.js';

/**
 * What the task thread shows of a comment that arrived by email (issue 10 item 4), and the
 * full original one click away. Both are visible to whoever may see the comment's task.
 */
export function createReadingService(deps: {
  repo: Pick<InboundReadingRepository, 'receivedView' | 'originalOf'>;
  /** Throws 404/403 like the task routes when the actor may not see the task. */
  requireTaskVisible: (actor: Actor, taskId: string) => Promise<unknown>;
}) {
  return {
    async received(actor: Actor, commentId: string) {
      const row = await deps.repo.receivedView(actor.workspaceId, commentId);
      if (!row) throw notFound('comment', commentId);
      await deps.requireTaskVisible(actor, row.taskId);
      return row;
    },

    /** The raw message as received: always a download (message/rfc822), never rendered. */
    async original(actor: Actor, commentId: string) {
      const row = await deps.repo.originalOf(actor.workspaceId, commentId);
      if (!row) throw notFound('comment', commentId);
      await deps.requireTaskVisible(actor, row.taskId);
      return {
        content: row.raw,
        headers: {
          'content-type': 'message/rfc822',
          'content-disposition': `attachment; filename="message-${commentId.slice(0, 8)}.eml"`,
          'x-content-type-options': 'nosniff',
          'content-security-policy': "default-src 'none'; sandbox",
          'cache-control': 'private, no-store',
        },
      };
    },
  };
}

export type ReadingService = ReturnType<typeof createReadingService>;
