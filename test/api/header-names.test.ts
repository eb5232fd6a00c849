import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestWorkspace, uniqueEmail } from '../helpers/test-app.js';

/**
 * Names that end up in an email's From/To display name (M55): refused when saved if they carry
 * invisible format characters, line separators or an encoded-word look-alike (SECURITY §7
 * cases 19, 24). The composer strips/refuses them again for names stored before this rule.
 */
let t: TestApp;
let ws: TestWorkspace;
beforeAll(async () => {
  t = await createTestApp();
  ws = await t.newWorkspace();
});
afterAll(async () => t?.close());

const HOSTILE = [
  'Anna\u200bNowak',
  'Anna\u202eNowak',
  'Anna\u2066Nowak\u2069',
  '\ufeffAnna',
  'An\u00adna',
  'Anna\u2028Bcc: evil@x.pl',
  '=?utf-8?b?QQ0KQmNjOiBldmlsQHgucGw=?=',
];

function fieldsOf(res: { statusCode: number; json(): unknown }): Record<string, string> {
  expect(res.statusCode).toBe(400);
  const body = res.json() as {
    error: { code: string; details: { fields: { path: string; code: string }[] } };
  };
  expect(body.error.code).toBe('VALIDATION_FAILED');
  return Object.fromEntries(body.error.details.fields.map((f) => [f.path, f.code]));
}

describe('names that go into email headers', () => {
  it.each(HOSTILE)('refuses %j as an employee, contact, workspace and sender display name', async (name) => {
    const employee = await ws.admin.request('POST', '/api/employees', { name, email: uniqueEmail() });
    expect(fieldsOf(employee)['/body/name']).toBe('pattern');
    const contact = await ws.admin.request('POST', '/api/contacts', {
      name,
      emails: [{ email: 'jan@klient.pl' }],
    });
    expect(fieldsOf(contact)['/body/name']).toBe('pattern');
    const workspace = await ws.admin.request('PATCH', '/api/workspace', { name });
    expect(fieldsOf(workspace)['/body/name']).toBe('pattern');
    const address = await ws.admin.request('POST', '/api/company/email-addresses', { displayName: name });
    expect(fieldsOf(address)['/body/displayName']).toBe('pattern');
  });

  it('refuses a line separator in any single-line text, e.g. a task title that becomes a subject', async () => {
    const projectId = (await ws.admin.request('POST', '/api/projects', { name: 'Okna' })).json().id;
    for (const title of ['Wycena\u2028Bcc: evil@x.pl', 'Wycena\u2029okien']) {
      const task = await ws.admin.request('POST', '/api/tasks', { projectId, title });
      expect(fieldsOf(task)['/body/title']).toBe('pattern');
    }
  });

  it('accepts ordinary Polish names with punctuation and emoji', async () => {
    const name = 'Łucja Żółć-Brzęczyszczykiewicz (Biuro „Północ”) 📬';
    const employee = await ws.admin.request('POST', '/api/employees', { name, email: uniqueEmail() });
    expect(employee.statusCode).toBe(201);
    const contact = await ws.admin.request('POST', '/api/contacts', {
      name: 'Jan =? Kowalski ?=',
      emails: [{ email: 'jan@klient.pl' }],
    });
    expect(contact.statusCode).toBe(201);
  });
});
