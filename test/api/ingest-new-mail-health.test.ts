import { readFileSync } from 'node:fs';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmailAddressRepository } from '../../src/db/repositories/email-address.repository.js';
import { contactEmails, tasks } from '../../src/db/schema/index.js';
import { POP_PASS, POP_USER, pollOnce, pop3Address, retire } from '../helpers/ingest-fixtures.js';
import { createTestApp, type TestApp, type TestWorkspace } from '../helpers/test-app.js';
import { createLoopbackResolver } from '../servers/loopback-resolver.js';
import { Pop3FakeServer } from '../servers/pop3-fake-server.js';

/**
 * Issue 10 items 6 and 7 through the real poller and processor: new mail on an address that
 * creates tasks (M40) and collection health (M50).
 */
let t: TestApp;
let ws: TestWorkspace;
let projectId: string;

beforeAll(async () => {
  t = await createTestApp({}, { resolver: createLoopbackResolver() });
  t.ctx.ingest.attachProcessor(t.ctx.inbound.processor);
  ws = await t.newWorkspace('Firma');
  projectId = (await ws.admin.request('POST', '/api/projects', { name: 'Zapytania' })).json().id;
});
afterAll(async () => t?.close());

const fixture = (path: string) => readFileSync(new URL(`../fixtures/inbound/${path}`, import.meta.url));
const letter = (
  from: string,
  subject: string,
  messageId: string,
  extra: string[] = [],
  body = 'Dzień dobry.',
) =>
  Buffer.from(
    [
      `From: ${from}`,
      'To: box@firma.example',
      `Subject: ${subject}`,
      `Message-ID: ${messageId}`,
      'Content-Type: text/plain; charset=utf-8',
      ...extra,
      '',
      body,
      '',
    ].join('\r\n'),
  );

async function inboundRows(addressId: string) {
  const res = (await t.ctx.db.execute(sql`
    SELECT id, raw, kind, task_id, comment_id FROM inbound_messages WHERE address_id = ${addressId}
    ORDER BY remote_uid`)) as unknown as {
    rows: { id: string; raw: Uint8Array; kind: string; task_id: string | null; comment_id: string | null }[];
  };
  return res.rows;
}
const tasksInProject = () => t.ctx.db.select().from(tasks).where(eq(tasks.projectId, projectId));

describe('new mail (M40) through the poller', () => {
  it('creates a task per new conversation with the sender as a (possibly new) contact; automatic mail never does', async () => {
    const known = (
      await ws.admin.request('POST', '/api/contacts', {
        name: 'Stała Klientka',
        emails: [{ email: 'stala@klient.example' }],
      })
    ).json().id;
    const pop = await Pop3FakeServer.start({ user: POP_USER, pass: POP_PASS });
    try {
      const id = await pop3Address(t.ctx, ws.workspaceId, pop.port, {
        createTasksFromNewMail: true,
        newMailProjectId: projectId,
      });
      await pollOnce(t.ctx, ws.workspaceId, id); // first sync
      const push = (raw: Buffer, uid: string) => pop.messages.push({ raw, uid });
      push(letter('Nowy Klient <Nowy@Nowy.example>', 'Zapytanie o cenę', '<first@nowy.example>'), 'n1');
      push(letter('STALA@klient.example', 'Kolejne zamówienie', '<order@klient.example>'), 'n2');
      push(
        letter('Nowy Klient <nowy@nowy.example>', 'Jestem na urlopie', '<ooo@nowy.example>', [
          'Auto-Submitted: auto-replied',
        ]),
        'n3',
      );
      push(fixture('bounces/postfix-dsn-user-unknown.eml'), 'n4');
      push(fixture('auto-replies/subject-out-of-office.eml'), 'n5');
      // The same client writes again about their first message before anyone answered.
      push(
        letter(
          'Nowy Klient <nowy@nowy.example>',
          'Re: Zapytanie o cenę',
          '<second@nowy.example>',
          ['In-Reply-To: <first@nowy.example>', 'References: <first@nowy.example>'],
          'Jeszcze jedno pytanie.',
        ),
        'n6',
      );
      await pollOnce(t.ctx, ws.workspaceId, id);

      const rows = await inboundRows(id);
      expect(rows.map((r) => r.kind)).toEqual([
        'new_task',
        'new_task',
        'auto_reply',
        'bounce',
        'auto_reply',
        'reply',
      ]);
      const made = await tasksInProject();
      expect(made.map((x) => x.title).sort()).toEqual(['Kolejne zamówienie', 'Zapytanie o cenę']);
      // The follow-up joined the first task instead of opening a third.
      expect(rows[5]?.task_id).toBe(rows[0]?.task_id);
      expect(rows.slice(2, 5).every((r) => r.task_id === null && r.comment_id === null)).toBe(true);

      // The unknown sender became one contact (address compared case-insensitively); the
      // known one was reused, not duplicated.
      const newOne = await t.ctx.inbound.repo.contactByEmail(ws.workspaceId, 'nowy@nowy.example');
      expect(newOne?.name).toBe('Nowy Klient');
      const addresses = await t.ctx.db
        .select()
        .from(contactEmails)
        .where(and(eq(contactEmails.workspaceId, ws.workspaceId)));
      expect(addresses.filter((a) => a.email.toLowerCase() === 'nowy@nowy.example')).toHaveLength(1);
      expect(addresses.filter((a) => a.email.toLowerCase() === 'stala@klient.example')).toHaveLength(1);
      const task2 = made.find((x) => x.title === 'Kolejne zamówienie')!;
      const thread = (await ws.admin.request('GET', `/api/tasks/${task2.id}/comments?limit=10`)).json();
      expect(thread.items).toHaveLength(1);
      expect(thread.items[0]).toMatchObject({ source: 'email', author: { id: known } });
      const task1 = made.find((x) => x.title === 'Zapytanie o cenę')!;
      const first = (await ws.admin.request('GET', `/api/tasks/${task1.id}/comments?limit=10`)).json();
      expect(first.items.map((c: { bodyText: string }) => c.bodyText)).toEqual([
        'Dzień dobry.',
        'Jeszcze jedno pytanie.',
      ]);

      // Handed again (a crash between processing and the poller's bookkeeping): nothing changes.
      await t.ctx.inbound.processor.processMany!(
        ws.workspaceId,
        rows.map((r) => ({ id: r.id, addressId: id, raw: Buffer.from(r.raw) })),
      );
      expect(await inboundRows(id)).toEqual(rows);
      expect((await tasksInProject()).length).toBe(2);
      const again = (await ws.admin.request('GET', `/api/tasks/${task1.id}/comments?limit=10`)).json();
      expect(again.items).toHaveLength(2);
      await retire(t.ctx, id);
    } finally {
      await pop.close();
    }
  });

  it('leaves new mail alone on an address that does not create tasks', async () => {
    const pop = await Pop3FakeServer.start({ user: POP_USER, pass: POP_PASS });
    try {
      const before = (await tasksInProject()).length;
      const id = await pop3Address(t.ctx, ws.workspaceId, pop.port);
      await pollOnce(t.ctx, ws.workspaceId, id);
      pop.messages.push({
        raw: letter('obcy@obcy.example', 'Oferta współpracy', '<x@obcy.example>'),
        uid: 'x',
      });
      await pollOnce(t.ctx, ws.workspaceId, id);
      expect((await inboundRows(id)).map((r) => r.kind)).toEqual(['unmatched']);
      expect(await t.ctx.inbound.repo.contactByEmail(ws.workspaceId, 'obcy@obcy.example')).toBeNull();
      expect((await tasksInProject()).length).toBe(before);
      await retire(t.ctx, id);
    } finally {
      await pop.close();
    }
  });
});

