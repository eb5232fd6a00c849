import type {
  DeliveryLogFilter,
  DeliveryLogQuery,
  DeliveryMessageRow,
  DeliveryRecipientRow,
} from '../../db/repositories/delivery-log.query.js';
import { type Actor, isAdmin } from '../../domain/actor.js';
import { AppError, notFound } from '../../domain/errors.js';
import type { OutboxWakeup } from '../../ports/outbox-wakeup.js';
import type { RunInTransaction } from '../../ports/transaction.js';
import type { AuditRecorder } from '../audit/audit-recorder.js';

export interface DeliveryServiceDeps {
  log: Pick<
    DeliveryLogQuery,
    'list' | 'find' | 'findResendOf' | 'recipientsOf' | 'requeueForRetry' | 'insertResend'
  >;
  transaction: RunInTransaction;
  outboxWakeup: OutboxWakeup;
  /** Who retried or sent again is in the audit log (M49), written with the change. */
  audit?: Pick<AuditRecorder, 'record'>;
  now?: () => Date;
}

/** One email with its recipients, ready for the presenter. */
export interface DeliveredMessage {
  message: DeliveryMessageRow;
  recipients: DeliveryRecipientRow[];
}

export type DeliveryListInput = Omit<DeliveryLogFilter, 'authorEmployeeId'> & {
  employeeId?: string | undefined;
};

/** Already on its way: a repeated Retry (double click, slow network) answers with the email as it is. */
const ON_ITS_WAY = new Set(['queued', 'sending']);

/**
 * The Delivery log and its two actions (issue 9 item 6). Admins see every email of the
 * workspace; an employee sees, retries and sends again only their own (others' are "not
 * found", not "forbidden": their existence is not disclosed).
 */
export function createDeliveryService(deps: DeliveryServiceDeps) {
  const now = deps.now ?? (() => new Date());

  async function visible(actor: Actor, id: string) {
    const row = await deps.log.find(actor.workspaceId, id);
    if (!row || (!isAdmin(actor) && row.authorEmployeeId !== actor.employeeId)) throw notFound('email', id);
    return row;
  }

  async function withRecipients(actor: Actor, message: DeliveryMessageRow): Promise<DeliveredMessage> {
    const map = await deps.log.recipientsOf(actor.workspaceId, [message.id]);
    return { message, recipients: map.get(message.id) ?? [] };
  }

  return {
    async list(actor: Actor, input: DeliveryListInput) {
      const { employeeId, ...rest } = input;
      if (!isAdmin(actor) && employeeId && employeeId !== actor.employeeId) throw new AppError('FORBIDDEN');
      const authorEmployeeId = isAdmin(actor) ? employeeId : actor.employeeId;
      return deps.log.list(actor.workspaceId, { ...rest, authorEmployeeId });
    },

    async get(actor: Actor, id: string): Promise<DeliveredMessage> {
      return withRecipients(actor, await visible(actor, id));
    },

    /** A failed email, or a deferred one ("try now"), goes back to the queue due now. */
    async retry(actor: Actor, id: string): Promise<DeliveredMessage> {
      const row = await visible(actor, id);
      if (ON_ITS_WAY.has(row.status)) return withRecipients(actor, row);
      if (row.status !== 'failed' && row.status !== 'deferred') throw new AppError('MESSAGE_NOT_RETRYABLE');
      const requeued = await deps.transaction(async (tx) => {
        const r = await deps.log.requeueForRetry(actor.workspaceId, id, now(), tx);
        if (r) {
          await deps.audit?.record(
            actor,
            {
              action: 'outgoing_message.retried',
              targetType: 'outgoing_message',
              targetId: id,
              details: { from: row.status },
            },
            tx,
          );
          await deps.outboxWakeup.queued(tx);
        }
        return r;
      });
      if (requeued) deps.outboxWakeup.committed();
      const after = await visible(actor, id);
      // Not requeued: the worker claimed it meanwhile (fine), or nothing can be sent (no MIME/sender).
      if (!requeued && !ON_ITS_WAY.has(after.status)) throw new AppError('MESSAGE_NOT_RETRYABLE');
      return withRecipients(actor, after);
    },

    /**
     * An uncertain email once more, as a new email with the same frozen bytes (Message-ID
     * included, so a recipient's mail program that already has it may drop the copy). At
     * most one resend per email: a repeated request returns the first.
     */
    async sendAgain(actor: Actor, id: string): Promise<DeliveredMessage & { created: boolean }> {
      const row = await visible(actor, id);
      const existing = await deps.log.findResendOf(actor.workspaceId, id);
      if (existing) return { ...(await withRecipients(actor, existing)), created: false };
      if (row.status !== 'uncertain') throw new AppError('MESSAGE_NOT_RESENDABLE');
      let created: { id: string } | undefined;
      try {
        created = await deps.transaction(async (tx) => {
          const r = await deps.log.insertResend(actor.workspaceId, id, now(), tx);
          if (r) {
            await deps.audit?.record(
              actor,
              {
                action: 'outgoing_message.sent_again',
                targetType: 'outgoing_message',
                targetId: id,
                details: { resend: r.id },
              },
              tx,
            );
            await deps.outboxWakeup.queued(tx);
          }
          return r;
        });
      } catch (error) {
        // A concurrent request made the resend first (unique resend_of_id): answer with it.
        const first = await deps.log.findResendOf(actor.workspaceId, id);
        if (first) return { ...(await withRecipients(actor, first)), created: false };
        throw error;
      }
      if (!created) throw new AppError('MESSAGE_NOT_RESENDABLE');
      deps.outboxWakeup.committed();
      const fresh = await deps.log.find(actor.workspaceId, created.id);
      if (!fresh) throw notFound('email', created.id);
      return { ...(await withRecipients(actor, fresh)), created: true };
    },
  };
}

export type DeliveryService = ReturnType<typeof createDeliveryService>;
