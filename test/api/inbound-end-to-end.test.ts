import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tasks } from '../../src/db/schema/index.js';
import { insertSentEmail } from '../helpers/inbound-thread.js';
import { POP_PASS, POP_USER, pollOnce, pop3Address, retire } from '../helpers/ingest-fixtures.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { createLoopbackResolver } from '../servers/loopback-resolver.js';
import { Pop3FakeServer } from '../servers/pop3-fake-server.js';

/**
 * Collection and reading together (issue 10): a reply and a bounce arrive by POP3, the poller
 * stores them and hands them to reading's processor; the task thread shows the contact's reply
 * and our email as bounced, explained by the catalogue.
 */
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({}, { resolver: createLoopbackResolver() });
  t.ctx.ingest.attachProcessor(t.ctx.inbound.processor);
});
afterAll(async () => t?.close());

const fixture = (path: string) => readFileSync(new URL(`../fixtures/inbound/${path}`, import.meta.url));

it('a reply and a bounce collected by POP3 appear in the task', async () => {
  const ws = await t.newWorkspace('Firma');
  const ewa = await ws.newEmployee({ name: 'Ewa Nowak' });
  const projectId = (await ws.admin.request('POST', '/api/projects', { name: 'Sprzedaż' })).json().id;
  const janId = (
    await ws.admin.request('POST', '/api/contacts', {
      name: 'Jan Kowalski',
      emails: [{ email: 'jan.kowalski@klient.example' }],
    })
  ).json().id;
  const taskId = (
    await ewa.request('POST', '/api/tasks', { projectId, title: 'Oferta', contactIds: [janId] })
  ).json().id;
  await t.ctx.db.update(tasks).set({ threadToken: 'aaaabbbbccccdddd' }).where(eq(tasks.id, taskId));
  const email = await insertSentEmail(t, ewa, {
    workspaceId: ws.workspaceId,
    taskId,
    messageId: '<mr.aaaabbbbccccdddd.qqqqrrrrsssstttt@firma.pl>',
    to: 'jan.kowalski@klient.example',
    subject: 'Oferta na grudzień',
  });

  const pop = await Pop3FakeServer.start({ user: POP_USER, pass: POP_PASS });
  const addressId = await pop3Address(t.ctx, ws.workspaceId, pop.port);
  await pollOnce(t.ctx, ws.workspaceId, addressId); // first sync: records what is there
  pop.messages.push({ raw: fixture('replies/gmail-reply.eml'), uid: 'r1' });
  pop.messages.push({ raw: fixture('bounces/postfix-dsn-user-unknown.eml'), uid: 'b1' });
  await pollOnce(t.ctx, ws.workspaceId, addressId);

  const thread = (await ewa.request('GET', `/api/tasks/${taskId}/comments?limit=100`)).json();
  const reply = thread.items.find((c: { source: string }) => c.source === 'email');
  expect(reply).toMatchObject({ source: 'email', bodyText: 'Dziękuję, termin mi pasuje.\n\nAdam' });
  expect(thread.items.filter((c: { source: string }) => c.source === 'email')).toHaveLength(1);
  const ours = thread.items
    .flatMap((c: { emails: { id: string }[] }) => c.emails)
    .find((e: { id: string }) => e.id === email.id);
  expect(ours).toMatchObject({
    status: 'bounced',
    failure: expect.objectContaining({ catalogueId: 'recipient-unknown' }),
  });
  const view = (await ewa.request('GET', `/api/comments/${reply.id}/received`)).json();
  expect(view.quotedText).toContain('w załączeniu oferta');

  // Polling again changes nothing (each message read once).
  await pollOnce(t.ctx, ws.workspaceId, addressId);
  const again = (await ewa.request('GET', `/api/tasks/${taskId}/comments?limit=100`)).json();
  expect(again.items.filter((c: { source: string }) => c.source === 'email')).toHaveLength(1);
  await retire(t.ctx, addressId);
  await pop.close();
});
