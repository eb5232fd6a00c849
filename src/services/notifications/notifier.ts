import type { NotificationRepository } from '../../db/repositories/notification.repository.js';
import type { Notifier } from '../../ports/notifier.js';

/** The Notifier port over the notifications table; employees listed twice are told once. */
export function createNotifier(deps: {
  notifications: Pick<NotificationRepository, 'insertMany'>;
}): Notifier {
  return {
    async notify(input, tx) {
      const employeeIds = [...new Set(input.employeeIds)];
      await deps.notifications.insertMany(
        employeeIds.map((employeeId) => ({
          workspaceId: input.workspaceId,
          employeeId,
          kind: input.kind,
          payload: input.payload,
          dedupeKey: input.dedupeKey ?? null,
        })),
        tx,
      );
    },
  };
}
