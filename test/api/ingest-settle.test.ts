import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outgoingMessages, tasks, workspaces } from '../../src/db/schema/index.js';
import { mail, POP_PASS, POP_USER, pollOnce, pop3Address, retire } from '../helpers/ingest-fixtures.js';
import { createTestApp, type TestApp, type TestWorkspace } from '../helpers/test-app.js';
import { createLoopbackResolver } from '../servers/loopback-resolver.js';
import { Pop3FakeServer } from '../servers/pop3-fake-server.js';

/**
 * Outcomes written in the INSERT (issue 10 speed): mail that headers alone settle without a
 * comment is stored already `processed` and never handed to processing; everything else is
 * stored `stored` and processed after the store as before. The triage decides what processing
 * would have decided, and writes nothing itself.
 */
let t: TestApp;
let ws: TestWorkspace;
/** The app's clock: frozen where a test needs "no time passes". */
let frozen: number | null = null;
let taskId: string;
const TOKEN = 'eeeeffffgggghhhh';
const OURS = `<mr.${TOKEN}.iiiijjjjkkkkllll@firma.pl>`;
const rowsOf = <T>(r: unknown) => (r as { rows: T[] }).rows;

const lines = (...l: string[]) => Buffer.from(l.join('\r\n'));
/** What headers alone settle, and what they cannot. */
const samples = {
  unmatched: lines(
    'From: Klient <klient@example.org>',
    'Subject: Zapytanie',
    'Message-ID: <plain-1@example.org>',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Czy macie to w ofercie?',
  ),
  autoReply: lines(
    'From: Urlop <urlop@klient.example>',
    'Subject: Out of office',
    'Auto-Submitted: auto-replied',
    'Message-ID: <ooo-1@klient.example>',
    '',
    'I am away.',
  ),
  ownMessage: lines(
    'From: Firma Biuro <biuro@firma.pl>',
    'Subject: Oferta',
    `Message-ID: <mr.${TOKEN}.mmmmnnnnoooopppp@firma.pl>`,
    '',
    'Nasza wiadomosc.',
  ),
  reply: lines(
    'From: Jan <jan@klient.example>',
    'Subject: Re: Oferta',
    'Message-ID: <reply-1@klient.example>',
    `In-Reply-To: ${OURS}`,
    '',
    'Zgoda.',
  ),
  malformed: lines('From: x@klient.example', 'this line is no header', 'Subject: zepsuty', '', 'body'),
};

beforeAll(async () => {
  t = await createTestApp(
    {},
    { resolver: createLoopbackResolver() },
    { now: () => new Date(frozen ?? Date.now()) },
  );
  ws = await t.newWorkspace('Firma');
  const projectId = (await ws.admin.request('POST', '/api/projects', { name: 'Sprzedaż' })).json().id;
  taskId = (await ws.admin.request('POST', '/api/tasks', { projectId, title: 'Oferta' })).json().id;
  await t.ctx.db.update(tasks).set({ threadToken: TOKEN }).where(eq(tasks.id, taskId));
  const commentId = (
    await ws.admin.request('POST', `/api/tasks/${taskId}/comments`, { body: 'Oferta' })
  ).json().id;
  await t.ctx.db.insert(outgoingMessages).values({
    workspaceId: ws.workspaceId,
    taskId,
    commentId,
    authorEmployeeId: ws.admin.employeeId,
    senderEmail: 'biuro@firma.pl',
    messageId: OURS,
    subject: 'Oferta',
    status: 'sent',
    sentAt: new Date(),
  });
});
afterAll(async () => t?.close());

const rowsOfAddress = async (addressId: string) =>
  rowsOf<{
    id: string;
    remote_uid: string;
    status: string;
    kind: string | null;
    processed_at: Date | string | null;
    process_error: unknown;
    comment_id: string | null;
  }>(
    await t.ctx.db.execute(
      sql`SELECT id, remote_uid, status, kind, processed_at, process_error, comment_id FROM inbound_messages
          WHERE address_id = ${addressId}`,
    ),
  );

