import type { MailboxSyncPatch, MailboxSyncRow } from '../../db/repositories/mailbox-sync.repository.js';
import type { IncomingSettings } from '../../domain/mailbox/connection.js';
import type { IncomingMailbox } from '../../ports/incoming-mailbox.js';
import {
  type CollectBudget,
  type CollectDeps,
  type CollectOutcome,
  type CollectTarget,
  collectPop3,
} from './collect-pop3.js';

/** One protocol's collection: open, read what is new, store, close (POP3 here, IMAP in collect-imap). */
export interface MailboxCollector {
  collect(
    settings: IncomingSettings,
    state: MailboxSyncRow,
    target: CollectTarget,
    options: {
      budget: CollectBudget;
      signal: AbortSignal;
      checkpoint: (final?: boolean) => Promise<void>;
      /** Reading's triage before the store (outcomes written with the row), when it has one. */
      settle?: CollectDeps['settle'];
    },
    /**
     * What to write after the poll; `lastSuccessAt` only from an unfinished IMAP re-sync, which
     * keeps it (its moment is computed from it, see collect-imap.ts).
     */
  ): Promise<{
    outcome: CollectOutcome;
    cursor?: Pick<MailboxSyncPatch, 'uidvalidity' | 'lastUid' | 'lastSuccessAt'>;
  }>;
}

/** The POP3 collector over the IncomingMailbox port. */
export function pop3Collector(
  mailbox: IncomingMailbox,
  inbound: CollectDeps['inbound'],
  now: () => Date,
): MailboxCollector {
  return {
    async collect(settings, _state, target, options) {
      const session = await mailbox.open(settings, {
        deadline: options.budget.deadline + 30_000,
        signal: options.signal,
      });
      try {
        const outcome = await collectPop3(
          session,
          target,
          {
            inbound,
            now,
            checkpoint: options.checkpoint,
            ...(options.settle ? { settle: options.settle } : {}),
          },
          options.budget,
        );
        return { outcome };
      } catch (err) {
        session.abort();
        throw err;
      }
    },
  };
}
