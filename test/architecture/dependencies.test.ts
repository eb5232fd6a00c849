import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { filesUnder } from '../helpers/source-files.js';

/**
 * STYLE rule 3, enforced: dependencies point inward. `domain/` imports nothing with I/O or
 * from adapters; `services/` never imports adapters' runtime code (type-only imports of
 * repository shapes are allowed: they vanish at compile time); the worker never loads http/.
 */
const root = new URL('../../src/', import.meta.url).pathname;

const files = (dir: string) => filesUnder(dir, (p) => p.endsWith('.ts') && !p.endsWith('.test.ts'));

/**
 * Runtime module specifiers of a file, as esbuild (the compiler tsx runs) sees them:
 * imports, side-effect imports, re-exports (`export … from`), dynamic `import()` and
 * `require()`. Type-only imports and exports vanish at compile time and are skipped.
 */
function runtimeImports(file: string, text = readFileSync(file, 'utf8')): string[] {
  const result = buildSync({
    stdin: { contents: text, loader: 'ts', sourcefile: file },
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'node',
    external: ['*'],
    logLevel: 'silent',
  });
  return Object.values(result.metafile.inputs).flatMap((input) => input.imports.map((i) => i.path));
}

const violations = (folder: string, forbidden: RegExp) =>
  files(join(root, folder)).flatMap((f) =>
    runtimeImports(f)
      .filter((spec) => forbidden.test(spec))
      .map((spec) => `${relative(root, f)} imports ${spec}`),
  );

describe('architecture', () => {
  it('domain/ is pure: no adapters, frameworks or I/O modules', () => {
    expect(
      violations(
        'domain',
        /\/(db|mail|http|services|main|worker|security)\/|^(fastify|drizzle-orm|nodemailer|imapflow|mailparser|pg|@electric-sql|pino)|^node:(fs|net|tls|dns|http|https|child_process)/,
      ),
    ).toEqual([]);
  });

  it('services/ reach adapters only through ports (type imports are fine)', () => {
    expect(
      violations(
        'services',
        /\/(db|mail|http|main)\/|^(fastify|drizzle-orm|nodemailer|imapflow|pg|@electric-sql)/,
      ),
    ).toEqual([]);
  });

  it('the worker never loads the HTTP stack', () => {
    expect(violations('worker', /\/http\/|^fastify|^@fastify/)).toEqual([]);
  });

  it('mail adapters do not depend on HTTP or the database', () => {
    expect(violations('mail', /\/(http|db|services)\/|^(fastify|drizzle-orm)/)).toEqual([]);
  });
});

describe('the import reader behind these rules', () => {
  const read = (text: string) => runtimeImports('probe.ts', text);
  it('sees re-exports, dynamic imports and require, and skips type-only forms', () => {
    const lines = [
      "import type { A } from './types-a.js';",
      "export type { C } from './types-c.js';",
      "import { d } from './runtime-d.js';",
      'console.log(d);',
      "export { e } from './runtime-e.js';",
      "export * from './runtime-f.js';",
      "const g = await import('./runtime-g.js');",
      "const h = require('./runtime-h.js');",
      "import './runtime-i.js';",
    ];
    expect(read(lines.join('\n')).sort()).toEqual([
      './runtime-d.js',
      './runtime-e.js',
      './runtime-f.js',
      './runtime-g.js',
      './runtime-h.js',
      './runtime-i.js',
    ]);
  });

  it('reads the nested folders, and leaves the tests out', () => {
    const services = files(join(root, 'services')).map((f) => relative(root, f));
    expect(services).toContain('services/inbound/process-bounce.ts');
    expect(services.filter((f) => f.endsWith('.test.ts'))).toEqual([]);
  });

  it('a services/ file re-exporting or lazily loading db/ is a violation', () => {
    const text = "export { createDatabase } from '../db/database.js';\nconst x = () => import('../db/x.js');";
    expect(read(text).filter((s) => /\/db\//.test(s))).toHaveLength(2);
  });
});
