import type {
  InboundOutcome,
  InboundReadingRepository,
} from '../../db/repositories/inbound-reading.repository.js';
import { classifyInbound } from '../../domain/inbound/classify-inbound.js';
import { addressIn, headerValue, threadIdsIn } from '../../domain/inbound/header-block.js';
import type { ParsedMessage } from '../../domain/inbound/parsed-message.js';
import { threadKeys } from '../../domain/inbound/thread-keys.js';
import {
  TEST_EMAIL_HEADER,
  TEST_EMAIL_RECOGNISED_MS,
  testEmailIdIn,
} from '../../domain/mailbox/test-email.js';
import { threadTokenOf } from '../../domain/message/message-id.js';
import { visibleOr } from '../../domain/visible-text.js';

import type { InboundProcessor, SettledOutcome } from '../../ports/inbound-processor.js';
import type { ParseMessage } from '../../ports/message-parser.js';
import type { Notifier } from '../../ports/notifier.js';
import type { RunInTransaction } from '../../ports/transaction.js';
import { type AttachmentLimits, DEFAULT_ATTACHMENT_LIMITS } from '../tasks/attachment-rules.js';
import { createBounceHandling } from './process-bounce.js';
import { type Batch, createBatch, createMatcher, writtenIds } from './process-match.js';
import { parseMessage, rawHeaders, UnreadableMessage } from './process-parse.js';
import { isLight, readHeadersOnly } from './process-parse-light.js';
import { createReceivedWriter } from './process-received.js';

export { keepAttachments } from './process-attachments.js';

type Repo = Pick<
  InboundReadingRepository,
  | 'loadInbound'
  | 'lockInbound'
  | 'recordOutcome'
  | 'recordOutcomeMany'
  | 'outgoingByMessageIds'
  | 'outgoingByServerIds'
  | 'taskOfReceived'
  | 'tasksByTokens'
  | 'outgoingToAddress'
  | 'newestOutgoingOfTask'
  | 'recipientsOf'
  | 'markBounced'
  | 'noteDelay'
  | 'contactByEmail'
  | 'createContact'
  | 'employeeParticipants'
  | 'addContactParticipant'
  | 'insertTask'
  | 'insertComment'
  | 'commentOfInbound'
  | 'addressOptions'
  | 'matchRepliesBySubject'
  | 'ownTestEmails'
>;

export interface InboundProcessingDeps {
  repo: Repo;
  transaction: RunInTransaction;
  notifier: Notifier;
  randomBytes: (n: number) => Uint8Array;
  /** The full MIME parse (the app's: a worker thread with a time and heap budget, parse-pool.ts). */
  parse?: ParseMessage;
  attachmentLimits?: AttachmentLimits;
  now?: () => Date;
  /** Told about unexpected failures (a bug, not a hostile message); never the message's content. */
  onError?: (err: unknown, ctx: { workspaceId: string; inboundMessageId: string }) => void;
}

/** Parses `processMany` keeps in flight (the pool queues them; decision 0007 "Parsing in a worker"). */
const PARSES_IN_FLIGHT = 8;

/** Stand-in row ids of `settleBeforeStore` (the rows do not exist yet). */
const PRE_STORE = 'pre-store:';

/** An outcome that can be written with the store (no task, comment or email of ours linked). */
function settledOf(o: InboundOutcome): SettledOutcome | null {
  if (o.status !== 'processed' || o.taskId || o.commentId || o.outgoingMessageId) return null;
  if (o.kind !== 'unmatched' && o.kind !== 'auto_reply' && o.kind !== 'test') return null;
  return { status: 'processed', kind: o.kind, processError: o.processError ?? null };
}

/**
 * Reading one stored message (issue 10 items 4–6, M38–M41). In one transaction that first
 * locks the `inbound_messages` row and re-checks it is still `stored` (so a row handed twice
 * becomes one comment; `received_comments.inbound_message_id` is unique besides):
 * - a bounce marks our original email (and the recipient) `bounced` with the catalogue's
 *   explanation and tells its author; never a comment;
 * - an automatic reply is attached to its task quietly (kind `auto_reply`, nobody told);
 * - a reply becomes the contact's comment with its attachments (caps like outgoing), and the
 *   author of the email it answers and the task's employees are told;
 * - new mail is left alone, or becomes a task when its address asks for that (M40);
 * - a message the parser refuses is `quarantined` (`unreadable`), still placed in its task by
 *   its thread headers when it has them, shown as "could not be read".
 */
