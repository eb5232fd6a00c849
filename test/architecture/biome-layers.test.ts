import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The layer rule is enforced by Biome (`noRestrictedImports` overrides per folder in
 * biome.json), so `biome check` fails on a violation in CI and in editors. This test
 * proves the configuration bites: it writes files that break the rule in each layer, as
 * a plain import, a re-export and a dynamic import(), and expects Biome to flag each.
 */
const repo = new URL('../../', import.meta.url).pathname;
const run = promisify(execFile);

interface Probe {
  file: string;
  lines: string[];
}

const probes: Probe[] = [
  {
    file: 'src/domain/zz-layer-probe.ts',
    lines: [
      "import { createDatabase } from '../db/database.js';",
      "export { buildApp } from '../http/app.js';",
      "export const later = () => import('../services/mailbox/test-token.js');",
      "import { readFileSync } from 'node:fs';",
      "export * from 'nodemailer';",
    ],
  },
  {
    file: 'src/services/zz-layer-probe.ts',
    lines: [
      "import { Pop3Client } from '../mail/pop3/pop3-client.js';",
      "export { buildApp } from '../http/app.js';",
      "export const later = () => import('drizzle-orm');",
      "export * from '../context.js';",
    ],
  },
  {
    file: 'src/mail/zz-layer-probe.ts',
    lines: [
      "export * from '../db/database.js';",
      "export const later = () => import('../services/mailbox/test-token.js');",
      "import fastify from 'fastify';",
    ],
  },
  {
    file: 'src/worker/zz-layer-probe.ts',
    lines: ["export { buildApp } from '../http/app.js';", "export const later = () => import('fastify');"],
  },
];

// What each layer may import (so the rule is not "forbid everything").
const allowed: Probe = {
  file: 'src/services/zz-layer-allowed.ts',
  lines: [
    "import type { DbOrTx } from '../db/database.js';",
    "import { AppError } from '../domain/errors.js';",
    'export type { DbOrTx };',
    'export { AppError };',
  ],
};

interface Diagnostic {
  category: string;
  location: { path: string; start: { line: number } };
}

let diagnostics: Diagnostic[] = [];

beforeAll(async () => {
  for (const p of [...probes, allowed]) writeFileSync(join(repo, p.file), `${p.lines.join('\n')}\n`);
  try {
    const files = [...probes, allowed].map((p) => p.file);
    const out = await run('npx', ['biome', 'lint', '--reporter=json', '--max-diagnostics=200', ...files], {
      cwd: repo,
    }).catch((err: { stdout: string }) => ({ stdout: err.stdout }));
    diagnostics = (JSON.parse(out.stdout) as { diagnostics: Diagnostic[] }).diagnostics.filter(
      (d) => d.category === 'lint/style/noRestrictedImports',
    );
  } finally {
    for (const p of [...probes, allowed]) rmSync(join(repo, p.file), { force: true });
  }
}, 60_000);

afterAll(() => {
  for (const p of [...probes, allowed]) rmSync(join(repo, p.file), { force: true });
});

describe('layer rule in Biome (issue 8 item 11)', () => {
  for (const probe of probes) {
    it.each(probe.lines.map((line, i) => [line, i + 1] as const))(
      `${probe.file}: %s is refused`,
      (_line, n) => {
        const hits = diagnostics.filter(
          (d) => d.location.path.endsWith(probe.file) && d.location.start.line === n,
        );
        expect(hits).toHaveLength(1);
      },
    );
  }

  it('type imports from db/ and imports of domain/ stay allowed in services/', () => {
    expect(diagnostics.filter((d) => d.location.path.endsWith(allowed.file))).toEqual([]);
  });
});
