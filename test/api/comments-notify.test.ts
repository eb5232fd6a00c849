import { and, asc, count, eq } from 'drizzle-orm';
import { type ParsedMail, simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  comments,
  contactEmails,
  contacts,
  inboundMessages,
  outgoingMessages,
  outgoingRecipients,
} from '../../src/db/schema/index.js';
import { addressRow } from '../helpers/address-row.js';
import { type Caller, createTestApp, type TestApp, type TestWorkspace } from '../helpers/test-app.js';

/**
 * Notifying contacts (M29–M31): the comment and its outgoing emails in one transaction, with
 * frozen MIME (Message-ID, threading, signature, Reply-To, BCC-to-self) and an idempotency key.
 */
let t: TestApp;
let ws: TestWorkspace;
let ewa: Caller;
let projectId: string;
let otherProjectId: string;
const contact: Record<'anna' | 'bartek' | 'nomail', string> = { anna: '', bartek: '', nomail: '' };
const address: Record<'own' | 'company' | 'elsewhere', string> = { own: '', company: '', elsewhere: '' };
let wakeups = 0;

beforeAll(async () => {
  t = await createTestApp();
  ws = await t.newWorkspace('Firma');
  ewa = await ws.newEmployee({ name: 'Ewa Nowak', signatureText: 'Ewa Nowak\nDział obsługi' });
  projectId = (await ws.admin.request('POST', '/api/projects', { name: 'Sklep' })).json().id;
  otherProjectId = (await ws.admin.request('POST', '/api/projects', { name: 'Magazyn' })).json().id;
  const newContact = async (name: string, emails: { email: string }[]) =>
    (await ws.admin.request('POST', '/api/contacts', { name, emails })).json().id as string;
  contact.anna = await newContact('Anna Klientka', [{ email: 'anna@klient.example' }]);
  contact.bartek = await newContact('Bartek Klient', [{ email: 'bartek@klient.example' }]);
  // The API requires an email; contacts created from received mail (issue 10) may lack one.
  contact.nomail = (
    await t.ctx.db.insert(contacts).values({ workspaceId: ws.workspaceId, name: 'Bez Adresu' }).returning()
  )[0]!.id;
  const insert = async (values: Parameters<typeof addressRow>[0]) =>
    (await t.ctx.mailbox.addresses.insert(addressRow(values))).id;
  address.own = await insert({
    workspaceId: ws.workspaceId,
    scope: 'employee',
    ownerEmployeeId: ewa.employeeId,
    email: 'ewa@firma.example',
  });
  address.company = await insert({
    workspaceId: ws.workspaceId,
    scope: 'company',
    email: 'biuro@firma.example',
    displayName: 'Biuro Firmy',
    replyTo: 'kontakt@firma.example',
    signatureText: 'Firma Sp. z o.o.',
    bccSelf: true,
  });
  address.elsewhere = await insert({
    workspaceId: ws.workspaceId,
    scope: 'company',
    email: 'magazyn@firma.example',
  });
  await t.ctx.mailbox.addresses.replaceProjects(ws.workspaceId, address.elsewhere, [otherProjectId]);
  t.ctx.outboxWakeup.onWake(() => wakeups++);
});
afterAll(async () => t?.close());

const newTask = async (title = 'Reklamacja 42') =>
  (
    await ewa.request('POST', '/api/tasks', {
      projectId,
      title,
      contactIds: [contact.anna, contact.bartek],
    })
  ).json().id as string;
const post = (task: string, body: Record<string, unknown>, key?: string) =>
  ewa.request('POST', `/api/tasks/${task}/comments`, body, key ? { 'idempotency-key': key } : {});

async function storedEmails(commentId: string) {
  const rows = await t.ctx.db
    .select()
    .from(outgoingMessages)
    .where(eq(outgoingMessages.commentId, commentId))
    .orderBy(asc(outgoingMessages.createdAt), asc(outgoingMessages.id));
  return Promise.all(
    rows.map(async (row) => ({
      row,
      mail: row.mime ? await simpleParser(row.mime) : (null as ParsedMail | null),
      recipients: await t.ctx.db
        .select()
        .from(outgoingRecipients)
        .where(eq(outgoingRecipients.outgoingMessageId, row.id)),
    })),
  );
}
const toOf = (m: ParsedMail) =>
  (Array.isArray(m.to) ? m.to : [m.to!]).flatMap((a) => a.value.map((v) => v.address));
