import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outgoingMessages, outgoingRecipients, tasks } from '../../src/db/schema/index.js';
import { POP_PASS, POP_USER, pollOnce, pop3Address, retire } from '../helpers/ingest-fixtures.js';
import { serviceMissing } from '../helpers/require-service.js';
import { createTestApp, type TestApp, type TestWorkspace } from '../helpers/test-app.js';
import { type DovecotInstance, dovecotMissingReason, startDovecot } from '../servers/dovecot.js';
import { createLoopbackResolver } from '../servers/loopback-resolver.js';
import { Pop3FakeServer } from '../servers/pop3-fake-server.js';

/**
 * Hostile mail collected by the real poller (issue 10 item 8; SECURITY.md §7 cases 36–37):
 * a MIME bomb, a body in a charset nobody can decode, a header block that is no header block
 * and an encoded-word flood arrive before an ordinary reply in one POP3 session. Each hostile
 * one is kept raw and quarantined as "could not be read" (in its task when its thread headers
 * say which), the reply after them still becomes the contact's comment: the worker goes on.
 * Against the in-process POP3 fake and, when installed, Dovecot.
 */
const TOKEN = 'hhhhoooosssstttt';
const OUR_ID = `<mr.${TOKEN}.iiiijjjjkkkkllll@firma.pl>`;
const head = (subject: string, thread = true) =>
  [
    'From: Jan Kowalski <jan.kowalski@klient.example>',
    'To: biuro@firma.pl',
    `Subject: ${subject}`,
    `Message-ID: <${subject.replace(/\W/g, '')}.${Date.now()}@klient.example>`,
    ...(thread ? [`In-Reply-To: ${OUR_ID}`] : []),
    'MIME-Version: 1.0',
  ].join('\r\n');

function bomb(): Buffer {
  let body = 'Content-Type: text/plain\r\n\r\nx\r\n';
  for (let i = 0; i < 10_000; i++)
    body = `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n${body}--b${i}--\r\n`;
  return Buffer.from(`${head('bomba')}\r\n${body}`);
}
const badCharset = () =>
  Buffer.concat([
    Buffer.from(`${head('kodowanie')}\r\nContent-Type: text/plain; charset="x-nieznane-42"\r\n\r\n`),
    Buffer.from(Array.from({ length: 400 }, (_, i) => [0xb1, 0xe6, 0xea, 0xb3, 0x20][i % 5]!)),
    Buffer.from('\r\n'),
  ]);
const malformed = () =>
  Buffer.from(`${head('naglowki')}\r\nto nie jest pole naglowka\r\nX-Dalej: cos\r\n\r\nTresc\r\n`);
const wordFlood = () =>
  Buffer.from(
    `${head('slowa', false)}\r\nX-Flood: ${'=?utf-8?B?QQ==?= '.repeat(150_000)}\r\nContent-Type: text/plain\r\n\r\nx\r\n`,
  );
const reply = () =>
  Buffer.from(
    `${head('Re: Oferta')}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nDziękuję, przyjmuję ofertę.\r\n\r\n> Oferta w załączeniu\r\n`,
  );

let t: TestApp;
let ws: TestWorkspace;
let taskId: string;
let outgoingId: string;

beforeAll(async () => {
  t = await createTestApp({}, { resolver: createLoopbackResolver() });
  t.ctx.ingest.attachProcessor(t.ctx.inbound.processor);
  ws = await t.newWorkspace('Firma');
  const projectId = (await ws.admin.request('POST', '/api/projects', { name: 'Sprzedaż' })).json().id;
  const janId = (
    await ws.admin.request('POST', '/api/contacts', {
      name: 'Jan Kowalski',
      emails: [{ email: 'jan.kowalski@klient.example' }],
    })
  ).json().id;
  taskId = (
    await ws.admin.request('POST', '/api/tasks', { projectId, title: 'Oferta', contactIds: [janId] })
  ).json().id;
  await t.ctx.db.update(tasks).set({ threadToken: TOKEN }).where(eq(tasks.id, taskId));
  const commentId = (
    await ws.admin.request('POST', `/api/tasks/${taskId}/comments`, { body: 'Oferta' })
  ).json().id;
  const [email] = await t.ctx.db
    .insert(outgoingMessages)
    .values({
      workspaceId: ws.workspaceId,
      taskId,
      commentId,
      authorEmployeeId: ws.admin.employeeId,
      messageId: OUR_ID,
      subject: 'Oferta',
      status: 'sent',
      sentAt: new Date(),
    })
    .returning();
  outgoingId = email!.id;
  await t.ctx.db.insert(outgoingRecipients).values({
    workspaceId: ws.workspaceId,
    outgoingMessageId: outgoingId,
    email: 'jan.kowalski@klient.example',
    status: 'accepted',
  });
}, 60_000);
afterAll(async () => t?.close());

