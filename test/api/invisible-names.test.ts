import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commentAttachments, comments, emailAddresses, tasks } from '../../src/db/schema/index.js';
import { type InboundThread, inboundThread } from '../helpers/inbound-thread.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * Names made only of invisible characters (U+2800, zero-width, Hangul fillers…) are refused like
 * blank ones, at the field path, while real text with a ZWJ emoji is kept; received mail, which
 * cannot be refused, falls back to a visible name (src/domain/visible-text.ts).
 */
let t: TestApp;
/** A workspace with one task ("Oferta") and the company inbox biuro@firma.pl. */
let th: InboundThread;
let taskId = '';
let projectId = '';
beforeAll(async () => {
  t = await createTestApp();
  th = await inboundThread(t, ['Oferta']);
  [taskId = ''] = th.taskIds;
  ({ projectId } = (await th.ws.admin.request('GET', `/api/tasks/${taskId}`)).json());
});
afterAll(async () => t?.close());

const fieldCodes = (body: { error: { details?: { fields?: { path: string; code: string }[] } } }) =>
  Object.fromEntries((body.error.details?.fields ?? []).map((f) => [f.path, f.code]));
const INVISIBLE = ['\u2800', '\u200b\u3164'];
const content = Buffer.from('plik').toString('base64');

describe('a name of invisible characters only', () => {
  it.each(INVISIBLE)(
    'as an API token name (%j) is a 400 `required` at /body/name; none is stored',
    async (name) => {
      const res = await th.ws.admin.request('POST', '/api/tokens', { name }, { 'accept-language': 'en' });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
      expect(fieldCodes(res.json())).toEqual({ '/body/name': 'required' });
      const names = (await th.ws.admin.request('GET', '/api/tokens'))
        .json()
        .items.map((k: { name: string }) => k.name);
      expect(names).not.toContain(name);
    },
  );

  it.each(INVISIBLE)(
    'as an uploaded attachment name (%j) is a 400 `required` at its filename',
    async (filename) => {
      const res = await th.ws.admin.request('POST', `/api/tasks/${taskId}/comments`, {
        body: 'Niewidoczny załącznik',
        attachments: [
          { filename: 'umowa.pdf', content },
          { filename, content },
        ],
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
      expect(fieldCodes(res.json())).toEqual({ '/body/attachments/1/filename': 'required' });
      const thread = (await th.ws.admin.request('GET', `/api/tasks/${taskId}/comments`)).json();
      expect(thread.items.map((c: { bodyText: string }) => c.bodyText)).not.toContain(
        'Niewidoczny załącznik',
      );
    },
  );

  // The other refuseBlank callers, with the braille blank (no format character, so every
  // schema lets it through to the service's rule).
  it.each([
    ['POST', '/api/projects', 'name', {}],
    ['POST', '/api/tasks', 'title', { projectId: ':project' }],
    ['POST', '/api/groups', 'name', {}],
    ['POST', '/api/contacts', 'name', { emails: [{ email: 'braille@example.com' }] }],
    ['POST', '/api/employees', 'name', { email: 'braille.emp@example.com' }],
    ['PATCH', '/api/workspace', 'name', {}],
  ])('%s %s refuses U+2800 as the %s', async (method, url, field, rest) => {
    const body = { ...rest, [field]: '\u2800 \u3164' };
    if ('projectId' in body) body.projectId = projectId;
    const res = await th.ws.admin.request(method, url, body);
    expect(res.statusCode).toBe(400);
    expect(fieldCodes(res.json())).toEqual({ [`/body/${field}`]: 'required' });
  });
});

describe('real text with invisible characters in it', () => {
  it('a token named with a ZWJ emoji sequence is created and keeps its name', async () => {
    const name = '👩\u200d💻 Anna';
    const res = await th.ws.admin.request('POST', '/api/tokens', { name });
    expect(res.statusCode).toBe(201);
    const names = (await th.ws.admin.request('GET', '/api/tokens'))
      .json()
      .items.map((k: { name: string }) => k.name);
    expect(names).toContain(name);
  });

  it('an attachment named with an emoji and Polish letters is accepted', async () => {
    const res = await th.ws.admin.request('POST', `/api/tasks/${taskId}/comments`, {
      body: 'Plan',
      attachments: [{ filename: '👩\u200d💻 źródła.txt', content }],
    });
    expect(res.statusCode).toBe(201);
  });
});

// Encoded words for headers: the names arrive encoded as any non-ASCII name would.
const b64 = (s: string) => `=?UTF-8?B?${Buffer.from(s).toString('base64')}?=`;
const rfc2231 = (s: string) => `UTF-8''${encodeURIComponent(s)}`;

describe('received mail with invisible names', () => {
  it('a reply keeps its attachment as "attachment" and names its author by address', async () => {
    const ours = `<mr.invisible.${Date.now()}@firma.pl>`;
    await th.sentEmail(taskId, ours, 'nowak@klient.example');
    const raw = [
      `From: ${b64('\u3164')} <nowak@klient.example>`,
      'To: biuro@firma.pl',
      'Subject: Re: Oferta',
      `Message-ID: <reply-invisible-${Date.now()}@klient.example>`,
      `In-Reply-To: ${ours}`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'W załączniku plik.',
      '--b1',
      `Content-Type: application/octet-stream; name*=${rfc2231('\u200b\u3164')}`,
      `Content-Disposition: attachment; filename*=${rfc2231('\u200b\u3164')}`,
      'Content-Transfer-Encoding: base64',
      '',
      content,
      '--b1--',
      '',
    ].join('\r\n');
    const row = await th.storeAndProcess(Buffer.from(raw));
    expect(row).toMatchObject({ status: 'processed', kind: 'reply', task_id: taskId });
    const [comment] = await t.ctx.db
      .select()
      .from(comments)
      .where(and(eq(comments.taskId, taskId), eq(comments.source, 'email')));
    expect(comment!.authorName).toBe('nowak@klient.example');
    const atts = await t.ctx.db
      .select()
      .from(commentAttachments)
      .where(eq(commentAttachments.commentId, comment!.id));
    expect(atts.map((a) => a.filename)).toEqual(['attachment']);
  });

  it('new mail with an invisible subject and sender name makes a task and contact named by the address', async () => {
    await t.ctx.db
      .update(emailAddresses)
      .set({ createTasksFromNewMail: true, newMailProjectId: projectId })
      .where(eq(emailAddresses.id, th.inboxId));
    const raw = [
      `From: ${b64('\u2800')} <nowy@nowy.example>`,
      'To: biuro@firma.pl',
      `Subject: ${b64('\u200b\u3164')}`,
      `Message-ID: <new-invisible-${Date.now()}@nowy.example>`,
      '',
      'Dzień dobry.',
      '',
    ].join('\r\n');
    const row = await th.storeAndProcess(Buffer.from(raw));
    expect(row).toMatchObject({ kind: 'new_task' });
    const [task] = await t.ctx.db
      .select()
      .from(tasks)
      .where(eq(tasks.id, row.task_id as string));
    expect(task!.title).toBe('nowy@nowy.example');
    const contact = await t.ctx.inbound.repo.contactByEmail(th.ws.workspaceId, 'nowy@nowy.example');
    expect(contact!.name).toBe('nowy@nowy.example');
  });
});
