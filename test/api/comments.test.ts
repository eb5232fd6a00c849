import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commentAttachments, comments } from '../../src/db/schema/index.js';
import { type Caller, createTestApp, type TestApp, type TestWorkspace } from '../helpers/test-app.js';

let t: TestApp;
let ws: TestWorkspace;
let other: TestWorkspace;
let ewa: Caller;
let taskId: string;

beforeAll(async () => {
  t = await createTestApp();
  ws = await t.newWorkspace('Alpha');
  other = await t.newWorkspace('Beta');
  ewa = await ws.newEmployee({ name: 'Ewa Nowak' });
  const projectId = (await ws.admin.request('POST', '/api/projects', { name: 'Sklep' })).json().id;
  taskId = (await ewa.request('POST', '/api/tasks', { projectId, title: 'Zamówienie 17' })).json().id;
});
afterAll(async () => t?.close());

const post = (c: Caller, body: Record<string, unknown>, key?: string, task = taskId) =>
  c.request('POST', `/api/tasks/${task}/comments`, body, key ? { 'idempotency-key': key } : {});
const commentCount = async () =>
  Number((await t.ctx.db.select({ n: count() }).from(comments).where(eq(comments.taskId, taskId)))[0]!.n);
const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');

describe('comments', () => {
  it('creates a comment with a text and a derived, escaped HTML body, listed in the thread', async () => {
    const res = await post(ewa, { body: 'Dzień dobry,\n<script>alert(1)</script>\n\nPozdrawiam' });
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json();
    expect(c).toMatchObject({
      taskId,
      author: { kind: 'employee', id: ewa.employeeId, name: 'Ewa Nowak' },
      source: 'app',
      bodyText: 'Dzień dobry,\n<script>alert(1)</script>\n\nPozdrawiam',
      emails: [],
    });
    expect(c.bodyHtml).toBe(
      '<p>Dzień dobry,<br>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n<p>Pozdrawiam</p>',
    );
    const list = (await ws.admin.request('GET', `/api/tasks/${taskId}/comments`)).json();
    expect(list.items.map((i: { id: string }) => i.id)).toContain(c.id);
    expect((await post(ewa, { body: '  \n ' })).json().error.details.fields[0]).toMatchObject({
      path: '/body/body',
      code: 'minLength',
    });
  });

  it('answers a repeated POST with the first comment (same status), and refuses the key for another body', async () => {
    const before = await commentCount();
    const first = await post(ewa, { body: 'Raz' }, 'key-1');
    const again = await post(ewa, { body: 'Raz' }, 'key-1');
    expect([first.statusCode, again.statusCode]).toEqual([201, 201]);
    expect(again.json().id).toBe(first.json().id);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await commentCount()).toBe(before + 1);
    const changed = await post(ewa, { body: 'Dwa' }, 'key-1');
    expect(changed.statusCode).toBe(422);
    expect(changed.json().error).toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
      details: { fields: [expect.objectContaining({ path: '/headers/idempotency-key', code: 'reused' })] },
    });
    // Keys are per author: another employee's same key is a new comment.
    expect((await post(ws.admin, { body: 'Raz' }, 'key-1')).json().id).not.toBe(first.json().id);
    expect(await commentCount()).toBe(before + 2);
  });

  it('creates one comment when the same key races itself', async () => {
    const before = await commentCount();
    const results = await Promise.all([1, 2, 3].map(() => post(ewa, { body: 'Wyścig' }, 'race-key')));
    expect(results.map((r) => r.statusCode)).toEqual([201, 201, 201]);
    expect(new Set(results.map((r) => r.json().id)).size).toBe(1);
    expect(await commentCount()).toBe(before + 1);
  });

  it('stores attachments with sanitized names and serves them as downloads', async () => {
    const res = await post(ewa, {
      body: 'W załączniku',
      attachments: [
        {
          filename: '../..\\faktura "1".pdf\u200b',
          contentType: 'application/pdf',
          content: b64('%PDF-1.4 test'),
        },
        { filename: 'strona.html', contentType: 'text/html', content: b64('<script>alert(1)</script>') },
        { filename: 'zażółć.txt', contentType: 'bogus type', content: b64('tekst') },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    const atts = res.json().attachments;
    expect(atts.map((a: { filename: string }) => a.filename)).toEqual([
      '_.._faktura _1_.pdf_',
      'strona.html',
      'zażółć.txt',
    ]);
    expect(atts[2].contentType).toBe('application/octet-stream');
    const pdf = await ewa.request('GET', atts[0].url);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.toString()).toBe('%PDF-1.4 test');
    expect(pdf.headers['content-disposition']).toBe(
      `attachment; filename="_.._faktura _1_.pdf_"; filename*=UTF-8''_.._faktura%20_1_.pdf_`,
    );
    const html = await ewa.request('GET', atts[1].url);
    expect(html.headers['content-type']).toBe('application/octet-stream');
    expect(html.headers['x-content-type-options']).toBe('nosniff');
    // The download's own sandbox CSP, not the app's (which would allow its scripts and images).
    expect(html.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    const pl = await ewa.request('GET', atts[2].url);
    expect(pl.headers['content-disposition']).toContain("filename*=UTF-8''za%C5%BC%C3%B3%C5%82%C4%87.txt");
    expect(pl.headers['content-disposition']).toContain('filename="za____.txt"');
    expect((await other.admin.request('GET', atts[0].url)).statusCode).toBe(404);
  });

  it('refuses a file over the per-file cap and attachments over the total cap (413, field paths), storing nothing', async () => {
    const before = await commentCount();
    const tooBig = await post(ewa, {
      body: 'Duży plik',
      attachments: [{ filename: 'a.bin', content: Buffer.alloc(10 * 1024 * 1024 + 1).toString('base64') }],
    });
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json().error).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      details: {
        fields: [expect.objectContaining({ path: '/body/attachments/0/content', code: 'too_large' })],
      },
    });
    const together = await post(ewa, {
      body: 'Dwa pliki',
      attachments: [
        { filename: 'a.bin', content: Buffer.alloc(6 * 1024 * 1024).toString('base64') },
        { filename: 'b.bin', content: Buffer.alloc(4.5 * 1024 * 1024).toString('base64') },
      ],
    });
    expect(together.statusCode).toBe(413);
    expect(together.json().error.details.fields[0]).toMatchObject({
      path: '/body/attachments',
      code: 'total_too_large',
    });
    // Sizes read as the composer says them, not as a byte count.
    expect(together.json().error.details.fields[0].message).toMatch(/najwyżej 10 MB\.$|at most 10 MB\.$/);
    const notBase64 = await post(ewa, { body: 'x', attachments: [{ filename: 'a', content: '@@@' }] });
    expect(notBase64.json().error.details.fields[0]).toMatchObject({
      path: '/body/attachments/0/content',
      code: 'base64',
    });
    expect(await commentCount()).toBe(before);
    expect((await t.ctx.db.select({ n: count() }).from(commentAttachments))[0]!.n).toBe(3);
  });

  it('keeps workspaces apart on every comment route', async () => {
    expect((await other.admin.request('GET', `/api/tasks/${taskId}/comments`)).statusCode).toBe(404);
    const res = await post(other.admin, { body: 'Obcy' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
  });
});
