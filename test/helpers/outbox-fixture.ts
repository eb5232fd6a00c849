import { randomBytes, randomUUID } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { Db } from '../../src/db/database.js';
import {
  comments,
  emailAddresses,
  outgoingMessages,
  outgoingRecipients,
  projects,
  tasks,
  workspaces,
} from '../../src/db/schema/index.js';
import { newThreadToken, outgoingMessageId } from '../../src/domain/message/message-id.js';
import type { SecretBox } from '../../src/security/secret-box.js';
import { addressRow } from './address-row.js';

export interface FixtureAddress {
  workspaceId: string;
  email?: string;
  login?: string;
  password?: string;
  port: number;
  security?: 'tls' | 'starttls' | 'none';
  host?: string;
  sendMaxConnections?: number | null;
  sendPerMinute?: number | null;
  incomingProtocol?: 'pop3' | 'imap';
  ownerEmployeeId?: string | null;
}

export interface EnqueueInput {
  workspaceId: string;
  addressId: string | null;
  to: string[];
  from?: string;
  subject?: string;
  text?: string;
  authorEmployeeId?: string | null;
  /** Pad the body to about this many bytes. */
  bodyBytes?: number;
  createdAt?: Date;
}

/**
 * Queues outgoing emails the way the `tasks` capability will (CONTRACTS.md "Outbox rows"): a
 * task, a comment and a `queued` row with MIME frozen by nodemailer's MailComposer and one
 * `pending` recipient per address; then the in-process wake-up. Works on any migrated
 * database (also a PGlite data dir seeded before a worker process starts).
 */
export function outboxFixture(deps: { db: Db; secretBox: SecretBox; committed?: () => void }) {
  const projectOf = new Map<string, string>();

  async function project(workspaceId: string): Promise<string> {
    let id = projectOf.get(workspaceId);
    if (!id) {
      const [row] = await deps.db.insert(projects).values({ workspaceId, name: 'Outbox tests' }).returning();
      id = row!.id;
      projectOf.set(workspaceId, id);
    }
    return id;
  }

  return {
    /** A bare workspace (for databases seeded outside the app). */
    async workspace(name = 'Outbox company'): Promise<string> {
      const [row] = await deps.db.insert(workspaces).values({ name }).returning();
      return row!.id;
    },

    /** A company address with an encrypted password, sending through 127.0.0.1:`port`. */
    async address(a: FixtureAddress): Promise<string> {
      const email = a.email ?? `sender.${randomUUID().slice(0, 8)}@firma.example`;
      const id = randomUUID();
      const password = a.password ?? 'sink password';
      await deps.db.insert(emailAddresses).values(
        addressRow({
          id,
          workspaceId: a.workspaceId,
          scope: a.ownerEmployeeId ? 'employee' : 'company',
          ownerEmployeeId: a.ownerEmployeeId ?? null,
          email,
          login: a.login ?? email,
          smtpHost: a.host ?? '127.0.0.1',
          smtpPort: a.port,
          smtpSecurity: a.security ?? 'tls',
          incomingProtocol: a.incomingProtocol ?? 'pop3',
          sendMaxConnections: a.sendMaxConnections ?? null,
          sendPerMinute: a.sendPerMinute ?? null,
          passwordEnc: deps.secretBox.encrypt(password, {
            workspaceId: a.workspaceId,
            rowId: id,
            field: 'password',
          }),
        }),
      );
      return id;
    },

    /** One queued email (task + comment + outbox row + recipients), then the wake-up. */
    async enqueue(input: EnqueueInput): Promise<{ id: string; messageId: string; mime: Buffer }> {
      const projectId = await project(input.workspaceId);
      const token = newThreadToken(randomBytes);
      const [task] = await deps.db
        .insert(tasks)
        .values({
          workspaceId: input.workspaceId,
          projectId,
          title: input.subject ?? 'Task',
          threadToken: token,
        })
        .returning();
      const text = `${input.text ?? 'Hello from the outbox.'}\r\n${'x'.repeat(Math.max(0, (input.bodyBytes ?? 0) - 100))}`;
      const [comment] = await deps.db
        .insert(comments)
        .values({
          workspaceId: input.workspaceId,
          taskId: task!.id,
          authorEmployeeId: input.authorEmployeeId ?? null,
          bodyText: text,
        })
        .returning();
      const from = input.from ?? 'sender@firma.example';
      const messageId = outgoingMessageId(token, 'firma.example', randomBytes);
      const mime = await new MailComposer({
        from,
        to: input.to,
        subject: input.subject ?? 'Outbox test',
        text,
        messageId,
        date: new Date(),
        disableFileAccess: true,
        disableUrlAccess: true,
      } as never)
        .compile()
        .build();
      // One transaction, as the real enqueue: the worker never sees a row without its recipients.
      const row = await deps.db.transaction(async (tx) => {
        const [inserted] = await tx
          .insert(outgoingMessages)
          .values({
            workspaceId: input.workspaceId,
            taskId: task!.id,
            commentId: comment!.id,
            authorEmployeeId: input.authorEmployeeId ?? null,
            addressId: input.addressId,
            senderEmail: from,
            messageId,
            subject: input.subject ?? 'Outbox test',
            mime,
            size: mime.length,
            ...(input.createdAt ? { createdAt: input.createdAt, nextAttemptAt: input.createdAt } : {}),
          })
          .returning();
        await tx.insert(outgoingRecipients).values(
          input.to.map((email) => ({
            workspaceId: input.workspaceId,
            outgoingMessageId: inserted!.id,
            email,
          })),
        );
        return inserted;
      });
      deps.committed?.();
      return { id: row!.id, messageId, mime };
    },
  };
}

export type OutboxFixture = ReturnType<typeof outboxFixture>;

/** The fixture over a test app's database, waking its outbox on every enqueue. */
export function appOutboxFixture(app: {
  ctx: { db: Db; secretBox: SecretBox; outboxWakeup: { committed(): void } };
}): OutboxFixture {
  return outboxFixture({
    db: app.ctx.db,
    secretBox: app.ctx.secretBox,
    committed: () => app.ctx.outboxWakeup.committed(),
  });
}