async function rowsOf(addressId: string) {
  const res = (await t.ctx.db.execute(sql`
    SELECT i.status, i.kind, i.task_id, i.process_error->>'reason' AS reason, length(i.raw) AS size,
           r.unreadable, c.body_text
    FROM inbound_messages i
    LEFT JOIN received_comments r ON r.inbound_message_id = i.id
    LEFT JOIN comments c ON c.id = i.comment_id
    WHERE i.address_id = ${addressId} ORDER BY i.created_at, i.id`)) as unknown as {
    rows: {
      status: string;
      kind: string;
      task_id: string | null;
      reason: string | null;
      size: number;
      unreadable: boolean | null;
      body_text: string | null;
    }[];
  };
  return res.rows;
}

/** One session brings all five in, in this order; the worker survives and goes on. */
async function collectAndCheck(addressId: string, deliver: (raw: Buffer) => void) {
  await pollOnce(t.ctx, ws.workspaceId, addressId); // first sync
  const sent = [bomb(), badCharset(), malformed(), wordFlood(), reply()];
  for (const raw of sent) deliver(raw);
  await pollOnce(t.ctx, ws.workspaceId, addressId);
  const rows = await rowsOf(addressId);
  expect(rows).toHaveLength(5);
  const byReason = Object.fromEntries(rows.map((r) => [r.reason ?? r.kind, r]));
  for (const [reason, placed] of [
    ['too_deep', true],
    ['bad_charset', true],
    ['malformed_headers', true],
    ['parse_error', false],
  ] as const) {
    const row = byReason[reason];
    expect(row, reason).toMatchObject({ status: 'quarantined', kind: 'unreadable' });
    expect(row!.size).toBeGreaterThan(0); // kept raw
    // Placed in its task as "could not be read" when its thread headers name one.
    expect(row!.task_id, reason).toBe(placed ? taskId : null);
    expect(row!.unreadable, reason).toBe(placed ? true : null);
  }
  expect(byReason.reply).toMatchObject({
    status: 'processed',
    task_id: taskId,
    body_text: 'Dziękuję, przyjmuję ofertę.',
  });
  const state = await t.ctx.ingest.sync.find(ws.workspaceId, addressId);
  expect(state?.failureStreak).toBe(0);
  // Nothing is left for a retry, and nothing marked our email bounced.
  await pollOnce(t.ctx, ws.workspaceId, addressId);
  expect(await rowsOf(addressId)).toHaveLength(5);
  const [ours] = await t.ctx.db.select().from(outgoingMessages).where(eq(outgoingMessages.id, outgoingId));
  expect(ours?.status).toBe('sent');
  await retire(t.ctx, addressId);
}

describe('hostile mail through the poller (SECURITY.md §7 cases 36–37)', () => {
  it('POP3 fake: quarantined as could-not-be-read, the reply after them still read', async () => {
    const pop = await Pop3FakeServer.start({ user: POP_USER, pass: POP_PASS });
    try {
      const id = await pop3Address(t.ctx, ws.workspaceId, pop.port);
      let n = 0;
      await collectAndCheck(id, (raw) => pop.messages.push({ raw, uid: `h${++n}` }));
    } finally {
      await pop.close();
    }
  }, 60_000);

  describe.skipIf(serviceMissing('Dovecot', dovecotMissingReason()))('Dovecot', () => {
    let dovecot: DovecotInstance;
    beforeAll(async () => {
      dovecot = await startDovecot({ users: [{ user: 'hostile', password: POP_PASS }] });
    });
    afterAll(async () => dovecot?.stop());

    it('Dovecot POP3: the same', async () => {
      const id = await pop3Address(t.ctx, ws.workspaceId, dovecot.ports.pop3s, {
        login: 'hostile',
        incomingHost: 'localhost',
        incomingSecurity: 'tls',
      });
      await collectAndCheck(id, (raw) => dovecot.addMessage('hostile', raw));
    }, 60_000);
  });
});
