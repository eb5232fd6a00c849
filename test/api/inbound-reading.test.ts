import { readFileSync } from 'node:fs';
import { and, count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  commentAttachments,
  comments,
  notifications,
  outgoingMessages,
  outgoingRecipients,
  receivedComments,
  tasks,
  workspaces,
} from '../../src/db/schema/index.js';
import { addressRow } from '../helpers/address-row.js';
import { insertSentEmail } from '../helpers/inbound-thread.js';
import { type Caller, createTestApp, type TestApp, type TestWorkspace } from '../helpers/test-app.js';

/**
 * Reading stored mail into tasks (issue 10 items 4–6) on the real database: rows are inserted
 * into `inbound_messages` as the poller stores them, then handed to the processor.
 */
let t: TestApp;
let ws: TestWorkspace;
let ewa: Caller;
let projectId: string;
let taskId: string;
let janId: string;
/** The mailbox the messages arrive in (ingestion stores every row against one). */
let inboxId: string;

const TOKEN = 'aaaabbbbccccdddd';
const fixture = (path: string) => readFileSync(new URL(`../fixtures/inbound/${path}`, import.meta.url));
const rowsOf = <T>(r: unknown) => (r as { rows: T[] }).rows;

async function ensureInboundTable() {
  // Until the ingestion migration is on this branch: the table as CONTRACTS.md defines it.
  await t.ctx.db.execute(sql`
    CREATE TABLE IF NOT EXISTS inbound_messages (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(), workspace_id uuid NOT NULL, address_id uuid,
      protocol text NOT NULL DEFAULT 'pop3', remote_uid text, content_sha256 text NOT NULL DEFAULT '',
      raw bytea NOT NULL, size integer NOT NULL DEFAULT 0, message_id_header text,
      received_at timestamptz NOT NULL DEFAULT now(), status text NOT NULL DEFAULT 'stored', kind text,
      task_id uuid, comment_id uuid, outgoing_message_id uuid, processed_at timestamptz,
      process_error jsonb, created_at timestamptz NOT NULL DEFAULT now())`);
}

let seq = 0;
async function store(raw: Buffer | string, addressId: string = inboxId): Promise<string> {
  const bytes = Buffer.from(raw);
  const messageId = /^message-id:\s*(<[^>]+>)/im.exec(bytes.toString('latin1'))?.[1] ?? null;
  const [row] = rowsOf<{ id: string }>(
    await t.ctx.db.execute(sql`
      INSERT INTO inbound_messages (workspace_id, address_id, protocol, remote_uid, content_sha256, raw, size,
        message_id_header, received_at, status)
      VALUES (${ws.workspaceId}, ${addressId}, 'pop3', ${`uid-${++seq}`}, ${`sha-${seq}`}, ${bytes}, ${bytes.length},
        ${messageId}, now(), 'stored')
      RETURNING id`),
  );
  return row!.id;
}

async function inbound(id: string) {
  const [row] = rowsOf<{
    status: string;
    kind: string | null;
    task_id: string | null;
    comment_id: string | null;
    outgoing_message_id: string | null;
    process_error: unknown;
  }>(
    await t.ctx.db.execute(
      sql`SELECT status, kind, task_id, comment_id, outgoing_message_id, process_error FROM inbound_messages WHERE id = ${id}`,
    ),
  );
  return row!;
}

const process = (id: string) => t.ctx.inbound.processor.process(ws.workspaceId, id);

const sentEmail = (random: string, to: string, subject = 'Oferta na grudzień') =>
  insertSentEmail(t, ewa, {
    workspaceId: ws.workspaceId,
    taskId,
    messageId: `<mr.${TOKEN}.${random}@firma.pl>`,
    to,
    subject,
  });

const commentsOfTask = (task = taskId) =>
  t.ctx.db
    .select()
    .from(comments)
    .where(and(eq(comments.workspaceId, ws.workspaceId), eq(comments.taskId, task)));
const noticeCount = async (kind: string, employeeId = ewa.employeeId) =>
  Number(
    (
      await t.ctx.db
        .select({ n: count() })
        .from(notifications)
        .where(and(eq(notifications.employeeId, employeeId), eq(notifications.kind, kind)))
    )[0]!.n,
  );

