import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filesUnder } from '../helpers/source-files.js';

/**
 * No casts at the HTTP boundary (issue 8 item 12, decision 0009): a route's body, params,
 * query and headers are typed by the TypeBox type provider from the route's schemas. A cast
 * (`req.params as Record<string, string>`, `(req.body as { … })`) says "trust me" where the
 * schema and the handler could disagree unnoticed. The one sanctioned exception is
 * `validated()` in crud-routes.ts (a generic schema TypeScript cannot follow).
 */
const ROOT = join(import.meta.dirname, '../../src/http');

/** A request part followed by `as` (also through a parenthesised or optional-chained access). */
const CAST = /\b(?:req|request)\s*\.\s*(?:body|params|query|headers)\s*\)?\s+as\s/;
/** The other shape the casts took: a params bag typed by hand. */
const PARAMS_BAG = /\bas Record<string,\s*string>/;

function castsIn(text: string): string[] {
  return text
    .split('\n')
    .map((line, i) => ({ line: line.trim(), n: i + 1 }))
    .filter(({ line }) => !line.startsWith('//') && !line.startsWith('*'))
    .filter(({ line }) => CAST.test(line) || PARAMS_BAG.test(line))
    .map(({ line, n }) => `${n}: ${line}`);
}

describe('HTTP request parts are typed by their schemas, not cast', () => {
  it('no `req.body/params/query/headers as …` in src/http', () => {
    const files = filesUnder(ROOT, (p) => p.endsWith('.ts') && !p.endsWith('.test.ts'));
    // The nested folders are read (routes/ is where the requests are).
    expect(files.map((file) => relative(ROOT, file))).toContain('routes/audit.routes.ts');
    const found = files.flatMap((file) =>
      castsIn(readFileSync(file, 'utf8')).map((hit) => `${relative(ROOT, file)}:${hit}`),
    );
    expect(found).toEqual([]);
  });

  it('the rule sees the shapes the casts took', () => {
    const probe = [
      'const p = req.params as Record<string, string>;',
      'const g = await describe((req.params as { id: string }).id);',
      'const q = req.query as Page & { limit: number };',
      'const b = request.body as { name: string };',
      'owner: (p: Record<string, string>) => p.id,',
      'const ok = req.params.id;',
    ].join('\n');
    expect(castsIn(probe).map((hit) => Number(hit.split(':')[0]))).toEqual([1, 2, 3, 4]);
  });
});