describe('outcome written with the store', () => {
  it('stores headers-only mail processed, hands only the rest to processing, and ends the same', async () => {
    const f = await Pop3FakeServer.start({ user: POP_USER, pass: POP_PASS });
    const id = await pop3Address(t.ctx, ws.workspaceId, f.port);
    await pollOnce(t.ctx, ws.workspaceId, id);
    for (const [uid, raw] of Object.entries(samples)) f.messages.push({ raw, uid });

    const processor = t.ctx.inbound.processor;
    const repo = t.ctx.inbound.repo;
    const handed: string[] = [];
    const updated: string[] = [];
    const [process, processMany, recordOutcomeMany] = [
      processor.process,
      processor.processMany!,
      repo.recordOutcomeMany,
    ];
    processor.process = (w, rowId, s) => {
      handed.push(rowId);
      return process(w, rowId, s);
    };
    processor.processMany = (w, rows, s) => {
      handed.push(...rows.map((r) => r.id));
      return processMany(w, rows, s);
    };
    repo.recordOutcomeMany = (w, ids, o, at, tx) => {
      updated.push(...ids);
      return recordOutcomeMany(w, ids, o, at, tx);
    };
    try {
      await pollOnce(t.ctx, ws.workspaceId, id);
    } finally {
      Object.assign(processor, { process, processMany });
      repo.recordOutcomeMany = recordOutcomeMany;
    }
    const rows = new Map((await rowsOfAddress(id)).map((r) => [r.remote_uid, r]));
    expect(rows.size).toBe(5);
    for (const uid of ['unmatched', 'autoReply', 'ownMessage']) {
      const row = rows.get(uid)!;
      expect(row.processed_at).not.toBeNull();
      expect(handed).not.toContain(row.id);
      expect(updated).not.toContain(row.id);
    }
    expect(rows.get('unmatched')).toMatchObject({
      status: 'processed',
      kind: 'unmatched',
      process_error: null,
    });
    expect(rows.get('autoReply')).toMatchObject({ status: 'processed', kind: 'auto_reply' });
    expect(rows.get('ownMessage')).toMatchObject({
      status: 'processed',
      kind: 'unmatched',
      process_error: { reason: 'own_message' },
    });
    // A reply and unreadable mail still go through processing after the store.
    expect(handed).toEqual(expect.arrayContaining([rows.get('reply')!.id, rows.get('malformed')!.id]));
    expect(rows.get('reply')).toMatchObject({ status: 'processed', kind: 'reply' });
    expect(rows.get('reply')!.comment_id).not.toBeNull();
    expect(rows.get('malformed')).toMatchObject({ status: 'quarantined', kind: 'unreadable' });
    await retire(t.ctx, id);
    await f.close();
  });

  it('decides what processing after the store decides, writes nothing, and defers to it when settings say so', async () => {
    const f = await Pop3FakeServer.start({ user: POP_USER, pass: POP_PASS });
    const addressId = await pop3Address(t.ctx, ws.workspaceId, f.port);
    await f.close();
    const raws = Object.values(samples);
    const settle = t.ctx.inbound.processor.settlerFor!(ws.workspaceId, addressId);
    const settled = await settle(raws);
    expect(settled.map((s) => s?.kind ?? null)).toEqual(['unmatched', 'auto_reply', 'unmatched', null, null]);
    expect(await rowsOfAddress(addressId)).toEqual([]);

    // The same messages stored `stored` and processed get the same outcomes.
    const ids: string[] = [];
    for (const [i, raw] of raws.entries()) {
      const [row] = rowsOf<{ id: string }>(
        await t.ctx.db.execute(sql`
          INSERT INTO inbound_messages (workspace_id, address_id, protocol, remote_uid, content_sha256, raw, size)
          VALUES (${ws.workspaceId}, ${addressId}, 'pop3', ${`same-${i}`}, ${`sha-same-${i}`}, ${raw}, ${raw.length})
          RETURNING id`),
      );
      ids.push(row!.id);
    }
    await t.ctx.inbound.processor.processMany!(
      ws.workspaceId,
      ids.map((id) => ({ id, addressId })),
    );
    const byId = new Map((await rowsOfAddress(addressId)).map((r) => [r.id, r]));
    for (const [i, s] of settled.entries()) {
      if (!s) continue;
      const row = byId.get(ids[i]!)!;
      expect({ status: row.status, kind: row.kind, processError: row.process_error }).toEqual({
        status: s.status,
        kind: s.kind,
        processError: s.processError ?? null,
      });
    }

    // Subjects matched: the From address and the subject count too, so nothing is settled early.
    await t.ctx.db
      .update(workspaces)
      .set({ matchRepliesBySubject: true })
      .where(eq(workspaces.id, ws.workspaceId));
    try {
      const later = t.ctx.inbound.processor.settlerFor!(ws.workspaceId, addressId);
      expect(await later(raws)).toEqual(raws.map(() => null));
    } finally {
      await t.ctx.db
        .update(workspaces)
        .set({ matchRepliesBySubject: false })
        .where(and(eq(workspaces.id, ws.workspaceId)));
    }
    await retire(t.ctx, addressId);
  });
});

describe('lease during a long session', () => {
  it('renews between batches at most every few seconds, and always checks the lease before QUIT', async () => {
    const f = await Pop3FakeServer.start({ user: POP_USER, pass: POP_PASS });
    const id = await pop3Address(t.ctx, ws.workspaceId, f.port);
    await pollOnce(t.ctx, ws.workspaceId, id);
    for (let i = 0; i < 120; i++) f.messages.push({ raw: mail(`l${i}`), uid: `l${i}` });
    const sync = t.ctx.ingest.sync;
    const renew = sync.renew;
    let renewals = 0;
    // The lease is lost (taken over) by the time the session would QUIT; no time passes.
    sync.renew = async () => {
      renewals++;
      return false;
    };
    frozen = Date.now();
    try {
      await pollOnce(t.ctx, ws.workspaceId, id);
    } finally {
      sync.renew = renew;
      frozen = null;
    }
    // Three batches of 50, one renewal: the one before QUIT, which found the lease lost.
    expect(renewals).toBe(1);
    expect((await rowsOfAddress(id)).length).toBe(120);
    expect(f.connections.at(-1)?.commands.map((c) => c.line)).not.toContain('QUIT');
    expect((await t.ctx.ingest.sync.find(ws.workspaceId, id))?.lastError).toMatchObject({ kind: 'internal' });
    await retire(t.ctx, id);
    await f.close();
  });
});
