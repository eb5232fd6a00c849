import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../../src/db/database.js';
import {
  comments,
  outgoingMessages,
  outgoingRecipients,
  projects,
  tasks,
} from '../../src/db/schema/index.js';
import { newThreadToken, outgoingMessageId } from '../../src/domain/message/message-id.js';

type MessageInsert = typeof outgoingMessages.$inferInsert;

/**
 * Outbox rows written straight into the database for Delivery log tests, as the tasks
 * helper's enqueue and the sender's worker would leave them (the sending path is elsewhere).
 */
export async function seedTask(
  db: Db,
  workspaceId: string,
  authorEmployeeId: string,
  title = 'Oferta na okna',
) {
  const [project] = await db
    .insert(projects)
    .values({ workspaceId, name: `Projekt ${randomUUID().slice(0, 8)}` })
    .returning();
  const [task] = await db
    .insert(tasks)
    .values({
      workspaceId,
      projectId: project!.id,
      title,
      threadToken: newThreadToken(randomBytes),
      createdByEmployeeId: authorEmployeeId,
    })
    .returning();
  const [comment] = await db
    .insert(comments)
    .values({ workspaceId, taskId: task!.id, authorEmployeeId, bodyText: 'Dzień dobry', authorName: 'Autor' })
    .returning();
  return { projectId: project!.id, taskId: task!.id, commentId: comment!.id, threadToken: task!.threadToken };
}

export interface SeedMessage extends Partial<MessageInsert> {
  to?: {
    email: string;
    name?: string;
    status?: 'pending' | 'accepted' | 'rejected' | 'bounced';
    kind?: 'to' | 'bcc';
  }[];
}

/** One outgoing email of the task's comment, with recipients; MIME is a small frozen message. */
export async function seedMessage(
  db: Db,
  task: { taskId: string; commentId: string; threadToken: string },
  workspaceId: string,
  values: SeedMessage = {},
) {
  const { to = [{ email: 'klient@example.com', name: 'Klient' }], ...rest } = values;
  const messageId = outgoingMessageId(task.threadToken, 'firma.example', randomBytes);
  const mime = Buffer.from(
    `From: Biuro <biuro@firma.example>\r\nTo: ${to[0]?.email ?? 'x@example.com'}\r\nSubject: Oferta\r\nMessage-ID: ${messageId}\r\n\r\nTreść\r\n`,
  );
  const [row] = await db
    .insert(outgoingMessages)
    .values({
      workspaceId,
      taskId: task.taskId,
      commentId: task.commentId,
      senderEmail: 'biuro@firma.example',
      senderName: 'Biuro',
      messageId,
      subject: 'Oferta',
      mime,
      size: mime.length,
      ...rest,
    })
    .returning();
  for (const r of to)
    await db.insert(outgoingRecipients).values({
      workspaceId,
      outgoingMessageId: row!.id,
      email: r.email,
      name: r.name ?? '',
      kind: r.kind ?? 'to',
      status: r.status ?? 'pending',
    });
  return row!;
}
