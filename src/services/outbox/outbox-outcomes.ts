import type {
  ClaimedMessage,
  NoticeRow,
  RecipientOutcome,
  SendingAddress,
} from '../../db/repositories/outbox.repository.js';
import type { MailFailure } from '../../domain/mailbox/mail-failure.js';
import type { OutgoingFailureReason, OutgoingFailureRecord } from '../../domain/message/outgoing.js';
import { type BackoffHint, nextAttemptAt } from '../../domain/message/retry-schedule.js';
import type { RecipientVerdict, SendDecision } from '../../domain/message/send-decision.js';
import type { OutboxDeps, OutboxOptions, SentWrite } from './outbox-sender.js';
import type { WriteQueue } from './write-coalescer.js';

type Status = 'sent' | 'deferred' | 'failed' | 'uncertain' | 'queued';

const asRecord = (r: OutgoingFailureRecord) => r as unknown as Record<string, unknown>;

/**
 * Turns one attempt's decision into the row's new state (issue 9 item 5): the schedule for
 * deferrals (absolute UTC, give-up after the window), per-recipient verdicts, the author told
 * about failed/uncertain/late emails, and the Copy in Sent after `sent`.
 */
export function createOutcomeRecorder(
  ctx: Pick<OutboxDeps, 'outbox' | 'notifier' | 'sentCopier' | 'onOutcome' | 'random'> & {
    options: OutboxOptions;
    now: () => Date;
    onError: (err: unknown, context: Record<string, unknown>) => void;
    background: Set<Promise<void>>;
    sentWrites: WriteQueue<SentWrite, boolean>;
  },
) {
  const { outbox, options, now } = ctx;

  const record = (
    m: ClaimedMessage,
    reason: OutgoingFailureReason,
    failure?: MailFailure,
    catalogueId?: string,
  ): OutgoingFailureRecord => ({
    reason,
    ...(failure ? { failure } : {}),
    ...(catalogueId ? { catalogueId } : {}),
    at: now().toISOString(),
    attempt: m.attempts,
  });

  const done = (m: ClaimedMessage, status: string, written: boolean) => {
    if (written) ctx.onOutcome?.({ outgoingMessageId: m.id, status, attempt: m.attempts });
  };

  async function tellAuthor(
    row: Pick<NoticeRow, 'id' | 'workspaceId' | 'authorEmployeeId' | 'taskId' | 'subject'>,
    kind: 'failed' | 'uncertain' | 'late',
  ) {
    if (!row.authorEmployeeId) return;
    await ctx.notifier.notify({
      workspaceId: row.workspaceId,
      employeeIds: [row.authorEmployeeId],
      kind: kind === 'late' ? 'message_late' : 'message_failed',
      payload: { outgoingMessageId: row.id, taskId: row.taskId, subject: row.subject, status: kind },
      dedupeKey: `message_${kind}:${row.id}`,
    });
  }

  const recipientRows = (
    m: ClaimedMessage,
    verdicts: RecipientVerdict[],
    byAddress: Map<string, string>,
  ): RecipientOutcome[] =>
    verdicts.flatMap((v) => {
      const id = byAddress.get(v.address.toLowerCase());
      if (!id) return [];
      return [
        {
          id,
          status: v.status,
          reply: v.failure?.response ?? null,
          failure: v.failure ? asRecord(record(m, 'smtp', v.failure, v.catalogueId)) : null,
        },
      ];
    });

  function startSentCopy(m: ClaimedMessage, address: SendingAddress) {
    const copier = ctx.sentCopier;
    if (!copier || !m.mime) return;
    const task = (async () => {
      const signal = AbortSignal.timeout(120_000);
      try {
        const r = await copier.append(m.workspaceId, address.id, m.mime!, signal);
        await outbox.setSentCopy(m.workspaceId, m.id, r.status, r.detail ?? null);
      } catch (err) {
        const detail = { error: err instanceof Error ? err.message.slice(0, 300) : 'append failed' };
        await outbox.setSentCopy(m.workspaceId, m.id, 'failed', detail).catch(() => {});
      }
    })()
      .catch((err) => ctx.onError(err, { outgoingMessageId: m.id, step: 'sent_copy' }))
      .finally(() => ctx.background.delete(task));
    ctx.background.add(task);
  }

  const wantsCopy = (address: SendingAddress | null) =>
    !!ctx.sentCopier && address?.incomingProtocol === 'imap';

  return {
    tellAuthor,

    /** Failed for good, with a reason (no attempt left to make). */
    async failed(
      m: ClaimedMessage,
      reason: OutgoingFailureReason,
      failure?: MailFailure,
      catalogueId?: string,
    ) {
      const written = await outbox.recordOutcome(m.id, m.lease, {
        status: 'failed',
        at: now(),
        failure: asRecord(record(m, reason, failure, catalogueId)),
      });
      done(m, 'failed', written);
      if (written) await tellAuthor(m, 'failed');
    },

    /** Every recipient already has it (a retry of an email accepted meanwhile): nothing to send. */
    async alreadySent(m: ClaimedMessage) {
      const written = await outbox.recordOutcome(m.id, m.lease, {
        status: 'sent',
        at: now(),
        failure: null,
        uncount: true,
      });
      done(m, 'sent', written);
    },

    /** Not tried now (paused address, shutdown): back to the queue, the attempt not counted. */
    async handBack(m: ClaimedMessage, why: OutgoingFailureRecord | null, at?: Date) {
      const written = await outbox.recordOutcome(m.id, m.lease, {
        status: 'queued',
        at: now(),
        ...(why ? { failure: asRecord(why) } : {}),
        ...(at ? { nextAttemptAt: at } : {}),
        uncount: true,
      });
      done(m, 'queued', written);
    },

    /** M34: a recipient had its 50 emails in 10 minutes; wait until the window has room. */
    async recipientLimited(m: ClaimedMessage, until: Date) {
      const written = await outbox.recordOutcome(m.id, m.lease, {
        status: 'deferred',
        at: now(),
        nextAttemptAt: until,
        uncount: true,
      });
      done(m, 'deferred', written);
    },

    /** A temporary failure: the next try on the schedule, or `gave_up` after the window. */
    async deferred(
      m: ClaimedMessage,
      failure: MailFailure,
      catalogueId: string,
      hint: BackoffHint,
      recipients: RecipientOutcome[] = [],
    ) {
      const at = now();
      const next = nextAttemptAt({
        attempt: m.attempts,
        now: at,
        createdAt: m.createdAt,
        hint,
        giveUpAfterMs: options.giveUpAfterMs,
        ...(ctx.random ? { random: ctx.random } : {}),
      });
      if (!next) {
        const written = await outbox.recordOutcome(m.id, m.lease, {
          status: 'failed',
          at,
          failure: asRecord(record(m, 'gave_up', failure, catalogueId)),
          recipients: recipients.map((r) =>
            r.status === 'pending' ? { ...r, status: 'rejected' as const } : r,
          ),
        });
        done(m, 'failed', written);
        if (written) await tellAuthor(m, 'failed');
        return;
      }
      const written = await outbox.recordOutcome(m.id, m.lease, {
        status: 'deferred',
        at,
        nextAttemptAt: next,
        failure: asRecord(record(m, 'smtp', failure, catalogueId)),
        recipients,
      });
      done(m, 'deferred', written);
    },

    /** Records what the server said to one transaction (the decision of send-decision.ts). */
    async decided(
      m: ClaimedMessage,
      address: SendingAddress,
      decision: Exclude<SendDecision, { status: 'pause' }>,
      byAddress: Map<string, string>,
    ) {
      const at = now();
      if (decision.status === 'sent') {
        const copy = wantsCopy(address) ? ('pending' as const) : null;
        const rejected = decision.recipients.some((r) => r.status !== 'accepted');
        // A manual retry of a failed email goes to the recipients refused before (send-one.ts);
        // the batched write marks only `pending` ones accepted, so theirs are written one by one.
        const resent = !m.recipients.some((r) => r.status === 'pending');
        const written =
          rejected || resent
            ? await outbox.recordOutcome(m.id, m.lease, {
                status: 'sent',
                at,
                failure: null,
                reply: decision.reply,
                queueId: decision.queueId,
                sentCopy: copy,
                recipients: recipientRows(m, decision.recipients, byAddress).map((r) =>
                  r.status === 'accepted' ? { ...r, reply: decision.reply } : r,
                ),
              })
            : await ctx.sentWrites.submit({
                id: m.id,
                lease: m.lease,
                reply: decision.reply,
                queueId: decision.queueId,
                sentCopy: copy,
              });
        done(m, 'sent', written);
        if (written && copy) startSentCopy(m, address);
        return;
      }
      if (decision.status === 'deferred') {
        return this.deferred(
          m,
          decision.failure,
          decision.catalogueId,
          decision.hint,
          recipientRows(m, decision.recipients, byAddress),
        );
      }
      const status: Status = decision.status;
      const reason: OutgoingFailureReason = status === 'uncertain' ? 'connection_lost_after_data' : 'smtp';
      const written = await outbox.recordOutcome(m.id, m.lease, {
        status,
        at,
        failure: asRecord(record(m, reason, decision.failure, decision.catalogueId)),
        ...(decision.status === 'failed'
          ? { recipients: recipientRows(m, decision.recipients, byAddress) }
          : {}),
      });
      done(m, status, written);
      if (written) await tellAuthor(m, decision.status === 'uncertain' ? 'uncertain' : 'failed');
    },

    failureRecord: record,
  };
}

export type OutcomeRecorder = ReturnType<typeof createOutcomeRecorder>;
