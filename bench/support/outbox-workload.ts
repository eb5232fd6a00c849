import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../src/context.js';
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
import type { SecretBox } from '../../src/security/secret-box.js';
import { mimeOf } from './outbox-sink.js';

/** The outbox benchmark's workload: how many emails, over which addresses, enqueued how. */
export const EMAILS = Number(process.env.OUTBOX_BENCH_EMAILS ?? 5_000);
/** `OUTBOX_BENCH_ADDRESSES=1 OUTBOX_BENCH_PER_ADDRESS=2`: one address's bulk send (decision 0008's per-address cap). */
export const ADDRESSES = Number(process.env.OUTBOX_BENCH_ADDRESSES ?? 10);
/** Connections per address: 10 in all by default, for ours and for the baseline. */
export const PER_ADDRESS = Number(process.env.OUTBOX_BENCH_PER_ADDRESS ?? 1);
export const ENQUEUE_BATCH = 100;
/** Both sides send this many first, untimed: JIT, the sink's code paths, open connections. */
export const WARMUP = Math.min(500, Math.ceil(EMAILS / 10));
export const PASSWORD = 'bench password';

/** What enqueueing needs of the app: its database and the outbox's wake-up. */
export interface EnqueueContext {
  db: AppContext['db'];
  outboxWakeup: Pick<AppContext['outboxWakeup'], 'queued' | 'committed'>;
}

export interface Seeded {
  workspaceId: string;
  taskId: string;
  commentId: string;
  addressIds: string[];
}

/**
 * A workspace, task and comment with `addresses` company addresses sending to the sink(s) on
 * `ports` (address i uses port i mod their number), `perAddress` connections each.
 */
export async function seed(
  db: Db,
  secretBox: SecretBox,
  ports: number | readonly number[],
  options: { collectReplies?: boolean; addresses?: number; perAddress?: number } = {},
): Promise<Seeded> {
  const portList = typeof ports === 'number' ? [ports] : ports;
  const [ws] = await db.insert(workspaces).values({ name: 'Bench' }).returning();
  const workspaceId = ws!.id;
  const [project] = await db.insert(projects).values({ workspaceId, name: 'Bench' }).returning();
  const [task] = await db
    .insert(tasks)
    .values({ workspaceId, projectId: project!.id, title: 'Bench', threadToken: 'benchbenchbench2' })
    .returning();
  const [comment] = await db
    .insert(comments)
    .values({ workspaceId, taskId: task!.id, bodyText: 'x' })
    .returning();
  const addressIds: string[] = [];
  for (let i = 0; i < (options.addresses ?? ADDRESSES); i++) {
    const id = randomUUID();
    const email = `sender${i}@firma.example`;
    await db.insert(emailAddresses).values({
      id,
      workspaceId,
      scope: 'company',
      email,
      login: email,
      smtpHost: '127.0.0.1',
      smtpPort: portList[i % portList.length]!,
      smtpSecurity: 'none',
      incomingHost: '127.0.0.1',
      incomingPort: 995,
      incomingSecurity: 'tls',
      ...(options.collectReplies === undefined ? {} : { collectReplies: options.collectReplies }),
      sendMaxConnections: options.perAddress ?? PER_ADDRESS,
      passwordEnc: secretBox.encrypt(PASSWORD, { workspaceId, rowId: id, field: 'password' }),
    });
    addressIds.push(id);
  }
  return { workspaceId, taskId: task!.id, commentId: comment!.id, addressIds };
}

/** One transaction of queued rows (as the comment's transaction writes them), then the wake-up. */
export async function enqueue(
  ctx: EnqueueContext,
  s: Seeded,
  rows: Array<{ addressId: string; to: string; messageId: string }>,
) {
  await ctx.db.transaction(async (tx) => {
    const inserted = await tx
      .insert(outgoingMessages)
      .values(
        rows.map((r) => {
          const mime = mimeOf(r.messageId, r.to);
          return {
            workspaceId: s.workspaceId,
            taskId: s.taskId,
            commentId: s.commentId,
            addressId: r.addressId,
            senderEmail: 'bench@firma.example',
            messageId: r.messageId,
            subject: 'Outbox benchmark',
            mime,
            size: mime.length,
          };
        }),
      )
      .returning({ id: outgoingMessages.id });
    await tx
      .insert(outgoingRecipients)
      .values(
        inserted.map((m, i) => ({ workspaceId: s.workspaceId, outgoingMessageId: m.id, email: rows[i]!.to })),
      );
    await ctx.outboxWakeup.queued(tx);
  });
  ctx.outboxWakeup.committed();
}

/** Enqueues `count` emails over the addresses in transactions of ENQUEUE_BATCH. */
export async function enqueueMany(ctx: EnqueueContext, s: Seeded, count: number, tag: string): Promise<void> {
  for (let i = 0; i < count; i += ENQUEUE_BATCH) {
    await enqueue(
      ctx,
      s,
      Array.from({ length: Math.min(ENQUEUE_BATCH, count - i) }, (_, j) => ({
        addressId: s.addressIds[(i + j) % ADDRESSES]!,
        to: `${tag}${i + j}@example.com`,
        messageId: `<${tag}.${i + j}.${randomUUID()}@firma.example>`,
      })),
    );
  }
}
