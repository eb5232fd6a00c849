import { sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { type Static, Type } from 'typebox';
import type { DbOrTx } from '../database.js';
import { type NamedStatement, namedStatement } from '../named-statement.js';
import { rowDecoder } from '../raw-rows.js';
import { workspaces } from '../schema/index.js';

export interface SenderContextRow {
  workspaceName: string;
  employee: { id: string; name: string } | null;
  project: { id: string; name: string } | null;
  groupIds: string[];
  candidates: {
    id: string;
    scope: 'company' | 'employee';
    ownerEmployeeId: string | null;
    email: string;
    displayName: string;
    active: boolean;
    health: 'ok' | 'failing' | 'needs_attention' | 'needs_reconnect' | 'disabled';
    createdAt: Date;
    projectIds: string[];
    accessEmployeeIds: string[];
    accessGroupIds: string[];
  }[];
  usage: { addressId: string; taskKey: string; contactKey: string; usedAt: Date }[];
}

type Candidate = SenderContextRow['candidates'][number];

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Strings = Type.Array(Type.String());
const IdName = Nullable(Type.Object({ id: Type.String(), name: Type.String() }));
/** [id, scope, owner, email, displayName, active, health, createdAt, projectIds, accessEmployeeIds, accessGroupIds] */
const CandidateTuple = Type.Tuple([
  Type.String(),
  Type.Enum(['company', 'employee']),
  Nullable(Type.String()),
  Type.String(),
  Type.String(),
  Type.Boolean(),
  Type.Enum(['ok', 'failing', 'needs_attention', 'needs_reconnect', 'disabled']),
  Type.String(),
  Strings,
  Strings,
  Strings,
]);
type CandidateTuple = Static<typeof CandidateTuple>;
const Version = Nullable(Type.Union([Type.String(), Type.Number()]));
const Candidates = Nullable(Type.Array(CandidateTuple));

const decodeCompany = rowDecoder(
  'company sender candidates',
  Type.Object({ version: Version, candidates: Candidates }),
);
const decodeContext = rowDecoder(
  'sender context',
  Type.Object({
    workspace_name: Type.String(),
    version: Version,
    employee: IdName,
    project: IdName,
    group_ids: Nullable(Strings),
    candidates: Candidates,
    /** [addressId, taskKey, contactKey, usedAt] */
    usage: Nullable(Type.Array(Type.Tuple([Type.String(), Type.String(), Type.String(), Type.String()]))),
  }),
);
type RawRow = ReturnType<typeof decodeContext>[number];

/**
 * The JSON array of one candidate address `a` with its project and access links (see
 * CandidateTuple): correlated sub-selects, cheap to plan and to run for the rows involved.
 */
const CANDIDATES = sql.raw(`json_agg(json_build_array(a.id, a.scope, a.owner_employee_id, a.email,
  a.display_name, a.active, a.health, a.created_at,
  ARRAY(SELECT ap.project_id FROM email_address_projects ap WHERE ap.address_id = a.id),
  ARRAY(SELECT ax.employee_id FROM email_address_access ax WHERE ax.address_id = a.id AND ax.employee_id IS NOT NULL),
  ARRAY(SELECT ax.group_id FROM email_address_access ax WHERE ax.address_id = a.id AND ax.group_id IS NOT NULL)))`);

const toCandidate = ([
  id,
  scope,
  ownerEmployeeId,
  email,
  displayName,
  active,
  health,
  createdAt,
  projectIds,
  accessEmployeeIds,
  accessGroupIds,
]: CandidateTuple): Candidate => ({
  id,
  scope,
  ownerEmployeeId,
  email,
  displayName,
  active,
  health,
  createdAt: new Date(createdAt),
  projectIds,
  accessEmployeeIds,
  accessGroupIds,
});

/** What an unknown workspace reads as. */
const EMPTY_ROW: RawRow & { version: null } = {
  workspace_name: '',
  version: null,
  employee: null,
  project: null,
  group_ids: null,
  candidates: null,
  usage: null,
};

/**
 * Each workspace's company addresses with their links, per `workspaces.sender_version`
 * (bumped by triggers in the same transaction as any change to them, migration 0003). A
 * resolution reads the version in the same statement as the employee's own data, so a hit
 * is exactly as fresh as that statement; any process, any number of them, stays correct.
 */
export class CompanyCandidateCache {
  private readonly entries = new Map<string, { version: number; candidates: Candidate[] }>();

  constructor(private readonly maxWorkspaces = 500) {}

  get(workspaceId: string, version: number): Candidate[] | null {
    const entry = this.entries.get(workspaceId);
    return entry && entry.version === version ? entry.candidates : null;
  }

  set(workspaceId: string, version: number, candidates: Candidate[]): void {
    const current = this.entries.get(workspaceId);
    if (current && current.version > version) return; // a slower reader must not roll it back
    this.entries.delete(workspaceId);
    if (this.entries.size >= this.maxWorkspaces) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(workspaceId, { version, candidates });
  }
}

/** The company addresses and their links, with the version they were read at (one statement). */
async function loadCompanyCandidates(db: DbOrTx, workspaceId: string) {
  const result = await db.execute(sql`
    SELECT w.sender_version AS version,
      (SELECT ${CANDIDATES} FROM email_addresses a
        WHERE a.workspace_id = w.id AND a.scope = 'company') AS candidates
    FROM workspaces w WHERE w.id = ${workspaceId}
  `);
  const [row] = decodeCompany(result);
  return { version: Number(row?.version ?? 0), candidates: (row?.candidates ?? []).map(toCandidate) };
}

const w = alias(workspaces, 'w');
const employeeId = sql.placeholder('employeeId');

/**
 * The per-employee part of the context as one JSON text. Correlated sub-selects rather than
 * CTEs and GROUP BY: for the handful of rows involved they cost the same to run and about half
 * as much to plan. It runs as a named statement (parsed and planned once; on PGlite planning
 * was about half of a resolution's time), values always bound as parameters.
 */
const contextQuery = (db: DbOrTx) =>
  db
    .select({
      context: sql<string>`json_build_object(
      'workspace_name', w.name, 'version', w.sender_version,
      'employee', (SELECT json_build_object('id', e.id, 'name', e.name) FROM employees e
        WHERE e.workspace_id = w.id AND e.id = ${employeeId}),
      'project', (SELECT json_build_object('id', p.id, 'name', p.name) FROM projects p
        WHERE p.workspace_id = w.id AND p.id = ${sql.placeholder('projectId')}),
      'group_ids', ARRAY(SELECT gm.group_id FROM group_members gm
        WHERE gm.workspace_id = w.id AND gm.employee_id = ${employeeId}),
      'candidates', (SELECT ${CANDIDATES}
        FROM email_addresses a WHERE a.workspace_id = w.id AND a.owner_employee_id = ${employeeId}),
      'usage', (SELECT json_agg(json_build_array(u.address_id, u.task_key, u.contact_key, u.used_at))
        FROM sender_usage u WHERE u.workspace_id = w.id AND u.employee_id = ${employeeId}))::text`,
    })
    .from(w)
    .where(sql`${w.id} = ${sql.placeholder('workspaceId')}`);

const statements = new WeakMap<DbOrTx, NamedStatement>();
function contextStatement(db: DbOrTx): NamedStatement {
  let statement = statements.get(db);
  if (!statement) {
    statement = namedStatement(db, 'sender_context', contextQuery(db));
    statements.set(db, statement);
  }
  return statement;
}

/**
 * Everything sender choice needs for (employee, project) (M24–M28): the employee and project
 * names, the employee's groups, their own addresses with links, their sending history, and
 * every company address. Sender choice runs on every composer open and every send, so it is
 * ONE round trip when the workspace's company addresses are cached at the current version,
 * two when they changed since (bench/sender-resolution).
 */
export async function loadSenderContext(
  db: DbOrTx,
  workspaceId: string,
  employeeId: string,
  projectId: string | null,
  cache?: CompanyCandidateCache,
): Promise<SenderContextRow> {
  // The root database handle only: on PGlite a named statement takes the transaction lock.
  const text = await contextStatement(db).text({ workspaceId, employeeId, projectId });
  const row = text === null ? EMPTY_ROW : (decodeContext({ rows: [JSON.parse(text)] })[0] ?? EMPTY_ROW);
  const version = Number(row.version ?? 0);
  let company = cache?.get(workspaceId, version) ?? null;
  if (!company) {
    const loaded = await loadCompanyCandidates(db, workspaceId);
    cache?.set(workspaceId, loaded.version, loaded.candidates);
    company = loaded.candidates;
  }
  return {
    workspaceName: row.workspace_name ?? '',
    employee: row.employee,
    project: projectId ? row.project : null,
    groupIds: row.group_ids ?? [],
    candidates: [...company, ...(row.candidates ?? []).map(toCandidate)],
    usage: (row.usage ?? []).map(([addressId, taskKey, contactKey, usedAt]) => ({
      addressId,
      taskKey,
      contactKey,
      usedAt: new Date(usedAt),
    })),
  };
}
