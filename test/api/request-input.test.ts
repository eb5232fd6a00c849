import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestWorkspace, uniqueEmail } from '../helpers/test-app.js';

let t: TestApp;
let ws: TestWorkspace;
let projectId: string;
let contactId: string;
let taskId: string;
let employeeId: string;
beforeAll(async () => {
  t = await createTestApp();
  ws = await t.newWorkspace();
  projectId = (await ws.admin.request('POST', '/api/projects', { name: 'Strona' })).json().id;
  contactId = (
    await ws.admin.request('POST', '/api/contacts', { name: 'Jan', emails: [{ email: 'jan@example.com' }] })
  ).json().id;
  taskId = (await ws.admin.request('POST', '/api/tasks', { projectId, title: 'Oferta' })).json().id;
  employeeId = (await ws.newEmployee()).employeeId;
});
afterAll(async () => t?.close());

const fieldCodes = (body: { error: { details?: { fields?: { path: string; code: string }[] } } }) =>
  Object.fromEntries((body.error.details?.fields ?? []).map((f) => [f.path, f.code]));

describe('a required name of whitespace only', () => {
  const blank = '  \u00a0 ';
  const cases: [string, string, string, Record<string, unknown>][] = [
    ['POST', '/api/projects', 'name', {}],
    ['PATCH', '/api/projects/:project', 'name', {}],
    ['POST', '/api/tasks', 'title', { projectId: ':project' }],
    ['PATCH', '/api/tasks/:task', 'title', {}],
    ['POST', '/api/contacts', 'name', { emails: [{ email: 'blank@example.com' }] }],
    ['PATCH', '/api/contacts/:contact', 'name', {}],
    ['POST', '/api/groups', 'name', {}],
    ['PATCH', '/api/groups/:group', 'name', {}],
    ['POST', '/api/employees', 'name', { email: 'blank.emp@example.com' }],
    ['PATCH', '/api/employees/:employee', 'name', {}],
    ['PATCH', '/api/workspace', 'name', {}],
    ['POST', '/api/tokens', 'name', {}],
  ];
  it.each(cases)('%s %s is refused with `required`', async (method, url, field, rest) => {
    const group = async () => (await ws.admin.request('POST', '/api/groups', { name: 'Grupa' })).json().id;
    const ids: Record<string, string> = {
      project: projectId,
      task: taskId,
      contact: contactId,
      employee: employeeId,
    };
    if (url.endsWith(':group')) ids.group = await group();
    const fill = (v: unknown) => (typeof v === 'string' ? v.replace(/:(\w+)/, (_, k: string) => ids[k]!) : v);
    const body = {
      ...Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, fill(v)])),
      [field]: blank,
    };
    const res = await ws.admin.request(method, fill(url) as string, body);
    expect(res.statusCode).toBe(400);
    expect(fieldCodes(res.json())).toEqual({ [`/body/${field}`]: 'required' });
  });

  // An empty file name was already refused by the schema (minLength); a blank one became
  // "attachment". Refused alike now: the uploader chose the name and can fix it. Received mail
  // cannot be refused, so there the name falls back (attachment-rules.test.ts).
  it('POST a comment with an attachment named only with whitespace is refused with `required`', async () => {
    const content = Buffer.from('plik').toString('base64');
    const res = await ws.admin.request('POST', `/api/tasks/${taskId}/comments`, {
      body: 'Załącznik',
      attachments: [
        { filename: 'umowa.pdf', content },
        { filename: blank, content },
      ],
    });
    expect(res.statusCode).toBe(400);
    expect(fieldCodes(res.json())).toEqual({ '/body/attachments/1/filename': 'required' });
    const thread = (await ws.admin.request('GET', `/api/tasks/${taskId}/comments`)).json();
    expect(thread.items.map((c: { bodyText: string }) => c.bodyText)).not.toContain('Załącznik');
  });

  it('the refusal names the field in the language of the request', async () => {
    const res = await ws.admin.request('POST', '/api/tokens', { name: blank }, { 'accept-language': 'pl' });
    const [field] = res.json().error.details.fields;
    expect([res.json().error.code, field.path, field.code]).toEqual([
      'VALIDATION_FAILED',
      '/body/name',
      'required',
    ]);
    expect(field.message).toBe('To pole jest wymagane.');
    const en = await ws.admin.request('POST', '/api/tokens', { name: blank }, { 'accept-language': 'en' });
    expect(en.json().error.details.fields[0].message).toBe('This field is required.');
    const tokens = (await ws.admin.request('GET', '/api/tokens')).json().items;
    expect(tokens.map((tk: { name: string }) => tk.name)).not.toContain('');
  });

  it('a name with spaces around it is still trimmed and kept', async () => {
    const res = await ws.admin.request('POST', '/api/projects', { name: '  Rebranding  ' });
    expect([res.statusCode, res.json().name]).toEqual([201, 'Rebranding']);
  });
});

