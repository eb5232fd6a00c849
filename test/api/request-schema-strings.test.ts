import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * Every string a request may carry (body, query, params, headers) is constrained by a pattern,
 * a format or a fixed set of values, so control characters (NUL above all: PostgreSQL refuses
 * it, a 500) stop at the schema. A new field without one fails here unless it is listed below
 * with the reason it is safe.
 */
const ALLOWED: Record<string, string> = {
  // Hashed with scrypt, never stored or compared as text; a NUL in it works (nul-bytes.test.ts).
  'POST /api/session body/password': 'hashed only',
  'POST /api/employees body/password': 'hashed only',
  'PATCH /api/employees/:id body/password': 'hashed only',
  // Decoded strictly as base64 (comment-service) before anything stores the bytes.
  'POST /api/tasks/:id/comments body/attachments/*/content': 'base64, decoded strictly',
};

interface Node {
  type?: unknown;
  pattern?: unknown;
  format?: unknown;
  enum?: unknown;
  const?: unknown;
  properties?: Record<string, Node>;
  items?: Node | Node[];
  anyOf?: Node[];
  oneOf?: Node[];
  allOf?: Node[];
  additionalProperties?: unknown;
  patternProperties?: Record<string, Node>;
  $ref?: string;
}

/** Paths (like `body/name`) of string schemas with nothing that refuses control characters. */
function unconstrainedStrings(node: Node, path: string, refs: Record<string, Node>, out: string[]) {
  if (node.$ref) return unconstrainedStrings(refs[node.$ref] ?? {}, path, refs, out);
  const isString = node.type === 'string' || (Array.isArray(node.type) && node.type.includes('string'));
  if (isString && node.pattern === undefined && node.format === undefined) {
    if (node.enum === undefined && node.const === undefined) out.push(path);
  }
  for (const [key, child] of Object.entries(node.properties ?? {}))
    unconstrainedStrings(child, `${path}/${key}`, refs, out);
  for (const child of Object.values(node.patternProperties ?? {}))
    unconstrainedStrings(child, `${path}/*`, refs, out);
  if (typeof node.additionalProperties === 'object' && node.additionalProperties !== null)
    unconstrainedStrings(node.additionalProperties as Node, `${path}/*`, refs, out);
  for (const child of [node.items ?? []].flat()) unconstrainedStrings(child, `${path}/*`, refs, out);
  for (const child of [...(node.anyOf ?? []), ...(node.oneOf ?? []), ...(node.allOf ?? [])])
    unconstrainedStrings(child, path, refs, out);
  return out;
}

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('request schemas', () => {
  it('leave no string field unconstrained, except the listed ones', () => {
    const parts = t.app.validatedParts();
    const refs = t.app.getSchemas() as Record<string, Node>;
    const found = parts.flatMap((p) =>
      unconstrainedStrings(p.schema as Node, `${p.method} ${p.url} ${p.httpPart}`, refs, []),
    );
    expect(parts.length).toBeGreaterThan(50);
    expect(parts.some((p) => p.url === '/api/tasks' && p.httpPart === 'body')).toBe(true);
    expect(found.filter((f) => !(f in ALLOWED))).toEqual([]);
    // An entry that no longer matches anything is stale: drop it.
    expect(Object.keys(ALLOWED).filter((k) => !found.includes(k))).toEqual([]);
  });

  it('the walk finds a plain string, inside arrays and unions too', () => {
    const schema: Node = {
      type: 'object',
      properties: {
        ok: { type: 'string', pattern: '^x$' },
        list: { type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'null' }] } },
        fixed: { type: 'string', const: 'a' },
      },
    };
    expect(unconstrainedStrings(schema, 'b', {}, [])).toEqual(['b/list/*']);
  });
});