export function createInboundProcessor(deps: InboundProcessingDeps): InboundProcessor {
  const now = deps.now ?? (() => new Date());
  const limits = deps.attachmentLimits ?? DEFAULT_ATTACHMENT_LIMITS;
  const { repo } = deps;
  const parse: ParseMessage = deps.parse ?? ((raw) => parseMessage(raw));
  const { bounce, finish } = createBounceHandling(deps);
  const { readBody, insertReceived, newTask } = createReceivedWriter({
    repo,
    transaction: deps.transaction,
    randomBytes: deps.randomBytes,
    limits,
  });

  const findMatch = createMatcher(repo);
  // Headers alone settle most mail that becomes no comment; a comment always gets the full
  // parse (handle asks for it). Not when subjects are matched or new mail makes tasks: then
  // the From address and the body count for mail without thread headers too.
  const headersOnly = async (batch: Batch, addressId: string | null) =>
    !(await batch.bySubject()) && !(addressId && (await batch.options(addressId))?.createTasksFromNewMail);

  return {
    async process(workspaceId, inboundMessageId, signal) {
      const row = await repo.loadInbound(workspaceId, inboundMessageId);
      if (row?.status !== 'stored') return;
      await processOne(workspaceId, inboundMessageId, row.addressId, row.raw, signal);
    },

    async processMany(workspaceId, rows, signal) {
      const items: { id: string; addressId: string | null; raw: Buffer }[] = [];
      for (const r of rows) {
        if (r.raw) {
          items.push({ id: r.id, addressId: r.addressId, raw: r.raw });
          continue;
        }
        const row = await repo.loadInbound(workspaceId, r.id);
        if (row?.status === 'stored') items.push({ id: r.id, addressId: row.addressId, raw: row.raw });
      }
      const batch = createBatch(repo, workspaceId);
      // Parse first, then one lookup of our Message-IDs for the whole batch. A few parses at once:
      // the parse worker goes from one message to the next while this thread takes the answers.
      const read = async (raw: Buffer, addressId: string | null) => {
        signal?.throwIfAborted();
        try {
          return (
            ((await headersOnly(batch, addressId)) ? readHeadersOnly(raw) : null) ??
            (await parse(raw, signal))
          );
        } catch (err) {
          // Anything else (shutting down, aborted) is not the message's fault: it stays stored.
          if (!(err instanceof UnreadableMessage)) throw err;
          return err;
        }
      };
      const parsed = new Map<string, ParsedMessage | UnreadableMessage>();
      const wanted = new Set<string>();
      let next = 0;
      const lane = async () => {
        for (let it = items[next++]; it; it = items[next++]) {
          const msg = await read(it.raw, it.addressId);
          parsed.set(it.id, msg);
          if (!(msg instanceof UnreadableMessage))
            for (const mid of [...msg.inReplyTo, ...msg.references]) wanted.add(mid);
        }
      };
      await Promise.all(Array.from({ length: PARSES_IN_FLIGHT }, lane));
      const ids = [...wanted].map((mid) => mid.toLowerCase());
      for (let i = 0; i < ids.length; i += 500)
        for (const o of await repo.outgoingByMessageIds(workspaceId, ids.slice(i, i + 500)))
          batch.outgoing.set(o.messageId, [...(batch.outgoing.get(o.messageId) ?? []), o]);
      try {
        for (const it of items) {
          signal?.throwIfAborted();
          const msg = parsed.get(it.id)!;
          await processOne(workspaceId, it.id, it.addressId, it.raw, signal, msg, batch);
        }
      } finally {
        // Mail that becomes no comment: one write per outcome instead of a transaction per row.
        const at = now();
        for (const { outcome, ids: done } of batch.deferred.values())
          await repo.recordOutcomeMany(workspaceId, done, outcome, at);
      }
    },

    settlerFor(workspaceId, addressId, signal) {
      const settings = createBatch(repo, workspaceId);
      return async (raws) => {
        const settled: (SettledOutcome | null)[] = raws.map(() => null);
        if (!(await headersOnly(settings, addressId))) return settled;
        const batch = { ...settings, outgoing: new Map(), deferred: new Map() } as Batch;
        for (let j = 0; j < raws.length; j++) {
          signal?.throwIfAborted();
          let msg: ParsedMessage | null;
          try {
            msg = readHeadersOnly(raws[j] as Buffer);
          } catch {
            continue; // unreadable: quarantined by processing after the store
          }
          // With a batch, `handle` writes nothing for a headers-only message: it either defers
          // an outcome without a comment (collected below) or asks for the full parse.
          if (msg) await handle(workspaceId, `${PRE_STORE}${j}`, addressId, msg, batch);
        }
        for (const { outcome, ids } of batch.deferred.values()) {
          const s = settledOf(outcome);
          for (const id of ids) if (s) settled[Number(id.slice(PRE_STORE.length))] = s;
        }
        return settled;
      };
    },
  };

  async function processOne(
    workspaceId: string,
    inboundMessageId: string,
    addressId: string | null,
    raw: Buffer,
    signal?: AbortSignal,
    preParsed?: ParsedMessage | UnreadableMessage,
    batch?: Batch,
  ) {
    signal?.throwIfAborted();
    let parsed: ParsedMessage;
    try {
      if (preParsed instanceof UnreadableMessage) throw preParsed;
      parsed = preParsed ?? (await parse(raw, signal));
    } catch (err) {
      if (!(err instanceof UnreadableMessage)) throw err;
      await quarantine(workspaceId, inboundMessageId, raw, err.reason);
      return;
    }
    signal?.throwIfAborted();
    try {
      if ((await handle(workspaceId, inboundMessageId, addressId, parsed, batch)) === 'full')
        await processOne(workspaceId, inboundMessageId, addressId, raw, signal, undefined, batch);
    } catch (err) {
      // A bug must not stop the worker nor retry forever: keep the message raw and say so.
      deps.onError?.(err, { workspaceId, inboundMessageId });
      await deps.transaction(async (tx) => {
        if ((await repo.lockInbound(workspaceId, inboundMessageId, tx)) !== 'stored') return;
        await repo.recordOutcome(
          workspaceId,
          inboundMessageId,
          { status: 'quarantined', kind: 'unreadable', processError: { reason: 'internal_error' } },
          now(),
          tx,
        );
      });
    }
  }

  async function quarantine(ws: string, id: string, raw: Buffer, reason: string) {
    const headers = rawHeaders(raw);
    const keys = threadKeys({
      inReplyTo: threadIdsIn(headerValue(headers, 'in-reply-to'), 20),
      references: threadIdsIn(headerValue(headers, 'references'), 100),
      rawThreadHeaders: `${headerValue(headers, 'in-reply-to')} ${headerValue(headers, 'references')}`,
      subject: '',
    });
    const fromEmail = addressIn(headerValue(headers, 'from'));
    const match = await findMatch(ws, keys, '', writtenIds(headers));
    const at = now();
    await deps.transaction(async (tx) => {
      if ((await repo.lockInbound(ws, id, tx)) !== 'stored') return;
      let commentId: string | null = null;
      if (match && !(await repo.commentOfInbound(ws, id, tx))) {
        const contact = fromEmail ? await repo.contactByEmail(ws, fromEmail, tx) : null;
        commentId = await repo.insertComment(
          {
            workspaceId: ws,
            taskId: match.taskId,
            authorContactId: contact?.id ?? null,
            authorName: contact?.name ?? fromEmail.slice(0, 200),
            source: 'email',
            kind: 'reply',
            bodyText: '',
            bodyHtml: '',
            inboundMessageId: id,
            createdAt: at,
          },
          { workspaceId: ws, inboundMessageId: id, fromEmail: fromEmail.slice(0, 320), unreadable: true },
          [],
          tx,
        );
      }
      await repo.recordOutcome(
        ws,
        id,
        {
          status: 'quarantined',
          kind: 'unreadable',
          taskId: match?.taskId ?? null,
          commentId,
          processError: { reason },
        },
        at,
        tx,
      );
    });
  }

  /** Whether the message's `X-Mailroom-Test` names a recent test email of this address. */
  async function isOwnTest(ws: string, addressId: string | null, msg: ParsedMessage, at: Date) {
    const testId = testEmailIdIn(headerValue(msg.headers, TEST_EMAIL_HEADER));
    if (!testId || !addressId) return false;
    const since = new Date(at.getTime() - TEST_EMAIL_RECOGNISED_MS);
    return (await repo.ownTestEmails(ws, addressId, [testId], since)).has(testId);
  }

  /** Settles or threads one message; `'full'` when a headers-only reading is not enough. */
  async function handle(
    ws: string,
    id: string,
    addressId: string | null,
    msg: ParsedMessage,
    batch?: Batch,
  ): Promise<'full' | undefined> {
    const at = now();
    const cls = classifyInbound(msg, await isOwnTest(ws, addressId, msg, at));
    // Outcomes without a comment are written together at the end of a batch.
    const settle = (outcome: InboundOutcome) => {
      if (!batch) return finish(ws, id, outcome, at);
      const key = JSON.stringify(outcome);
      const group = batch.deferred.get(key) ?? { outcome, ids: [] };
      group.ids.push(id);
      batch.deferred.set(key, group);
    };
    if (cls.kind === 'test') {
      await settle({ status: 'processed', kind: 'test' });
      return;
    }
    if (cls.kind === 'bounce') {
      if (isLight(msg)) return 'full';
      // Not a mail system's report and from one of the email's own recipients: his mail.
      if (await bounce(ws, id, cls.bounce, at)) return;
    }
    if (msg.messageId && threadTokenOf(msg.messageId)) {
      // One of our own emails coming back (BCC to self, Gmail's POP3 also serving sent mail):
      // already in its task as the comment that sent it.
      await settle({ status: 'processed', kind: 'unmatched', processError: { reason: 'own_message' } });
      return;
    }
    const fromEmail = msg.from?.email ?? '';
    const keys = threadKeys({
      inReplyTo: msg.inReplyTo,
      references: msg.references,
      rawThreadHeaders: `${headerValue(msg.headers, 'in-reply-to')} ${headerValue(msg.headers, 'references')}`,
      subject: msg.subject,
    });
    const match = await findMatch(ws, keys, fromEmail, writtenIds(msg.headers), batch);
    const autoReason = cls.kind === 'auto_reply' ? cls.reason : null;
    if (!match) {
      const options =
        addressId && !autoReason
          ? await (batch ? batch.options(addressId) : repo.addressOptions(ws, addressId))
          : null;
      if (options?.createTasksFromNewMail && options.newMailProjectId && fromEmail) {
        if (isLight(msg)) return 'full';
        await newTask(ws, id, options.newMailProjectId, msg, at);
      } else {
        await settle({ status: 'processed', kind: autoReason ? 'auto_reply' : 'unmatched' });
      }
      return;
    }
    if (isLight(msg)) return 'full';
    const body = readBody(msg);
    await deps.transaction(async (tx) => {
      if ((await repo.lockInbound(ws, id, tx)) !== 'stored') return;
      const contact = fromEmail ? await repo.contactByEmail(ws, fromEmail, tx) : null;
      const commentId = await insertReceived(ws, id, match.taskId, contact, body, autoReason, at, tx);
      await repo.recordOutcome(
        ws,
        id,
        {
          status: 'processed',
          kind: autoReason ? 'auto_reply' : 'reply',
          taskId: match.taskId,
          commentId,
          outgoingMessageId: match.outgoing?.id ?? null,
        },
        at,
        tx,
      );
      if (autoReason) return; // M39: attached quietly
      const employees = new Set(await repo.employeeParticipants(ws, match.taskId, tx));
      if (match.outgoing?.authorEmployeeId) employees.add(match.outgoing.authorEmployeeId);
      if (employees.size > 0)
        await deps.notifier.notify(
          {
            workspaceId: ws,
            employeeIds: [...employees],
            kind: 'reply_received',
            payload: {
              taskId: match.taskId,
              commentId,
              from: visibleOr(contact?.name, visibleOr(msg.from?.name, fromEmail)),
              subject: msg.subject.slice(0, 200),
            },
            dedupeKey: `reply:${id}`,
          },
          tx,
        );
    });
  }
}