describe('collection health (M50)', () => {
  it('failing only after a streak, ok again on success, needs attention on a refused login; one notice per change', async () => {
    const w = await t.newWorkspace('Zdrowie');
    const addresses = createEmailAddressRepository(t.ctx.db);
    const live = await Pop3FakeServer.start({ user: POP_USER, pass: POP_PASS });
    const dead = await Pop3FakeServer.start({ user: POP_USER, pass: POP_PASS });
    const deadPort = dead.port;
    await dead.close(); // connection refused on this port from now on
    const refusing = await Pop3FakeServer.start({
      user: POP_USER,
      pass: POP_PASS,
      alwaysRefuseLogin: true,
      loginError: '[AUTH] Invalid credentials',
    });
    try {
      const id = await pop3Address(t.ctx, w.workspaceId, live.port);
      const health = async () => (await addresses.findById(w.workspaceId, id))?.health;
      const notices = async () =>
        (await t.ctx.repos.notifications.listFor(w.workspaceId, w.admin.employeeId, { limit: 50 }))
          .filter((n) => n.kind === 'address_health')
          .map((n) => (n.payload as { status: string }).status);
      const pollAt = async (port: number) => {
        await addresses.update(w.workspaceId, id, { incomingPort: port });
        await pollOnce(t.ctx, w.workspaceId, id);
      };
      await pollAt(live.port);
      expect(await health()).toBe('ok');

      // One or two failures in a row are noise: still ok, nobody told.
      await pollAt(deadPort);
      await pollAt(deadPort);
      expect(await health()).toBe('ok');
      await pollAt(live.port);
      await pollAt(deadPort);
      await pollAt(deadPort);
      expect(await health()).toBe('ok');
      expect(await notices()).toEqual([]);

      // The streak: failing, told once however many polls fail.
      await pollAt(deadPort);
      expect(await health()).toBe('failing');
      for (let i = 0; i < 3; i++) await pollAt(deadPort);
      expect(await health()).toBe('failing');
      expect(await notices()).toEqual(['failing']);
      const state = await t.ctx.ingest.sync.find(w.workspaceId, id);
      expect(state?.failureStreak).toBe(6);
      expect(state!.nextPollAt!.getTime()).toBeGreaterThan(Date.now() + 60_000); // backed off

      // Working again: ok, told once.
      await pollAt(live.port);
      await pollAt(live.port);
      expect(await health()).toBe('ok');
      expect((await notices()).sort()).toEqual(['failing', 'ok']);
      expect((await t.ctx.ingest.sync.find(w.workspaceId, id))?.failureStreak).toBe(0);

      // A refused login: needs attention at once, one notice, and the poller leaves it alone.
      await pollAt(refusing.port);
      expect(await health()).toBe('needs_attention');
      expect((await notices()).sort()).toEqual(['failing', 'needs_attention', 'ok']);
      const logins = refusing.commandLines().filter((l) => /^(USER|PASS|AUTH)/.test(l)).length;
      await t.ctx.ingest.sync.ensureStates();
      const claimed = await t.ctx.ingest.sync.claimDue(
        100,
        crypto.randomUUID(),
        new Date(Date.now() + 3600_000),
        1000,
      );
      for (const c of claimed) await t.ctx.ingest.sync.release(c.addressId, c.leaseToken!, {});
      expect(claimed.map((c) => c.addressId)).not.toContain(id);
      expect(refusing.commandLines().filter((l) => /^(USER|PASS|AUTH)/.test(l)).length).toBe(logins);
      await retire(t.ctx, id);
    } finally {
      await live.close();
      await refusing.close();
    }
  });
});
