import { sql } from 'drizzle-orm';
import { outgoingMessages, outgoingRecipients } from '../../src/db/schema/index.js';
import type { InboundProcessor } from '../../src/ports/inbound-processor.js';
import { readRawFacts } from '../../src/services/inbound/ingest-message.js';
import { addressRow } from './address-row.js';
import type { Caller, TestApp, TestWorkspace } from './test-app.js';

/**
 * A workspace for threading tests on the real database: Ewa, tasks in one project, the company
 * inbox biuro@firma.pl; received mail stored as collected and processed at once, emails "sent"
 * by inserting outbox rows (their Message-IDs are what replies name).
 */
export interface InboundThread {
  ws: TestWorkspace;
  ewa: Caller;
  inboxId: string;
  taskIds: string[];
  /** Stores `raw` as collected mail (its Message-ID read as ingestion does), processes it, and returns its row afterwards. */
  storeAndProcess(raw: Buffer): Promise<Record<string, unknown>>;
  /** An email sent from `taskId` to `to` (queueId: the id a sending service gave it). */
  sentEmail(
    taskId: string,
    messageId: string,
    to: string,
    queueId?: string | null,
  ): Promise<typeof outgoingMessages.$inferSelect>;
}

const rowsOf = <T>(r: unknown) => (r as { rows: T[] }).rows;
let seq = 0;

/** `processor`: one of the test's own (another parse pool) instead of the app's. */
export async function inboundThread(
  t: TestApp,
  titles: string[],
  processor?: () => InboundProcessor,
): Promise<InboundThread> {
  const ws = await t.newWorkspace('Firma');
  const ewa = await ws.newEmployee({ name: 'Ewa Nowak' });
  const projectId = (await ws.admin.request('POST', '/api/projects', { name: 'Sprzedaż' })).json().id;
  const taskIds: string[] = [];
  for (const title of titles)
    taskIds.push((await ewa.request('POST', '/api/tasks', { projectId, title })).json().id);
  const inboxId = (
    await t.ctx.mailbox.addresses.insert(
      addressRow({ workspaceId: ws.workspaceId, scope: 'company', email: 'biuro@firma.pl' }),
    )
  ).id;

  async function storeAndProcess(raw: Buffer) {
    const n = ++seq;
    const messageId = readRawFacts(raw).messageId;
    const [row] = rowsOf<{ id: string }>(
      await t.ctx.db.execute(sql`
        INSERT INTO inbound_messages (workspace_id, address_id, protocol, remote_uid, content_sha256, raw, size, message_id_header, received_at, status)
        VALUES (${ws.workspaceId}, ${inboxId}, 'pop3', ${`thread-${n}`}, ${`thread-sha-${n}`}, ${raw}, ${raw.length}, ${messageId}, now(), 'stored')
        RETURNING id`),
    );
    await (processor?.() ?? t.ctx.inbound.processor).process(ws.workspaceId, row!.id);
    const [out] = rowsOf<Record<string, unknown>>(
      await t.ctx.db.execute(
        sql`SELECT status, kind, task_id, outgoing_message_id, process_error FROM inbound_messages WHERE id = ${row!.id}`,
      ),
    );
    return out!;
  }

  const sentEmail = (taskId: string, messageId: string, to: string, queueId: string | null = null) =>
    insertSentEmail(t, ewa, { workspaceId: ws.workspaceId, taskId, messageId, to, queueId });

  return { ws, ewa, inboxId, taskIds, storeAndProcess, sentEmail };
}

/** Our email from `taskId` to `to`, recorded as sent (a comment by `author`, the outbox row, its recipient). */
export async function insertSentEmail(
  t: TestApp,
  author: Caller,
  email: {
    workspaceId: string;
    taskId: string;
    messageId: string;
    to: string;
    subject?: string;
    queueId?: string | null;
  },
) {
  const { workspaceId, taskId, messageId, to } = email;
  const commentId = (
    await author.request('POST', `/api/tasks/${taskId}/comments`, { body: messageId })
  ).json().id;
  const [row] = await t.ctx.db
    .insert(outgoingMessages)
    .values({
      workspaceId,
      taskId,
      commentId,
      authorEmployeeId: author.employeeId,
      senderEmail: 'biuro@firma.pl',
      messageId,
      subject: email.subject ?? 'Oferta',
      status: 'sent',
      queueId: email.queueId ?? null,
      sentAt: new Date(),
    })
    .returning();
  await t.ctx.db
    .insert(outgoingRecipients)
    .values({ workspaceId, outgoingMessageId: row!.id, email: to, status: 'accepted' });
  return row!;
}
