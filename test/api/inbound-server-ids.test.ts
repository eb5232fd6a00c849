import { readFileSync } from 'node:fs';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comments, outgoingMessages, outgoingRecipients } from '../../src/db/schema/index.js';
import { addressRow } from '../helpers/address-row.js';
import { type Caller, createTestApp, type TestApp, type TestWorkspace } from '../helpers/test-app.js';

/**
 * Amazon SES replaces our Message-ID with its own (`<…@eu-west-1.amazonses.com>`): the bounce's
 * returned copy and the recipient's reply name only that id, which the outbox stored as the
 * email's queue id (nodemailer reads it from SES's 250 reply). Matched through the recipient's
 * address (decision 0007), on the real database.
 */
let t: TestApp;
let ws: TestWorkspace;
let ewa: Caller;
let taskId: string;
let inboxId: string;

const SES_BOUNCED = '<0102019384a1b2c3-5f6e7d8c-1a2b-4c3d-9e8f-0a1b2c3d4e5f-000000@eu-west-1.amazonses.com>';
const SES_REPLIED = '<0102019384a1b2c3-77aa88bb-1a2b-4c3d-9e8f-0a1b2c3d4e5f-000000@eu-west-1.amazonses.com>';
const fixture = (path: string) =>
  readFileSync(new URL(`../fixtures/inbound/delivery/${path}`, import.meta.url));
const rowsOf = <T>(r: unknown) => (r as { rows: T[] }).rows;

let seq = 0;
async function storeAndProcess(
  raw: Buffer,
): Promise<{ kind: string | null; outgoing_message_id: string | null }> {
  const [row] = rowsOf<{ id: string }>(
    await t.ctx.db.execute(sql`
      INSERT INTO inbound_messages (workspace_id, address_id, protocol, remote_uid, content_sha256, raw, size, received_at, status)
      VALUES (${ws.workspaceId}, ${inboxId}, 'pop3', ${`ses-${++seq}`}, ${`ses-sha-${seq}`}, ${raw}, ${raw.length}, now(), 'stored')
      RETURNING id`),
  );
  await t.ctx.inbound.processor.process(ws.workspaceId, row!.id);
  const [out] = rowsOf<{ kind: string | null; outgoing_message_id: string | null }>(
    await t.ctx.db.execute(sql`SELECT kind, outgoing_message_id FROM inbound_messages WHERE id = ${row!.id}`),
  );
  return out!;
}

/** An email we sent through SES to `to` (random: our Message-ID's last part; queueId: SES's id). */
async function sentEmail(random: string, to: string, queueId: string | null) {
  const commentId = (await ewa.request('POST', `/api/tasks/${taskId}/comments`, { body: random })).json().id;
  const [row] = await t.ctx.db
    .insert(outgoingMessages)
    .values({
      workspaceId: ws.workspaceId,
      taskId,
      commentId,
      authorEmployeeId: ewa.employeeId,
      senderEmail: 'biuro@firma.pl',
      messageId: `<mr.qqqqrrrrsssstttt.${random}@firma.pl>`,
      subject: 'Oferta',
      status: 'sent',
      queueId,
      sentAt: new Date(),
    })
    .returning();
  await t.ctx.db
    .insert(outgoingRecipients)
    .values({ workspaceId: ws.workspaceId, outgoingMessageId: row!.id, email: to, status: 'accepted' });
  return row!;
}

beforeAll(async () => {
  t = await createTestApp();
  ws = await t.newWorkspace('Firma');
  ewa = await ws.newEmployee({ name: 'Ewa Nowak' });
  const projectId = (await ws.admin.request('POST', '/api/projects', { name: 'Sprzedaż' })).json().id;
  taskId = (await ewa.request('POST', '/api/tasks', { projectId, title: 'Oferta' })).json().id;
  inboxId = (
    await t.ctx.mailbox.addresses.insert(
      addressRow({ workspaceId: ws.workspaceId, scope: 'company', email: 'biuro@firma.pl' }),
    )
  ).id;
});
afterAll(async () => t?.close());

describe('emails sent through Amazon SES (Message-ID rewritten)', () => {
  it('a bounce finds the email by the queue id among the emails to the failed address', async () => {
    // A newer email to someone else with the same id is not this one: the lookup never trusts
    // an id without the address it was sent to.
    const email = await sentEmail('sesbouncesesboun', 'marta@odbiorca.example', SES_BOUNCED);
    const other = await sentEmail('otherotherothero', 'ktos@inny.example', SES_BOUNCED);
    const result = await storeAndProcess(fixture('bounces/amazon-ses-rewritten-id.eml'));
    expect(result).toEqual({ kind: 'bounce', outgoing_message_id: email.id });
    const rows = await t.ctx.db
      .select({ id: outgoingMessages.id, status: outgoingMessages.status })
      .from(outgoingMessages)
      .where(eq(outgoingMessages.workspaceId, ws.workspaceId));
    expect(rows.find((r) => r.id === email.id)?.status).toBe('bounced');
    expect(rows.find((r) => r.id === other.id)?.status).toBe('sent');
  });

  it('a reply naming only the SES id becomes a comment in the email’s task', async () => {
    // Stored without brackets, as an id read out of a 250 reply is.
    const email = await sentEmail('sesreplysesreply', 'Marta@Odbiorca.example', SES_REPLIED.slice(1, -1));
    const result = await storeAndProcess(fixture('replies/reply-to-ses-rewritten-id.eml'));
    expect(result).toEqual({ kind: 'reply', outgoing_message_id: email.id });
    const replies = await t.ctx.db
      .select({ body: comments.bodyText })
      .from(comments)
      .where(
        and(
          eq(comments.workspaceId, ws.workspaceId),
          eq(comments.taskId, taskId),
          eq(comments.kind, 'reply'),
        ),
      );
    expect(replies).toEqual([{ body: 'Dzień dobry,\n\nproszę o wycenę 50 sztuk.' }]);
  });
});
