import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTITY_NAMES } from '../../src/domain/errors.js';
import { codeMessage, fieldCodesWithMessages, fieldMessage } from '../../src/http/i18n/error-messages.js';
import { EXCLUSION_REASONS } from '../../src/http/schemas/sender-preview.schema.js';
import { filesUnder } from '../helpers/source-files.js';
import { createTestApp, type TestApp, type TestWorkspace } from '../helpers/test-app.js';

let t: TestApp;
let ws: TestWorkspace;
beforeAll(async () => {
  t = await createTestApp();
  ws = await t.newWorkspace();
});
afterAll(async () => t?.close());

const missing = '00000000-0000-4000-8000-000000000000';

describe('error messages', () => {
  it('name every entity of a NOT_FOUND in Polish, not in the English of the code', () => {
    const template = codeMessage('NOT_FOUND', 'pl', { entity: '\u0001' });
    const untranslated = ENTITY_NAMES.filter(
      (e) => codeMessage('NOT_FOUND', 'pl', { entity: e }) === template.replace('\u0001', e),
    );
    expect(untranslated).toEqual([]);
    for (const e of ENTITY_NAMES) expect(codeMessage('NOT_FOUND', 'en', { entity: e })).not.toBe('');
  });

  it('give every field code the server sends its own message in both languages', () => {
    // Literal codes of field issues in the sources, the sender refusals, Ajv's keywords.
    const literal = filesUnder('src', (p) => p.endsWith('.ts') && !p.endsWith('.test.ts')).flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/code: '([a-z][A-Za-z_]*)'/g)].map((m) => m[1]!),
    );
    const notFieldCodes = new Set(['access_list_emptied']); // address narrowing, not a field issue
    const ajv = ['required', 'format', 'email', 'uuid', 'minLength', 'maxLength', 'minimum', 'maximum'];
    const codes = new Set([
      ...literal.filter((c) => !notFieldCodes.has(c)),
      ...EXCLUSION_REASONS,
      'unknown',
      ...ajv,
    ]);
    const known = new Set(fieldCodesWithMessages());
    expect([...codes].filter((c) => !known.has(c))).toEqual([]);
    for (const code of known) {
      const [en, pl] = [fieldMessage(code, 'en'), fieldMessage(code, 'pl')];
      expect([code, en.length > 0 && pl.length > 0 && en !== pl]).toEqual([code, true]);
    }
  });

  it('answer a form post with 415 UNSUPPORTED_MEDIA_TYPE, in the caller’s language', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/session',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'pl' },
      payload: 'email=a%40b.pl&password=x',
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().error).toEqual({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: codeMessage('UNSUPPORTED_MEDIA_TYPE', 'pl'),
    });
    expect(res.json().error.message).toMatch(/JSON/);
  });

  it('say in Polish which email was not found', async () => {
    const res = await ws.admin.request('GET', `/api/messages/${missing}`, undefined, {
      'accept-language': 'pl',
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.message).toMatch(/^Nie znaleziono: wiadomość e-mail\./);
  });
});

// A failed query is logged whole (a 500), and drizzle's error carries every bound value in
// its message, its stack and `params`; PostgreSQL's `detail` repeats the failing row. The log
// keeps the SQL text and the SQLSTATE only.
describe('a query that fails', () => {
  it('is logged with its SQL text and SQLSTATE, never with the values it carried', async () => {
    // Every new project now violates a constraint: the insert fails inside the database.
    await t.ctx.db.execute(sql`ALTER TABLE projects ADD CONSTRAINT t_refuse_all CHECK (false) NOT VALID`);
    const marker = `marker-${crypto.randomUUID()}`;
    const before = t.logs.length;
    const res = await ws.admin.request('POST', '/api/projects', { name: marker, description: marker });
    await t.ctx.db.execute(sql`ALTER TABLE projects DROP CONSTRAINT t_refuse_all`);
    expect([res.statusCode, res.json().error.code]).toEqual([500, 'INTERNAL']);
    const written = t.logs.slice(before).join('');
    const failure = t.logs
      .slice(before)
      .map((line) => JSON.parse(line) as { msg?: string; err?: Record<string, unknown> })
      .find((line) => line.msg === 'unhandled error');
    expect(written).not.toContain(marker);
    expect(failure?.err?.query).toMatch(/^insert into "projects"/);
    expect(failure?.err?.sqlState).toBe('23514'); // check_violation
  });
});
