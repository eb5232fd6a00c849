import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The web's API response types are the server's response schemas' `Static<>` types, imported
 * as types from src/http/schemas (issue 8 item 12, decision 0009), not hand copies that can
 * drift. A hand-written `interface`/object type for one of these names fails here.
 */
const FROM_SERVER = [
  'AuditEntry',
  'CatalogueItem',
  'CertificateInfo',
  'Contact',
  'Diagnosis',
  'DirectionResult',
  'EmailAddress',
  'Employee',
  'Group',
  'MailPreset',
  'PresetDetection',
  'Project',
  'SenderOption',
  'SenderPreview',
  'TestEmail',
  'TestResult',
  'TestStep',
];

const dir = join(import.meta.dirname, '../../web/src/shared/api');
const sources = readdirSync(dir)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => readFileSync(join(dir, f), 'utf8'))
  .join('\n');

describe('web API types come from the server schemas', () => {
  it.each(FROM_SERVER)('%s is not hand-written in web/src/shared/api', (name) => {
    expect(sources).not.toMatch(new RegExp(`\\binterface ${name}\\b`));
    expect(sources).not.toMatch(new RegExp(`\\btype ${name}\\s*=\\s*\\{`));
  });

  it('every type import from the server is type-only and from src/http/schemas', () => {
    const serverImports = [...sources.matchAll(/^import (type )?\{[^}]*\} from '(\.\.\/)+src\/([^']+)';/gm)];
    expect(serverImports.length).toBeGreaterThan(0);
    for (const m of serverImports) {
      expect(m[1], m[0]).toBe('type ');
      expect(m[3], m[0]).toMatch(/^http\/schemas\//);
    }
  });
});
