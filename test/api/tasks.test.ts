import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, createTestApp, type TestApp, type TestWorkspace } from '../helpers/test-app.js';

let t: TestApp;
let ws: TestWorkspace;
let other: TestWorkspace;
let ewa: Caller;
let jan: Caller;
let projectId: string;
let contactId: string;

beforeAll(async () => {
  t = await createTestApp();
  ws = await t.newWorkspace('Alpha');
  other = await t.newWorkspace('Beta');
  ewa = await ws.newEmployee({ name: 'Ewa Nowak' });
  jan = await ws.newEmployee({ name: 'Jan Kowalski' });
  projectId = (await ws.admin.request('POST', '/api/projects', { name: 'Strona WWW' })).json().id;
  contactId = (
    await ws.admin.request('POST', '/api/contacts', {
      name: 'Klient Kazimierz',
      emails: [{ email: 'kazimierz@klient.example' }],
    })
  ).json().id;
});
afterAll(async () => t?.close());

const createTask = (c: Caller, body: Record<string, unknown>) =>
  c.request('POST', '/api/tasks', { projectId, title: 'Nowy formularz', ...body });

describe('tasks', () => {
  it('an employee creates a task with participants; the creator takes part; it is listed in its project', async () => {
    const res = await createTask(ewa, { title: '  Poprawić stopkę  ', contactIds: [contactId] });
    expect(res.statusCode, res.body).toBe(201);
    const task = res.json();
    expect(task).toMatchObject({
      projectId,
      projectName: 'Strona WWW',
      title: 'Poprawić stopkę',
      status: 'open',
    });
    expect(task.participants).toEqual(
      expect.arrayContaining([
        { kind: 'employee', id: ewa.employeeId, name: 'Ewa Nowak', email: ewa.email.toLowerCase() },
        { kind: 'contact', id: contactId, name: 'Klient Kazimierz', email: 'kazimierz@klient.example' },
      ]),
    );
    const list = (await jan.request('GET', `/api/tasks?projectId=${projectId}`)).json();
    expect(list.items.map((i: { id: string }) => i.id)).toContain(task.id);
    // Visible to every employee of the workspace (projects have no member list).
    expect((await jan.request('GET', `/api/tasks/${task.id}`)).statusCode).toBe(200);
  });

  it('only admins, the creator and employee participants change a task', async () => {
    const task = (await createTask(ewa, {})).json();
    const byJan = await jan.request('PATCH', `/api/tasks/${task.id}`, { title: 'Przejęte' });
    expect(byJan.statusCode).toBe(403);
    expect(byJan.json().error.code).toBe('FORBIDDEN');
    const byEwa = await ewa.request('PATCH', `/api/tasks/${task.id}`, {
      status: 'closed',
      employeeIds: [ewa.employeeId, jan.employeeId],
    });
    expect(byEwa.statusCode, byEwa.body).toBe(200);
    expect(byEwa.json().status).toBe('closed');
    // Now a participant, Jan may change it.
    const again = await jan.request('PATCH', `/api/tasks/${task.id}`, { title: 'Przejęte' });
    expect(again.json().title).toBe('Przejęte');
    expect((await ws.admin.request('PATCH', `/api/tasks/${task.id}`, { status: 'open' })).json().status).toBe(
      'open',
    );
  });

  it('a comment does not make its author a participant who may change the task', async () => {
    const task = (await createTask(ws.admin, { contactIds: [contactId] })).json();
    expect((await jan.request('PATCH', `/api/tasks/${task.id}`, { status: 'closed' })).statusCode).toBe(403);
    const c = await jan.request('POST', `/api/tasks/${task.id}/comments`, { body: '.' });
    expect(c.statusCode, c.body).toBe(201);
    const takeover = await jan.request('PATCH', `/api/tasks/${task.id}`, {
      employeeIds: [jan.employeeId],
      contactIds: [],
      status: 'closed',
    });
    expect(takeover.statusCode).toBe(403);
    const after = (await ws.admin.request('GET', `/api/tasks/${task.id}`)).json();
    expect(after.status).toBe('open');
    expect(after.participants.map((p: { id: string }) => p.id).sort()).toEqual(
      [ws.admin.employeeId, contactId].sort(),
    );
  });

  it('refuses unknown references with field paths, and archived projects to employees', async () => {
    const res = await createTask(ewa, { contactIds: [contactId, '00000000-0000-4000-8000-000000000000'] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.fields).toEqual([
      expect.objectContaining({ path: '/body/contactIds/1', code: 'unknown_reference' }),
    ]);
    const archived = (
      await ws.admin.request('POST', '/api/projects', { name: 'Archiwum', archived: true })
    ).json();
    expect((await createTask(ewa, { projectId: archived.id })).statusCode).toBe(403);
    expect((await createTask(ws.admin, { projectId: archived.id })).statusCode).toBe(201);
    const bad = await ewa.request('POST', '/api/tasks', { projectId, title: 'a\u202eb' });
    expect(bad.json().error.details.fields[0]).toMatchObject({ path: '/body/title', code: 'pattern' });
  });

  it('keeps workspaces apart: another workspace sees 404 and cannot reference this one’s rows', async () => {
    const task = (await createTask(ewa, {})).json();
    expect((await other.admin.request('GET', `/api/tasks/${task.id}`)).statusCode).toBe(404);
    expect((await other.admin.request('PATCH', `/api/tasks/${task.id}`, { title: 'x' })).statusCode).toBe(
      404,
    );
    expect((await other.admin.request('GET', `/api/tasks?projectId=${projectId}`)).statusCode).toBe(404);
    expect((await other.admin.request('GET', '/api/tasks')).json().items).toEqual([]);
    const otherProject = (await other.admin.request('POST', '/api/projects', { name: 'Beta P' })).json().id;
    const sneaky = await other.admin.request('POST', '/api/tasks', {
      projectId: otherProject,
      title: 'x',
      contactIds: [contactId],
      employeeIds: [ewa.employeeId],
    });
    expect(sneaky.statusCode).toBe(400);
    expect(sneaky.json().error.details.fields.map((f: { path: string }) => f.path)).toEqual([
      '/body/employeeIds/0',
      '/body/contactIds/0',
    ]);
    const intoAlpha = await other.admin.request('POST', '/api/tasks', { projectId, title: 'x' });
    expect(intoAlpha.json().error.details.fields[0]).toMatchObject({
      path: '/body/projectId',
      code: 'unknown_reference',
    });
  });

  it('orders a project’s tasks by last activity: a comment brings a task to the top', async () => {
    const p = (await ws.admin.request('POST', '/api/projects', { name: 'Kolejność' })).json().id;
    const first = (await createTask(ewa, { projectId: p, title: 'Pierwsze' })).json();
    const second = (await createTask(ewa, { projectId: p, title: 'Drugie' })).json();
    const titles = async () =>
      (await ewa.request('GET', `/api/tasks?projectId=${p}`))
        .json()
        .items.map((i: { title: string }) => i.title);
    expect(await titles()).toEqual(['Drugie', 'Pierwsze']);
    const c = await ewa.request('POST', `/api/tasks/${first.id}/comments`, { body: 'Odświeżam' });
    expect(c.statusCode, c.body).toBe(201);
    expect(await titles()).toEqual(['Pierwsze', 'Drugie']);
    expect(second.id).toBeTruthy();
  });
});
