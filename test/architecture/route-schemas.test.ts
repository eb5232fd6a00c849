import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listPresets } from '../../src/domain/presets/detect.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * Typed boundaries (issue 8 item 12, decision 0009): every route declares a response schema
 * for every status, so OpenAPI describes it and Fastify serializes only declared fields.
 * An open schema (`Type.Unknown()`, `{}`) lets anything through. Shared schemas (`$ref` into
 * `components`, such as the error body) are followed. The list of known open schemas is empty:
 * a new entry here needs a reason in decision 0009.
 */
const KNOWN_OPEN_SCHEMAS = new Set<string>([]);

type Json = Record<string, unknown>;

/**
 * JSON pointers (inside one response schema) of sub-schemas that constrain nothing. A `$ref`
 * is followed into the document's components, shown as `<title>` in the pointer.
 */
function openSchemas(schema: unknown, at = '', seen: ReadonlySet<string> = new Set()): string[] {
  if (schema === null || typeof schema !== 'object') return [];
  const s = schema as Json;
  if (typeof s.$ref === 'string') {
    const name = s.$ref.split('/').pop() ?? '';
    const target = components[name];
    if (target === undefined) return [`${at || '/'} unresolved ${s.$ref}`];
    if (seen.has(name)) return [];
    return openSchemas(target, `${at}<${String(target.title ?? name)}>`, new Set([...seen, name]));
  }
  const keys = Object.keys(s).filter((k) => !['description', 'title', 'default', 'examples'].includes(k));
  if (keys.length === 0) return [at || '/'];
  const out: string[] = [];
  for (const [k, v] of Object.entries(s)) {
    if ((k === 'properties' || k === 'patternProperties') && v && typeof v === 'object')
      for (const [p, sub] of Object.entries(v)) out.push(...openSchemas(sub, `${at}/${p}`, seen));
    else if (k === 'items' || k === 'additionalProperties') out.push(...openSchemas(v, `${at}/${k}`, seen));
    else if ((k === 'anyOf' || k === 'oneOf' || k === 'allOf') && Array.isArray(v))
      for (const [i, sub] of v.entries()) out.push(...openSchemas(sub, `${at}/${k}/${i}`, seen));
  }
  return out;
}

let t: TestApp;
let spec: {
  paths: Record<string, Record<string, { responses?: Record<string, Json> }>>;
  components?: { schemas?: Record<string, Json> };
};
let components: Record<string, Json> = {};

beforeAll(async () => {
  t = await createTestApp();
  await t.app.ready();
  spec = (await t.app.inject({ url: '/api/openapi.json' })).json();
  components = spec.components?.schemas ?? {};
});
afterAll(() => t.close());

describe('every route has closed response schemas (issue 8 item 12)', () => {
  const operations = () =>
    Object.entries(spec.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })),
    );

  it('every operation declares its responses', () => {
    const missing = operations()
      .filter(({ op }) => !op.responses || Object.keys(op.responses).length === 0)
      .map(({ key }) => key);
    expect(missing).toEqual([]);
  });

  it('no response schema is open (Type.Unknown / {}), beyond the known list, which only shrinks', () => {
    const found: string[] = [];
    for (const { key, op } of operations()) {
      for (const [status, res] of Object.entries(op.responses ?? {})) {
        const content = (res.content ?? {}) as Record<string, { schema?: unknown }>;
        for (const media of Object.values(content))
          for (const at of openSchemas(media.schema)) found.push(`${key} ${status} ${at}`);
      }
    }
    expect(found.filter((f) => !KNOWN_OPEN_SCHEMAS.has(f))).toEqual([]);
    expect([...KNOWN_OPEN_SCHEMAS].filter((k) => !found.includes(k))).toEqual([]);
  });

  it('closed schemas still carry the whole data: the presets come out exactly as the domain has them', async () => {
    const ws = await t.newWorkspace();
    const res = await ws.admin.request('GET', '/api/mail-presets');
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual(JSON.parse(JSON.stringify(listPresets())));
  });

  it('error details keep their declared keys: field issues, the existing row of a duplicate', async () => {
    const ws = await t.newWorkspace();
    const bad = await ws.admin.request('POST', '/api/projects', { name: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.fields[0]).toMatchObject({ path: '/body/name', code: 'minLength' });
    expect(bad.json().error.details.fields[0].params).toEqual({ limit: 1 });
  });
});
