import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * STYLE rule 3, enforced: dependencies point inward. `domain/` imports nothing with I/O or
 * from adapters; `services/` never imports adapters' runtime code (type-only imports of
 * repository shapes are allowed: they vanish at compile time); the worker never loads http/.
 */
const root = new URL('../../src/', import.meta.url).pathname;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

/** Runtime (non-type) import specifiers of a file. */
function runtimeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^import\s+(type\s+)?([^'"]*?)\s*from\s*'([^']+)'/gms)) {
    const isTypeOnly = Boolean(m[1]) || /^\{\s*(type\s+[\w$]+\s*,?\s*)+\}$/.test(m[2]!.trim());
    if (!isTypeOnly) out.push(m[3]!);
  }
  for (const m of text.matchAll(/^import\s+'([^']+)'/gm)) out.push(m[1]!);
  return out;
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
