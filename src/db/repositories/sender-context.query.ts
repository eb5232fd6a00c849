import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../database.js';

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
type CandidateTuple = [
  string,
  Candidate['scope'],
  string | null,
  string,
  string,
  boolean,
  Candidate['health'],
  string,
  string[],
  string[],
  string[],
];

interface RawRow {
  workspace_name: string;
  employee: SenderContextRow['employee'];
  project: SenderContextRow['project'];
  group_ids: string[] | null;
  /** [id, scope, owner, email, displayName, active, health, createdAt, projectIds, accessEmployeeIds, accessGroupIds] */
  candidates: CandidateTuple[] | null;
  /** [addressId, taskKey, contactKey, usedAt] */
  usage: [string, string, string, string][] | null;
}

/**
 * Everything sender choice needs for (employee, project) in ONE round trip (M24–M28): the
 * employee and project names, the employee's groups, every company address and their own
 * with project bindings and access lists, and their sending history. Sender preview runs on
 * every composer open, so it must cost one query, not eight (bench/sender-resolution).
 */
export async function loadSenderContext(
  db: DbOrTx,
  workspaceId: string,
  employeeId: string,
  projectId: string | null,
): Promise<SenderContextRow> {
  // Candidates come back as positional JSON arrays, and their project/access links are
  // aggregated once per query (GROUP BY) rather than looked up per address: both matter
  // when a workspace has hundreds of company addresses (bench/sender-resolution).
  const result = await db.execute(sql`
    WITH cand AS (
      SELECT a.id, a.scope, a.owner_employee_id, a.email, a.display_name, a.active, a.health, a.created_at
      FROM email_addresses a
      WHERE a.workspace_id = ${workspaceId} AND (a.scope = 'company' OR a.owner_employee_id = ${employeeId})
    ), proj AS (
      SELECT ap.address_id, array_agg(ap.project_id) AS ids
      FROM email_address_projects ap JOIN cand ON cand.id = ap.address_id GROUP BY ap.address_id
    ), acc AS (
      SELECT ax.address_id,
        array_agg(ax.employee_id) FILTER (WHERE ax.employee_id IS NOT NULL) AS employees,
        array_agg(ax.group_id) FILTER (WHERE ax.group_id IS NOT NULL) AS groups
      FROM email_address_access ax JOIN cand ON cand.id = ax.address_id GROUP BY ax.address_id
    )
    SELECT
      (SELECT w.name FROM workspaces w WHERE w.id = ${workspaceId}) AS workspace_name,
      (SELECT json_build_object('id', e.id, 'name', e.name) FROM employees e
        WHERE e.workspace_id = ${workspaceId} AND e.id = ${employeeId}) AS employee,
      (SELECT json_build_object('id', p.id, 'name', p.name) FROM projects p
        WHERE p.workspace_id = ${workspaceId} AND p.id = ${projectId}) AS project,
      (SELECT array_agg(gm.group_id) FROM group_members gm
        WHERE gm.workspace_id = ${workspaceId} AND gm.employee_id = ${employeeId}) AS group_ids,
      (SELECT json_agg(json_build_array(c.id, c.scope, c.owner_employee_id, c.email, c.display_name, c.active,
          c.health, c.created_at, COALESCE(proj.ids, '{}'), COALESCE(acc.employees, '{}'), COALESCE(acc.groups, '{}')))
        FROM cand c LEFT JOIN proj ON proj.address_id = c.id LEFT JOIN acc ON acc.address_id = c.id) AS candidates,
      (SELECT json_agg(json_build_array(u.address_id, u.task_key, u.contact_key, u.used_at))
        FROM sender_usage u WHERE u.workspace_id = ${workspaceId} AND u.employee_id = ${employeeId}) AS usage
  `);
  const row = (result as unknown as { rows: RawRow[] }).rows[0]!;
  return {
    workspaceName: row.workspace_name ?? '',
    employee: row.employee,
    project: projectId ? row.project : null,
    groupIds: row.group_ids ?? [],
    candidates: (row.candidates ?? []).map(
      ([
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
      ]) => ({
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
      }),
    ),
    usage: (row.usage ?? []).map(([addressId, taskKey, contactKey, usedAt]) => ({
      addressId,
      taskKey,
      contactKey,
      usedAt: new Date(usedAt),
    })),
  };
}