describe('a JSON body with the wrong types', () => {
  it('is refused, not coerced: a number for a title, a string for a boolean, one id for a list', async () => {
    const cases: [string, string, Record<string, unknown>, string][] = [
      ['POST', '/api/tasks', { projectId, title: 123 }, '/body/title'],
      ['POST', '/api/tasks', { projectId, title: true }, '/body/title'],
      ['POST', '/api/projects', { name: 'Typy', archived: 'true' }, '/body/archived'],
      ['PATCH', `/api/tasks/${taskId}`, { contactIds: contactId }, '/body/contactIds'],
      ['POST', '/api/contacts', { name: 'Typy', emails: { email: 'co@example.com' } }, '/body/emails'],
      ['POST', '/api/employees', { name: 'Typy', email: 'typy@example.com', active: 1 }, '/body/active'],
    ];
    for (const [method, url, body, path] of cases) {
      const res = await ws.admin.request(method, url, body);
      expect([url, res.statusCode, fieldCodes(res.json())[path]]).toEqual([url, 400, 'type']);
    }
    const names = (await ws.admin.request('GET', '/api/projects'))
      .json()
      .items.map((p: { name: string }) => p.name);
    expect(names).not.toContain('Typy');
  });

  it('query strings still read numbers from text', async () => {
    const res = await ws.admin.request('GET', '/api/projects?limit=1&offset=0');
    expect([res.statusCode, res.json().limit, res.json().items.length]).toEqual([200, 1, 1]);
  });
});

// PostgreSQL refuses 0x00 in text: a NUL that reaches a query is a 500. Every text field is
// refused at the schema (400 VALIDATION_FAILED) instead; passwords are only hashed and so may
// hold one, consistently at every door.
describe('a NUL byte in a request', () => {
  it.each(['projects', 'contacts', 'groups', 'employees', 'tasks', 'company/email-addresses'])(
    'in the search of GET /api/%s is a 400 on `q`',
    async (list) => {
      const res = await ws.admin.request('GET', `/api/${list}?q=a%00b`);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
      expect(fieldCodes(res.json())['/querystring/q']).toBe('pattern');
    },
  );

  it('in the sign-in email is a 400, not a 500', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { email: `a\u0000${ws.admin.email}`, password: 'whatever it is' },
    });
    expect(res.statusCode).toBe(400);
    expect(fieldCodes(res.json())['/body/email']).toBe('pattern');
  });

  it('in the address of a preset detection is a 400', async () => {
    const res = await ws.admin.request('GET', '/api/mail-presets/detect?email=a%00b%40gmail.com');
    expect(res.statusCode).toBe(400);
  });

  it('in a password is kept: set, then signed in with it; a wrong one is refused as any other', async () => {
    const email = uniqueEmail('nul');
    const password = 'before\u0000after 12345';
    const created = await ws.admin.request('POST', '/api/employees', { name: 'Nul Pass', email, password });
    expect(created.statusCode).toBe(201);
    const login = (pw: string) =>
      t.app.inject({ method: 'POST', url: '/api/session', payload: { email, password: pw } });
    expect((await login(password)).statusCode).toBe(200);
    const cut = await login('before');
    expect([cut.statusCode, cut.json().error.code]).toEqual([401, 'INVALID_CREDENTIALS']);
    expect((await login('before\u0000other 12345')).statusCode).toBe(401);

    const changed = 'new\u0000password 67890';
    const patched = await ws.admin.request('PATCH', `/api/employees/${created.json().id}`, {
      password: changed,
    });
    expect(patched.statusCode).toBe(200);
    expect((await login(changed)).statusCode).toBe(200);
    expect((await login(password)).statusCode).toBe(401);
  });
});
