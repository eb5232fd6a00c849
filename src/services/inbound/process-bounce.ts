import type {
  InboundOutcome,
  InboundReadingRepository,
} from '../../db/repositories/inbound-reading.repository.js';
import { explainBounce } from '../../domain/inbound/bounce-explanation.js';
import type { BounceReport } from '../../domain/inbound/bounce-report.js';
import { serverAssignedIds, threadKeys } from '../../domain/inbound/thread-keys.js';
import type { Notifier } from '../../ports/notifier.js';
import type { RunInTransaction } from '../../ports/transaction.js';

type BounceRepo = Pick<
  InboundReadingRepository,
  | 'lockInbound'
  | 'recordOutcome'
  | 'outgoingByMessageIds'
  | 'outgoingByServerIds'
  | 'tasksByTokens'
  | 'outgoingToAddress'
  | 'recipientsOf'
  | 'markBounced'
  | 'noteDelay'
>;

export interface BounceHandlingDeps {
  repo: BounceRepo;
  transaction: RunInTransaction;
  notifier: Notifier;
}

/**
 * Bounces: a bounce marks our original email (and the recipient) `bounced` with the catalogue's
 * explanation and tells its author; never a comment. `finish` records an outcome without a comment.
 */
export function createBounceHandling(deps: BounceHandlingDeps) {
  const { repo } = deps;

  /**
   * Records a bounce; false when it is no bounce after all: a report that is not a mail
   * system's, from somebody our email went to (a client cannot bounce himself), is his mail.
   */
  async function bounce(ws: string, id: string, report: BounceReport, at: Date): Promise<boolean> {
    const ids = report.reportIds ?? [
      ...new Set([report.originalMessageId, ...report.referencedIds].filter((x): x is string => !!x)),
    ];
    let [outgoing] = await repo.outgoingByMessageIds(ws, ids);
    const serverIds = outgoing ? [] : serverAssignedIds(ids);
    if (serverIds.length > 0) {
      // Amazon SES replaced our Message-ID: its id is our email's queue id, to one of these addresses.
      const addresses = [...report.recipients.map((r) => r.recipient), ...report.mentionedAddresses];
      for (const address of [...new Set(addresses.filter(Boolean))].slice(0, 10)) {
        [outgoing] = await repo.outgoingByServerIds(ws, address, serverIds);
        if (outgoing) break;
      }
    }
    if (!outgoing) {
      // Only our thread token survived (a mangled id): that task's newest email to a bounced address.
      const keys = threadKeys({ inReplyTo: [], references: ids, subject: '' });
      const [task] = await repo.tasksByTokens(ws, keys.tokens);
      for (const r of task ? report.recipients : []) {
        if (!r.recipient) continue;
        outgoing = (await repo.outgoingToAddress(ws, r.recipient, 20)).find((o) => o.taskId === task!.id);
        if (outgoing) break;
      }
    }
    if (!outgoing) {
      await finish(ws, id, { status: 'processed', kind: 'bounce' }, at);
      return true;
    }
    const target = outgoing;
    if (!report.fromMailSystem && report.sender) {
      const got = await repo.recipientsOf(ws, target.id);
      if (got.some((r) => r.email.toLowerCase() === report.sender)) return false;
    }
    await deps.transaction(async (tx) => {
      if ((await repo.lockInbound(ws, id, tx)) !== 'stored') return;
      const recipients = await repo.recipientsOf(ws, target.id, tx);
      const failed = report.recipients.filter((r) => r.action === 'failed');
      const main = failed[0] ?? report.recipients[0]!;
      const explained = explainBounce(main);
      const record = {
        format: report.format,
        permanent: report.permanent,
        recipients: report.recipients.map((r) => ({ ...r, catalogueId: explainBounce(r).catalogueId })),
        inboundMessageId: id,
        receivedAt: at.toISOString(),
      };
      if (!report.permanent) {
        await repo.noteDelay(ws, target.id, record, at, tx);
      } else {
        // Which of our recipients bounced: named in the report, else mentioned, else the only one
        // — that guess only for a mail system's report, never one whose sender got the email
        // (a client cannot bounce himself; decision 0003); one already bounced keeps its first report.
        const named = new Set(failed.map((r) => r.recipient).filter(Boolean));
        const mentioned = new Set(report.mentionedAddresses);
        const notYetBounced = recipients.filter((r) => r.status !== 'bounced');
        let hit = notYetBounced.filter((r) => named.has(r.email.toLowerCase()));
        if (hit.length === 0) hit = notYetBounced.filter((r) => mentioned.has(r.email.toLowerCase()));
        const senderGotIt = recipients.some((r) => r.email.toLowerCase() === report.sender);
        // A report about a recipient already bounced (another relay's copy) is not about the others.
        const aboutBounced = recipients.some(
          (r) =>
            r.status === 'bounced' &&
            (named.has(r.email.toLowerCase()) || mentioned.has(r.email.toLowerCase())),
        );
        const guess = notYetBounced.length === 1 && report.fromMailSystem && !senderGotIt && !aboutBounced;
        if (hit.length === 0 && guess) hit = notYetBounced;
        const failureOf = (email: string) => {
          const r = failed.find((f) => f.recipient === email.toLowerCase()) ?? main;
          const e = explainBounce(r);
          // The outbox's failure record shape (domain/message/outgoing.ts), read by the delivery presenter.
          return { reason: 'bounced', catalogueId: e.catalogueId, failure: e.failure, at: at.toISOString() };
        };
        await repo.markBounced(
          ws,
          target.id,
          hit.map((r) => ({ id: r.id, failure: failureOf(r.email) })),
          record,
          {
            reason: 'bounced',
            catalogueId: explained.catalogueId,
            failure: explained.failure,
            at: at.toISOString(),
            recipient: main.recipient,
          },
          at,
          tx,
        );
        if (target.authorEmployeeId)
          await deps.notifier.notify(
            {
              workspaceId: ws,
              employeeIds: [target.authorEmployeeId],
              kind: 'message_failed',
              payload: {
                taskId: target.taskId,
                outgoingMessageId: target.id,
                recipient: main.recipient,
                catalogueId: explained.catalogueId,
                bounced: true,
              },
              dedupeKey: `bounce:${target.id}`,
            },
            tx,
          );
      }
      await repo.recordOutcome(
        ws,
        id,
        { status: 'processed', kind: 'bounce', taskId: target.taskId, outgoingMessageId: target.id },
        at,
        tx,
      );
    });
    return true;
  }

  async function finish(ws: string, id: string, outcome: InboundOutcome, at: Date) {
    await deps.transaction(async (tx) => {
      if ((await repo.lockInbound(ws, id, tx)) !== 'stored') return;
      await repo.recordOutcome(ws, id, outcome, at, tx);
    });
  }

  return { bounce, finish };
}
