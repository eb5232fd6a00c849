import { readFileSync } from 'node:fs';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comments, outgoingMessages } from '../../src/db/schema/index.js';
import { type InboundThread, inboundThread } from '../helpers/inbound-thread.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * Amazon SES replaces our Message-ID with its own (`<…@eu-west-1.amazonses.com>`): the bounce's
 * returned copy and the recipient's reply name only that id, which the outbox stored as the
 * email's queue id (nodemailer reads it from SES's 250 reply). Matched through the recipient's
 * address (decision 0007), on the real database.
 */
let t: TestApp;
let thread: InboundThread;
let taskId: string;

const SES_BOUNCED = '<0102019384a1b2c3-5f6e7d8c-1a2b-4c3d-9e8f-0a1b2c3d4e5f-000000@eu-west-1.amazonses.com>';
const SES_REPLIED = '<0102019384a1b2c3-77aa88bb-1a2b-4c3d-9e8f-0a1b2c3d4e5f-000000@eu-west-1.amazonses.com>';
const fixture = (path: string) =>
  readFileSync(new URL(`../fixtures/inbound/delivery/${path}`, import.meta.url));
const storeAndProcess = (raw: Buffer) => thread.storeAndProcess(raw);

/** An email we sent through SES to `to` (random: our Message-ID's last part; queueId: SES's id). */
const sentEmail = (random: string, to: string, queueId: string | null) =>
  thread.sentEmail(taskId, `<mr.qqqqrrrrsssstttt.${random}@firma.pl>`, to, queueId);

beforeAll(async () => {
  t = await createTestApp();
  thread = await inboundThread(t, ['Oferta']);
  taskId = thread.taskIds[0]!;
});
afterAll(async () => t?.close());

describe('emails sent through Amazon SES (Message-ID rewritten)', () => {
  it('a bounce finds the email by the queue id among the emails to the failed address', async () => {
    // A newer email to someone else with the same id is not this one: the lookup never trusts
    // an id without the address it was sent to.
    const email = await sentEmail('sesbouncesesboun', 'marta@odbiorca.example', SES_BOUNCED);
    const other = await sentEmail('otherotherothero', 'ktos@inny.example', SES_BOUNCED);
    const result = await storeAndProcess(fixture('bounces/amazon-ses-rewritten-id.eml'));
    expect(result).toMatchObject({ kind: 'bounce', outgoing_message_id: email.id });
    const rows = await t.ctx.db
      .select({ id: outgoingMessages.id, status: outgoingMessages.status })
      .from(outgoingMessages)
      .where(eq(outgoingMessages.workspaceId, thread.ws.workspaceId));
    expect(rows.find((r) => r.id === email.id)?.status).toBe('bounced');
    expect(rows.find((r) => r.id === other.id)?.status).toBe('sent');
  });

  it('a reply naming only the SES id becomes a comment in the email’s task', async () => {
    // Stored without brackets, as an id read out of a 250 reply is.
    const email = await sentEmail('sesreplysesreply', 'Marta@Odbiorca.example', SES_REPLIED.slice(1, -1));
    const result = await storeAndProcess(fixture('replies/reply-to-ses-rewritten-id.eml'));
    expect(result).toMatchObject({ kind: 'reply', outgoing_message_id: email.id });
    const replies = await t.ctx.db
      .select({ body: comments.bodyText })
      .from(comments)
      .where(
        and(
          eq(comments.workspaceId, thread.ws.workspaceId),
          eq(comments.taskId, taskId),
          eq(comments.kind, 'reply'),
        ),
      );
    expect(replies).toEqual([{ body: 'Dzień dobry,\n\nproszę o wycenę 50 sztuk.' }]);
  });
});
