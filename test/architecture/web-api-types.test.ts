import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAst } from 'vite';
import { describe, expect, it } from 'vitest';
import { filesUnder } from '../helpers/source-files.js';

/**
 * The web's API types — request bodies, query parameters and response views — are the server's
 * schemas' `Static<>` types, imported as types from src/http/schemas (issue 8 item 12, decision
 * 0009), not hand copies that drift. In the web's API modules (web/src/shared/api and every
 * feature's `*-api.ts` / `*-types.ts`) a hand-written shape fails here: an `interface`, an
 * object type literal (`{ name?: string }`, also inline in `apiRequest<{…}>` or a parameter) or
 * a union of string literals. A form state that differs is derived (Omit/Pick/Partial/indexed).
 */
const WEB = join(import.meta.dirname, '../../web/src');

/**
 * Client-side shapes that are not wire types, each with its reason. Keyed by the top-level
 * declaration that holds the literal (`file:name`).
 */
const CLIENT_SIDE = new Map<string, string>([
  ['shared/api/http-client.ts:Method', 'the HTTP verbs the client speaks'],
  ['shared/api/http-client.ts:RequestOptions', 'options of one call (query, signal, headers)'],
  ['shared/api/http-client.ts:readError', 'reads an error body defensively (it may be a proxy page)'],
  ['shared/api/http-client.ts:refreshCsrfToken', 'reads one field of a session body defensively'],
  ['shared/api/api-error.ts:ClientErrorCode', 'codes the client makes up when no answer came'],
  ['shared/api/api-error.ts:ApiError', 'reads `details.fields` of an unknown error body defensively'],
  ['shared/api/resource-api.ts:ResourceApi', 'the call surface, not a body'],
  ['shared/api/types.ts:Page', 'generic list envelope; its items are server types'],
  ['shared/api/mail-api.ts:AddressOwner', 'which URL a call goes to, not a body'],
]);

/** Names that once were hand copies (the earlier form of this rule, kept as a second net). */
const FROM_SERVER = [
  'AddressInput',
  'ApiToken',
  'AuditEntry',
  'CatalogueItem',
  'CertificateInfo',
  'CommentDraft',
  'Contact',
  'ContactInput',
  'DeliveryLogItem',
  'Diagnosis',
  'DirectionResult',
  'EmailAddress',
  'Employee',
  'EmployeeInput',
  'FieldIssue',
  'Group',
  'GroupInput',
  'MailboxCollection',
  'MailPreset',
  'OAuthGrant',
  'OutgoingMessage',
  'PresetDetection',
  'Project',
  'ProjectInput',
  'ReceivedView',
  'SenderOption',
  'SenderPreview',
  'Session',
  'Task',
  'TaskComment',
  'TestEmail',
  'TestInput',
  'TestResult',
  'TestStep',
  'Workspace',
  'WorkspaceSettings',
];

/** The API modules: shared/api, and each feature's `*-api.ts` and `*-types.ts`. */
const apiModules = filesUnder(WEB)
  .filter((p) => /\.ts$/.test(p) && !p.endsWith('.test.ts'))
  .filter((p) => p.includes('/shared/api/') || /-(api|types)\.ts$/.test(p))
  .map((p) => ({ file: relative(WEB, p), text: readFileSync(p, 'utf8') }));

type Node = { type?: string; start?: number; [key: string]: unknown };

/** Name of a top-level statement (declaration, exported or not). */
function declarationName(statement: Node): string {
  const decl = (statement.type?.startsWith('Export') ? statement.declaration : statement) as Node | null;
  if (!decl) return '?';
  const id = decl.id as { name?: string } | undefined;
  if (id?.name) return id.name;
  const first = (decl.declarations as Node[] | undefined)?.[0]?.id as { name?: string } | undefined;
  return first?.name ?? '?';
}

const isStringLiteralType = (n: unknown) => {
  const node = n as Node;
  return node?.type === 'TSLiteralType' && typeof (node.literal as Node)?.value === 'string';
};

/** Every hand-written shape in one module, as `file:declaration: kind at line`. */
function handWritten(file: string, text: string): string[] {
  const program = parseAst(text, { lang: 'ts' }) as unknown as { body: Node[] };
  const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
  const found: string[] = [];
  for (const statement of program.body) {
    const owner = `${file}:${declarationName(statement)}`;
    if (CLIENT_SIDE.has(owner)) continue;
    const visit = (node: unknown) => {
      if (!node || typeof node !== 'object') return;
      if (Array.isArray(node)) return node.forEach(visit);
      const n = node as Node;
      const at = () => `line ${lineOf(n.start ?? 0)}`;
      if (n.type === 'TSInterfaceDeclaration') found.push(`${owner}: interface, ${at()}`);
      if (n.type === 'TSTypeLiteral') found.push(`${owner}: object type, ${at()}`);
      if (n.type === 'TSUnionType' && (n.types as unknown[]).every(isStringLiteralType))
        found.push(`${owner}: union of string literals, ${at()}`);
      for (const [key, value] of Object.entries(n)) if (key !== 'type') visit(value);
    };
    visit(statement);
  }
  return found;
}

describe('web API types come from the server schemas', () => {
  it('finds the API modules', () => {
    const files = apiModules.map((m) => m.file);
    expect(files).toEqual(
      expect.arrayContaining([
        'shared/api/types.ts',
        'shared/api/mail-types.ts',
        'features/tasks/tasks-api.ts',
        'features/delivery/delivery-types.ts',
      ]),
    );
  });

  it('no API module writes a body, query or view by hand', () => {
    expect(apiModules.flatMap((m) => handWritten(m.file, m.text))).toEqual([]);
  });

  it.each(FROM_SERVER)('%s is not hand-written', (name) => {
    const sources = apiModules.map((m) => m.text).join('\n');
    expect(sources).not.toMatch(new RegExp(`\\binterface ${name}\\b`));
    expect(sources).not.toMatch(new RegExp(`\\btype ${name}\\s*=\\s*\\{`));
  });

  it('every type import from the server is type-only and from src/http/schemas', () => {
    const sources = apiModules.map((m) => m.text).join('\n');
    const serverImports = [...sources.matchAll(/^import (type )?\{[^}]*\} from '(\.\.\/)+src\/([^']+)';/gm)];
    expect(serverImports.length).toBeGreaterThan(10);
    for (const m of serverImports) {
      expect(m[1], m[0]).toBe('type ');
      expect(m[3], m[0]).toMatch(/^http\/schemas\//);
    }
  });

  it('the rule sees the shapes hand copies take', () => {
    const probe = [
      'export interface WorkspaceInput { name?: string }',
      'export type ReceivedView = { commentId: string };',
      "type Kind = 'comment' | 'reply';",
      'export const api = { start: (body: { provider: string }) => apiRequest<{ url: string }>(body) };',
      "export type Derived = Omit<ServerView, 'id'>;",
      "export type Scope = ServerView['scope'];",
    ].join('\n');
    expect(handWritten('probe.ts', probe)).toEqual([
      'probe.ts:WorkspaceInput: interface, line 1',
      'probe.ts:ReceivedView: object type, line 2',
      'probe.ts:Kind: union of string literals, line 3',
      'probe.ts:api: object type, line 4',
      'probe.ts:api: object type, line 4',
    ]);
  });
});
