import type {
  InboundOutcome,
  InboundReadingRepository,
  OutgoingMatch,
} from '../../db/repositories/inbound-reading.repository.js';
import { type HeaderBag, headerValue, threadIdsIn } from '../../domain/inbound/header-block.js';
import { subjectKey, type ThreadKeys } from '../../domain/inbound/thread-keys.js';

type MatchRepo = Pick<
  InboundReadingRepository,
  | 'outgoingByMessageIds'
  | 'outgoingByServerIds'
  | 'taskOfReceived'
  | 'tasksByTokens'
  | 'outgoingToAddress'
  | 'newestOutgoingOfTask'
  | 'matchRepliesBySubject'
>;

/** Where a received message belongs: its task, and the email of ours it answers (if known). */
export interface Match {
  taskId: string;
  outgoing: OutgoingMatch | null;
  by: 'message-id' | 'server-id' | 'received-id' | 'thread-token' | 'subject';
}

/** What one `processMany` call shares between its rows. */
export interface Batch {
  /** Our emails by (lower-case) Message-ID, for every id the batch's messages name. */
  outgoing: Map<string, OutgoingMatch[]>;
  bySubject: () => Promise<boolean>;
  options: (addressId: string) => ReturnType<InboundReadingRepository['addressOptions']>;
  /** Rows that end without a comment, grouped by their outcome. */
  deferred: Map<string, { outcome: InboundOutcome; ids: string[] }>;
}

/** An empty batch for one workspace: its settings are read once, when first asked for. */
export function createBatch(
  repo: Pick<InboundReadingRepository, 'matchRepliesBySubject' | 'addressOptions'>,
  workspaceId: string,
): Batch {
  let subjectOn: Promise<boolean> | null = null;
  const options = new Map<string, ReturnType<InboundReadingRepository['addressOptions']>>();
  return {
    outgoing: new Map(),
    deferred: new Map(),
    bySubject: () => {
      subjectOn ??= repo.matchRepliesBySubject(workspaceId);
      return subjectOn;
    },
    options: (addressId) => {
      const known = options.get(addressId);
      if (known) return known;
      const o = repo.addressOptions(workspaceId, addressId);
      options.set(addressId, o);
      return o;
    },
  };
}

/** Finds the task (and our email) a received message answers: by Message-ID, received id, thread token, then subject. */
export function createMatcher(repo: MatchRepo) {
  return async (
    ws: string,
    keys: ThreadKeys,
    fromEmail: string,
    idsAsWritten: readonly string[],
    batch?: Batch,
  ): Promise<Match | null> => {
    const [outgoing] = batch
      ? keys.messageIds.flatMap((mid) => batch.outgoing.get(mid) ?? [])
      : await repo.outgoingByMessageIds(ws, keys.messageIds);
    if (outgoing) return { taskId: outgoing.taskId, outgoing, by: 'message-id' };
    // The reply names the id Amazon SES gave our email (it rewrites Message-IDs): our queue id.
    if (fromEmail && keys.serverIds.length > 0) {
      const [sent] = await repo.outgoingByServerIds(ws, fromEmail, keys.serverIds);
      if (sent) return { taskId: sent.taskId, outgoing: sent, by: 'server-id' };
    }
    // Nothing else can match a message without thread headers (unless subjects are matched).
    if (batch && idsAsWritten.length === 0 && keys.messageIds.length === 0 && keys.tokens.length === 0) {
      if (!fromEmail || !keys.subjectKey || !(await batch.bySubject())) return null;
    }
    const receivedTask = await repo.taskOfReceived(ws, [...new Set([...idsAsWritten, ...keys.messageIds])]);
    if (receivedTask)
      return {
        taskId: receivedTask,
        outgoing: await repo.newestOutgoingOfTask(ws, receivedTask),
        by: 'received-id',
      };
    const [task] = await repo.tasksByTokens(ws, keys.tokens);
    if (task)
      return { taskId: task.id, outgoing: await repo.newestOutgoingOfTask(ws, task.id), by: 'thread-token' };
    if (fromEmail && keys.subjectKey && (await repo.matchRepliesBySubject(ws))) {
      const sent = await repo.outgoingToAddress(ws, fromEmail);
      const hit = sent.find((o) => subjectKey(o.subject) === keys.subjectKey);
      if (hit) return { taskId: hit.taskId, outgoing: hit, by: 'subject' };
    }
    return null;
  };
}

/** Thread ids as the sender wrote them (case kept): how ingestion stored received Message-IDs. */
export function writtenIds(headers: HeaderBag): string[] {
  return threadIdsIn(
    `${headerValue(headers, 'in-reply-to')} ${headerValue(headers, 'references')}`,
    100,
    true,
  );
}