const countRows = async (table: typeof comments | typeof outgoingMessages) =>
  Number((await t.ctx.db.select({ n: count() }).from(table))[0]!.n);

describe('notifying contacts by email', () => {
  it('queues one email per contact from the default sender, with our Message-ID and the signature', async () => {
    const task = await newTask();
    const before = wakeups;
    const res = await post(task, {
      body: 'Dzień dobry,\nprzyjęliśmy reklamację.',
      notifyContactIds: [contact.anna, contact.bartek],
    });
    expect(res.statusCode, res.body).toBe(201);
    const emails = res.json().emails;
    expect(emails).toHaveLength(2);
    expect(emails.map((e: { status: string }) => e.status)).toEqual(['queued', 'queued']);
    expect(emails[0].sender).toEqual({
      addressId: address.own,
      email: 'ewa@firma.example',
      name: 'Ewa Nowak',
    });
    expect(wakeups).toBe(before + 1);

    const stored = await storedEmails(res.json().id);
    const recipients = stored.map((s) => toOf(s.mail!)).sort();
    expect(recipients).toEqual([['anna@klient.example'], ['bartek@klient.example']]);
    for (const { row, mail } of stored) {
      expect(row.status).toBe('queued');
      expect(row.size).toBe(row.mime!.length);
      expect(mail!.messageId).toBe(row.messageId);
      expect(row.messageId).toMatch(/^<mr\.[a-z2-7]{16}\.[a-z2-7]{16}@firma\.example>$/);
      expect(mail!.inReplyTo).toBeUndefined();
      expect(mail!.subject).toBe('Reklamacja 42');
      expect(mail!.from!.value[0]).toEqual({ address: 'ewa@firma.example', name: 'Ewa Nowak' });
      // M30: no address signature, so the employee's card signature.
      expect(mail!.text).toContain('przyjęliśmy reklamację.\n\n-- \nEwa Nowak\nDział obsługi');
      expect(mail!.html).toContain('<p>Dzień dobry,<br>przyjęliśmy reklamację.</p>');
    }
    expect(new Set(stored.map((s) => s.row.messageId)).size).toBe(2);
    // The thread token of the task is inside every Message-ID.
    expect(new Set(stored.map((s) => s.row.messageId.split('.')[1])).size).toBe(1);
  });

  it('threads a reply on the earlier emails of the task to the same contact only', async () => {
    const task = await newTask('Zwrot');
    const first = await storedEmails(
      (await post(task, { body: 'Pierwsza', notifyContactIds: [contact.anna, contact.bartek] })).json().id,
    );
    const second = await storedEmails(
      (await post(task, { body: 'Druga', notifyContactIds: [contact.anna] })).json().id,
    );
    const third = await storedEmails(
      (await post(task, { body: 'Trzecia', notifyContactIds: [contact.anna] })).json().id,
    );
    const toAnna = first.find((s) => toOf(s.mail!)[0] === 'anna@klient.example')!.row.messageId;
    expect(second[0]!.mail!.inReplyTo).toBe(toAnna);
    expect(second[0]!.mail!.references).toBe(toAnna);
    expect(second[0]!.mail!.subject).toBe('Re: Zwrot');
    expect(third[0]!.mail!.inReplyTo).toBe(second[0]!.row.messageId);
    expect(third[0]!.mail!.references).toEqual([toAnna, second[0]!.row.messageId]);
  });

  it('threads on the contact’s received reply too (In-Reply-To = their Message-ID)', async () => {
    const task = await newTask('Faktura');
    const [first] = await storedEmails(
      (await post(task, { body: 'Pierwsza', notifyContactIds: [contact.anna] })).json().id,
    );
    // Anna's reply, as issue 10 stores it: the received message and a comment by her.
    const raw = Buffer.from('Message-ID: <reply-1@klient.example>\r\n\r\nDziękuję\r\n');
    const [inbound] = await t.ctx.db
      .insert(inboundMessages)
      .values({
        workspaceId: ws.workspaceId,
        addressId: address.own,
        protocol: 'pop3',
        contentSha256: 'x'.repeat(64),
        raw,
        size: raw.length,
        messageIdHeader: '<reply-1@klient.example>',
        receivedAt: new Date(Date.now() + 1000),
        status: 'processed',
      })
      .returning();
    await t.ctx.db.insert(comments).values({
      workspaceId: ws.workspaceId,
      taskId: task,
      authorContactId: contact.anna,
      authorName: 'Anna Klientka',
      source: 'email',
      kind: 'reply',
      bodyText: 'Dziękuję',
      inboundMessageId: inbound!.id,
    });
    const [next] = await storedEmails(
      (await post(task, { body: 'Proszę bardzo', notifyContactIds: [contact.anna] })).json().id,
    );
    expect(next!.mail!.inReplyTo).toBe('<reply-1@klient.example>');
    expect(next!.mail!.references).toEqual([first!.row.messageId, '<reply-1@klient.example>']);
  });

  it('sends from a chosen sender that applies, with its Reply-To, signature and BCC to itself', async () => {
    const task = await newTask();
    const res = await post(task, {
      body: 'Od biura',
      notifyContactIds: [contact.anna],
      senderAddressId: address.company,
    });
    expect(res.statusCode, res.body).toBe(201);
    const [email] = await storedEmails(res.json().id);
    expect(email!.mail!.from!.value[0]).toEqual({ address: 'biuro@firma.example', name: 'Biuro Firmy' });
    expect(email!.mail!.replyTo!.value[0]!.address).toBe('kontakt@firma.example');
    expect(email!.mail!.text).toContain('-- \nFirma Sp. z o.o.');
    expect(email!.mail!.text).not.toContain('Dział obsługi');
    expect(email!.recipients.map((r) => [r.kind, r.email, r.status]).sort()).toEqual([
      ['bcc', 'biuro@firma.example', 'pending'],
      ['to', 'anna@klient.example', 'pending'],
    ]);
    // BCC never shows in the headers the recipient sees, nor in the API's `to`.
    expect(email!.row.mime!.toString()).not.toMatch(/^bcc:/im);
    expect(res.json().emails[0].to).toEqual([
      { email: 'anna@klient.example', name: 'Anna Klientka', status: 'pending' },
    ]);
  });

  it('continues a thread from the address it last used with that contact (M27)', async () => {
    const task = await newTask();
    await post(task, {
      body: 'Od biura',
      notifyContactIds: [contact.anna],
      senderAddressId: address.company,
    });
    const next = await post(task, { body: 'Dalej', notifyContactIds: [contact.anna, contact.bartek] });
    const bySender = Object.fromEntries(
      next
        .json()
        .emails.map((e: { to: { email: string }[]; sender: { email: string } }) => [
          e.to[0]!.email,
          e.sender.email,
        ]),
    );
    // Anna's thread stays with the company address; Bartek gets the default (Ewa's own).
    expect(bySender).toEqual({
      'anna@klient.example': 'biuro@firma.example',
      'bartek@klient.example': 'ewa@firma.example',
    });
  });

  it('refuses a sender that does not apply (M26) and stores nothing', async () => {
    const task = await newTask();
    const [c0, m0] = [await countRows(comments), await countRows(outgoingMessages)];
    const res = await post(task, {
      body: 'Z magazynu',
      notifyContactIds: [contact.anna],
      senderAddressId: address.elsewhere,
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({
      code: 'SENDER_NOT_APPLICABLE',
      details: {
        fields: [expect.objectContaining({ path: '/body/senderAddressId', code: 'bound_to_other_projects' })],
      },
    });
    const unknown = await post(task, {
      body: 'x',
      notifyContactIds: [contact.anna],
      senderAddressId: '00000000-0000-4000-8000-000000000000',
    });
    expect(unknown.json().error.details.fields[0].code).toBe('unknown');
    expect([await countRows(comments), await countRows(outgoingMessages)]).toEqual([c0, m0]);
  });

  it('puts every notified contact into one email when the workspace asks for it (M29)', async () => {
    const on = await ws.admin.request('PATCH', '/api/workspace', { oneEmailForAllRecipients: true });
    expect(on.json().oneEmailForAllRecipients).toBe(true);
    expect(
      (await ewa.request('PATCH', '/api/workspace', { oneEmailForAllRecipients: false })).statusCode,
    ).toBe(403);
    try {
      const task = await newTask();
      const res = await post(task, {
        body: 'Do wszystkich',
        notifyContactIds: [contact.anna, contact.bartek],
      });
      const stored = await storedEmails(res.json().id);
      expect(stored).toHaveLength(1);
      expect(toOf(stored[0]!.mail!).sort()).toEqual(['anna@klient.example', 'bartek@klient.example']);
      expect(stored[0]!.recipients.map((r) => r.contactId).sort()).toEqual(
        [contact.anna, contact.bartek].sort(),
      );
    } finally {
      await ws.admin.request('PATCH', '/api/workspace', { oneEmailForAllRecipients: false });
    }
  });

  it('refuses contacts without an email address and other workspaces’ contacts, with field paths', async () => {
    const task = await newTask();
    const res = await post(task, {
      body: 'x',
      notifyContactIds: [contact.anna, contact.nomail, '00000000-0000-4000-8000-000000000000'],
    });
    expect(res.statusCode).toBe(400);
    expect(
      res.json().error.details.fields.map((f: { path: string; code: string }) => [f.path, f.code]),
    ).toEqual([
      ['/body/notifyContactIds/1', 'no_email'],
      ['/body/notifyContactIds/2', 'unknown_reference'],
    ]);
  });

  it('names the notified contact when the composer refuses its stored address, storing nothing', async () => {
    const [bad] = await t.ctx.db
      .insert(contacts)
      .values({ workspaceId: ws.workspaceId, name: 'Stary Import' })
      .returning();
    await t.ctx.db
      .insert(contactEmails)
      .values({ workspaceId: ws.workspaceId, contactId: bad!.id, email: 'zly"@adres@klient.example' });
    const task = await newTask();
    const [c0, m0] = [await countRows(comments), await countRows(outgoingMessages)];
    const res = await post(task, { body: 'x', notifyContactIds: [contact.anna, bad!.id] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.fields[0].path).toBe('/body/notifyContactIds/1');
    expect([await countRows(comments), await countRows(outgoingMessages)]).toEqual([c0, m0]);
  });

  it('a repeated POST with the same key creates one comment and one set of emails', async () => {
    const task = await newTask();
    const body = { body: 'Raz tylko', notifyContactIds: [contact.anna, contact.bartek] };
    const [c0, m0] = [await countRows(comments), await countRows(outgoingMessages)];
    const first = await post(task, body, 'notify-once');
    const again = await post(task, body, 'notify-once');
    expect([first.statusCode, again.statusCode]).toEqual([201, 201]);
    expect(again.json()).toEqual(first.json());
    expect([await countRows(comments), await countRows(outgoingMessages)]).toEqual([c0 + 1, m0 + 2]);
  });

  it('a failure while inserting recipients leaves no comment and no email (one transaction)', async () => {
    const task = await newTask();
    const repo = t.ctx.tasks.repos.outboxEnqueue;
    const original = repo.insertRecipients;
    repo.insertRecipients = async () => {
      throw new Error('disk full (injected)');
    };
    const [c0, m0] = [await countRows(comments), await countRows(outgoingMessages)];
    try {
      const res = await post(task, { body: 'Nie zapisze się', notifyContactIds: [contact.anna] }, 'fails-1');
      expect(res.statusCode).toBe(500);
    } finally {
      repo.insertRecipients = original;
    }
    expect([await countRows(comments), await countRows(outgoingMessages)]).toEqual([c0, m0]);
    const thread = (await ewa.request('GET', `/api/tasks/${task}/comments`)).json();
    expect(thread.items).toEqual([]);
    // The key was not used up: the retry goes through.
    expect(
      (await post(task, { body: 'Nie zapisze się', notifyContactIds: [contact.anna] }, 'fails-1')).statusCode,
    ).toBe(201);
  });

  it('saves the comment and records "no sender" when no address applies (M25)', async () => {
    const lonely = await t.newWorkspace('Pusta');
    const p = (await lonely.admin.request('POST', '/api/projects', { name: 'P' })).json().id;
    const c = (
      await lonely.admin.request('POST', '/api/contacts', {
        name: 'K',
        emails: [{ email: 'k@klient.example' }],
      })
    ).json().id;
    const task = (await lonely.admin.request('POST', '/api/tasks', { projectId: p, title: 'T' })).json().id;
    const res = await lonely.admin.request('POST', `/api/tasks/${task}/comments`, {
      body: 'Bez nadawcy',
      notifyContactIds: [c],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().emails[0]).toMatchObject({ status: 'failed', failure: { reason: 'no_sender' } });
    const [email] = await storedEmails(res.json().id);
    expect(email!.row).toMatchObject({ status: 'failed', mime: null, addressId: null });
    const rows = await t.ctx.db
      .select()
      .from(outgoingRecipients)
      .where(
        and(eq(outgoingRecipients.workspaceId, lonely.workspaceId), eq(outgoingRecipients.contactId, c)),
      );
    expect(rows).toHaveLength(1);
  });
});