beforeAll(async () => {
  t = await createTestApp();
  ws = await t.newWorkspace('Firma');
  ewa = await ws.newEmployee({ name: 'Ewa Nowak' });
  projectId = (await ws.admin.request('POST', '/api/projects', { name: 'Sprzedaż' })).json().id;
  janId = (
    await ws.admin.request('POST', '/api/contacts', {
      name: 'Jan Kowalski',
      emails: [{ email: 'Jan.Kowalski@klient.example' }],
    })
  ).json().id;
  taskId = (
    await ewa.request('POST', '/api/tasks', { projectId, title: 'Oferta', contactIds: [janId] })
  ).json().id;
  await t.ctx.db.update(tasks).set({ threadToken: TOKEN }).where(eq(tasks.id, taskId));
  await ensureInboundTable();
  inboxId = (
    await t.ctx.mailbox.addresses.insert(
      addressRow({ workspaceId: ws.workspaceId, scope: 'company', email: 'biuro@firma.pl' }),
    )
  ).id;
  await sentEmail('qqqqrrrrsssstttt', 'jan.kowalski@klient.example');
});
afterAll(async () => t?.close());

describe('replies (M38)', () => {
  it('an Outlook reply becomes the contact’s comment with its attachment, quotes folded, and the author is told', async () => {
    const before = await noticeCount('reply_received');
    const id = await store(fixture('replies/outlook-desktop-reply.eml'));
    await process(id);
    const row = await inbound(id);
    expect(row).toMatchObject({ status: 'processed', kind: 'reply', task_id: taskId });
    const [comment] = await t.ctx.db.select().from(comments).where(eq(comments.id, row.comment_id!));
    expect(comment).toMatchObject({
      source: 'email',
      kind: 'reply',
      authorContactId: janId,
      authorName: 'Jan Kowalski',
      inboundMessageId: id,
    });
    expect(comment!.bodyText).toBe(
      'Dzień dobry,\n\nakceptujemy ofertę. Proszę o fakturę.\n\nPozdrawiam\nJan Kowalski',
    );
    expect(comment!.bodyHtml).toContain('data-mr-quote="outlook"');
    expect(comment!.bodyHtml).not.toMatch(/<style|\ssrc="https:/);
    const [received] = await t.ctx.db
      .select()
      .from(receivedComments)
      .where(eq(receivedComments.commentId, comment!.id));
    expect(received).toMatchObject({
      fromEmail: 'jan.kowalski@klient.example',
      remoteImages: 1,
      unreadable: false,
    });
    expect(received!.quotedText).toContain('Subject: Oferta na grudzień');
    const atts = await t.ctx.db
      .select()
      .from(commentAttachments)
      .where(eq(commentAttachments.commentId, comment!.id));
    expect(atts.map((a) => [a.filename, a.contentType])).toEqual([['zamowienie.pdf', 'application/pdf']]);
    expect(await noticeCount('reply_received')).toBe(before + 1);
  });

  it('tells an employee who only commented of a reply, without making them a participant', async () => {
    const marek = await ws.newEmployee({ name: 'Marek Wiśniewski' });
    const c = await marek.request('POST', `/api/tasks/${taskId}/comments`, { body: 'Zerknę na to' });
    expect(c.statusCode, c.body).toBe(201);
    // Taking part would let Marek change the task (task-access.ts): a comment must not.
    const task = (await marek.request('GET', `/api/tasks/${taskId}`)).json();
    expect(task.participants.map((p: { id: string }) => p.id)).not.toContain(marek.employeeId);
    const before = await noticeCount('reply_received', marek.employeeId);
    await process(await store(fixture('replies/apple-mail-reply.eml')));
    expect(await noticeCount('reply_received', marek.employeeId)).toBe(before + 1);
  });

  it('is idempotent: the same row processed again, or twice at once, is one comment', async () => {
    const id = await store(fixture('replies/gmail-reply.eml'));
    await Promise.all([process(id), process(id)]);
    await process(id);
    const made = (await commentsOfTask()).filter((c) => c.inboundMessageId === id);
    expect(made).toHaveLength(1);
    expect(made[0]!.bodyText).toBe('Dziękuję, termin mi pasuje.\n\nAdam');
  });

  it('matches by our thread token when the client mangled the ids', async () => {
    const id = await store(fixture('replies/client-rewrote-ids.eml'));
    await process(id);
    expect(await inbound(id)).toMatchObject({ kind: 'reply', task_id: taskId });
  });

  it('matches a reply to a contact’s reply through the ids we received', async () => {
    const first = await store(fixture('replies/thunderbird-reply.eml'));
    await process(first);
    const raw = [
      'From: Ola <ola@klient.example>',
      'To: biuro@firma.pl',
      'Subject: Re: Oferta',
      'Message-ID: <next-1@klient.example>',
      'In-Reply-To: <CAF3xZk9mN0pQrStUvWxYz1AbCdEfGhIjKlMnOpQ@mail.gmail.com>', // mixed case, as Gmail writes it
      '',
      'Też się zgadzam.',
    ].join('\r\n');
    const id = await store(raw);
    await process(id);
    expect(await inbound(id)).toMatchObject({ kind: 'reply', task_id: taskId });
  });

  it('our own email coming back (BCC to self, Gmail POP3 serving sent mail) is no reply', async () => {
    const raw = [
      'From: Firma Biuro <biuro@firma.pl>',
      'To: Jan <jan.kowalski@klient.example>',
      'Subject: Re: Oferta na grudzień',
      `Message-ID: <mr.${TOKEN}.ownownownownowno@firma.pl>`,
      `In-Reply-To: <mr.${TOKEN}.qqqqrrrrsssstttt@firma.pl>`,
      '',
      'Nasza odpowiedź.',
    ].join('\r\n');
    const id = await store(raw);
    await process(id);
    expect(await inbound(id)).toMatchObject({
      kind: 'unmatched',
      comment_id: null,
      process_error: { reason: 'own_message' },
    });
  });

  it('matches by subject + sender only when the workspace opted in', async () => {
    const raw = (n: number) =>
      [
        `From: Jan <jan.kowalski@klient.example>`,
        'Subject: RE: Oferta na grudzień',
        `Message-ID: <subj-${n}@klient.example>`,
        '',
        'Bez nagłówków.',
      ].join('\r\n');
    const off = await store(raw(1));
    await process(off);
    expect(await inbound(off)).toMatchObject({ kind: 'unmatched', task_id: null });
    await t.ctx.db
      .update(workspaces)
      .set({ matchRepliesBySubject: true })
      .where(eq(workspaces.id, ws.workspaceId));
    const on = await store(raw(2));
    await process(on);
    expect(await inbound(on)).toMatchObject({ kind: 'reply', task_id: taskId });
    await t.ctx.db
      .update(workspaces)
      .set({ matchRepliesBySubject: false })
      .where(eq(workspaces.id, ws.workspaceId));
  });
});

describe('bounces and automatic replies (M39)', () => {
  it('a bounce marks the original email and its recipient bounced with the catalogue entry; no comment', async () => {
    const email = await sentEmail('uuuuvvvvwwwwxxxx', 'p.wisniewski@uni.example', 'Faktura');
    const commentsBefore = (await commentsOfTask()).length;
    const failedBefore = await noticeCount('message_failed');
    const id = await store(fixture('bounces/sendmail-dsn-headers-only.eml'));
    await process(id);
    expect(await inbound(id)).toMatchObject({
      status: 'processed',
      kind: 'bounce',
      outgoing_message_id: email.id,
      comment_id: null,
    });
    const [row] = await t.ctx.db.select().from(outgoingMessages).where(eq(outgoingMessages.id, email.id));
    expect(row!.status).toBe('bounced');
    expect(row!.bouncedAt).toBeInstanceOf(Date);
    expect(row!.failure).toMatchObject({
      reason: 'bounced',
      catalogueId: 'recipient-unknown',
      failure: {
        step: 'bounce',
        enhancedCode: '5.2.1',
        response: expect.stringContaining('Mailbox disabled'),
      },
    });
    expect(row!.bounce).toMatchObject({ format: 'rfc3464', permanent: true });
    const [recipient] = await t.ctx.db
      .select()
      .from(outgoingRecipients)
      .where(eq(outgoingRecipients.outgoingMessageId, email.id));
    expect(recipient).toMatchObject({
      status: 'bounced',
      failure: expect.objectContaining({ catalogueId: 'recipient-unknown' }),
    });
    // The thread shows the email bounced with the catalogue entry (delivery's presenter reads this record).
    const thread = (await ewa.request('GET', `/api/tasks/${taskId}/comments?limit=100`)).json();
    const shown = thread.items
      .flatMap((c: { emails: { id: string }[] }) => c.emails)
      .find((e: { id: string }) => e.id === email.id);
    expect(shown).toMatchObject({
      status: 'bounced',
      failure: expect.objectContaining({ catalogueId: 'recipient-unknown' }),
    });
    expect((await commentsOfTask()).length).toBe(commentsBefore);
    expect(await noticeCount('message_failed')).toBe(failedBefore + 1);
  });

  it('a bounce naming only our thread token marks nothing unless a bounced address got an email of that task', async () => {
    const id = await store(fixture('bounces/yahoo-failure-notice.eml'));
    await process(id);
    expect(await inbound(id)).toMatchObject({ kind: 'bounce', outgoing_message_id: null });
    const statuses = await t.ctx.db
      .select({ s: outgoingMessages.status })
      .from(outgoingMessages)
      .where(eq(outgoingMessages.taskId, taskId));
    expect(statuses.filter((r) => r.s === 'bounced')).toHaveLength(1); // only the Sendmail one above
  });

  it('a non-standard bounce (qmail) finds the email through the pasted copy', async () => {
    const email = await sentEmail('yyyyzzzz22223333', 'tomasz@odbiorca.example', 'Spotkanie');
    const id = await store(fixture('bounces/qmail-plain.eml'));
    await process(id);
    const [row] = await t.ctx.db.select().from(outgoingMessages).where(eq(outgoingMessages.id, email.id));
    expect(row!.status).toBe('bounced');
  });

  it('a delay report is recorded without changing the state', async () => {
    const email = await sentEmail('iiiijjjjkkkkllll', 'jola@wolna.example');
    const id = await store(fixture('bounces/postfix-dsn-delayed.eml'));
    await process(id);
    const [row] = await t.ctx.db.select().from(outgoingMessages).where(eq(outgoingMessages.id, email.id));
    expect(row).toMatchObject({ status: 'sent', bounce: expect.objectContaining({ permanent: false }) });
  });

  it('an automatic reply is attached quietly', async () => {
    const before = await noticeCount('reply_received');
    const id = await store(fixture('auto-replies/outlook-automatyczna-odpowiedz-pl.eml'));
    await process(id);
    const row = await inbound(id);
    expect(row).toMatchObject({ kind: 'auto_reply', task_id: taskId });
    const [comment] = await t.ctx.db.select().from(comments).where(eq(comments.id, row.comment_id!));
    expect(comment).toMatchObject({ kind: 'auto_reply', source: 'email' });
    expect(await noticeCount('reply_received')).toBe(before);
  });
});

describe('new mail (M40)', () => {
  const fresh = (n: number, extra = '') =>
    [
      `From: Nowy Klient <nowy${n}@nowy.example>`,
      `Subject: Zapytanie ${n}`,
      `Message-ID: <new-${n}@nowy.example>`,
      extra,
      '',
      'Dzień dobry, proszę o ofertę.',
    ]
      .filter((l, i) => l !== '' || i === 4)
      .join('\r\n');

  it('is left alone unless its address creates tasks; then a task with a new contact', async () => {
    const plain = await t.ctx.mailbox.addresses.insert(
      addressRow({ workspaceId: ws.workspaceId, scope: 'company', email: 'info@firma.pl' }),
    );
    const creating = await t.ctx.mailbox.addresses.insert(
      addressRow({
        workspaceId: ws.workspaceId,
        scope: 'company',
        email: 'nowe@firma.pl',
        createTasksFromNewMail: true,
        newMailProjectId: projectId,
      }),
    );
    const left = await store(fresh(1), plain.id);
    await process(left);
    expect(await inbound(left)).toMatchObject({ kind: 'unmatched', task_id: null });

    const made = await store(fresh(2), creating.id);
    await process(made);
    const row = await inbound(made);
    expect(row).toMatchObject({ kind: 'new_task' });
    const [task] = await t.ctx.db.select().from(tasks).where(eq(tasks.id, row.task_id!));
    expect(task).toMatchObject({ projectId, title: 'Zapytanie 2' });
    const [comment] = await commentsOfTask(task!.id);
    expect(comment).toMatchObject({ authorName: 'Nowy Klient', source: 'email', kind: 'reply' });
    const contact = await t.ctx.inbound.repo.contactByEmail(ws.workspaceId, 'NOWY2@nowy.example');
    expect(contact).toMatchObject({ name: 'Nowy Klient', id: comment!.authorContactId });

    const auto = await store(fresh(3, 'Auto-Submitted: auto-replied'), creating.id);
    await process(auto);
    expect(await inbound(auto)).toMatchObject({ kind: 'auto_reply', task_id: null });
    const bounce = await store(fixture('bounces/yahoo-failure-notice.eml'), creating.id);
    await process(bounce);
    expect(await inbound(bounce)).toMatchObject({ kind: 'bounce', task_id: null });
  });
});

describe('unreadable mail (SECURITY.md §7 case 37)', () => {
  const bomb = (threadHeader: string) => {
    let body = 'Content-Type: text/plain\r\n\r\nx\r\n';
    for (let i = 0; i < 5000; i++)
      body = `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n${body}--b${i}--\r\n`;
    return `From: Jan <jan.kowalski@klient.example>\r\nSubject: bomba\r\n${threadHeader}MIME-Version: 1.0\r\n${body}`;
  };

  it('is quarantined, kept raw and shown in its task as could-not-be-read; the worker goes on', async () => {
    const id = await store(bomb(`In-Reply-To: <mr.${TOKEN}.qqqqrrrrsssstttt@firma.pl>\r\n`));
    await process(id);
    const row = await inbound(id);
    expect(row).toMatchObject({
      status: 'quarantined',
      kind: 'unreadable',
      task_id: taskId,
      process_error: { reason: 'too_deep' },
    });
    const [received] = await t.ctx.db
      .select()
      .from(receivedComments)
      .where(eq(receivedComments.commentId, row.comment_id!));
    expect(received).toMatchObject({ unreadable: true, fromEmail: 'jan.kowalski@klient.example' });

    const lone = await store(bomb(''));
    await process(lone);
    expect(await inbound(lone)).toMatchObject({
      status: 'quarantined',
      kind: 'unreadable',
      comment_id: null,
    });
    // Processing again changes nothing.
    await process(id);
    expect((await commentsOfTask()).filter((c) => c.inboundMessageId === id)).toHaveLength(1);
  });
});

describe('reading routes', () => {
  it('GET /api/comments/:id/received gives the reading view; /original the raw message as a download', async () => {
    const id = await store(fixture('replies/outlook-desktop-reply.eml'));
    await process(id);
    const { comment_id } = await inbound(id);
    const res = await ewa.request('GET', `/api/comments/${comment_id}/received`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      commentId: comment_id,
      kind: 'reply',
      from: { email: 'jan.kowalski@klient.example', name: 'Jan Kowalski' },
      subject: 'RE: Oferta na grudzień',
      remoteImages: 1,
      unreadable: false,
      originalHref: `/api/comments/${comment_id}/original`,
    });
    expect(res.json().quotedText).toContain('Sent: Thursday');
    const original = await ewa.request('GET', `/api/comments/${comment_id}/original`);
    expect(original.statusCode).toBe(200);
    expect(original.headers['content-type']).toBe('message/rfc822');
    expect(original.headers['content-disposition']).toMatch(
      /^attachment; filename="message-[0-9a-f]{8}\.eml"$/,
    );
    expect(original.headers['x-content-type-options']).toBe('nosniff');
    expect(original.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    expect(original.rawPayload.equals(fixture('replies/outlook-desktop-reply.eml'))).toBe(true);

    const other = await t.newWorkspace('Obca');
    for (const path of ['received', 'original'])
      expect((await other.admin.request('GET', `/api/comments/${comment_id}/${path}`)).statusCode).toBe(404);
    // An app comment has no received view.
    const own = (await ewa.request('POST', `/api/tasks/${taskId}/comments`, { body: 'Nasz' })).json().id;
    expect((await ewa.request('GET', `/api/comments/${own}/received`)).statusCode).toBe(404);
  });
});
