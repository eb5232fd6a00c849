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

interface RawRow {
  workspace_name: string;
  employee: SenderContextRow['employee'];
  project: SenderContextRow['project'];
  group_ids: string[] | null;
  candidates: (Omit<SenderContextRow['candidates'][number], 'createdAt'> & { createdAt: string })[] | null;
  usage: { addressId: string; taskKey: string; contactKey: string; usedAt: string }[] | null;
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
  const result = await db.execute(sql`
    SELECT
      (SELECT w.name FROM workspaces w WHERE w.id = ${workspaceId}) AS workspace_name,
      (SELECT json_build_object('id', e.id, 'name', e.name) FROM employees e
        WHERE e.workspace_id = ${workspaceId} AND e.id = ${employeeId}) AS employee,
      (SELECT json_build_object('id', p.id, 'name', p.name) FROM projects p
        WHERE p.workspace_id = ${workspaceId} AND p.id = ${projectId}) AS project,
      (SELECT array_agg(gm.group_id) FROM group_members gm
        WHERE gm.workspace_id = ${workspaceId} AND gm.employee_id = ${employeeId}) AS group_ids,
      (SELECT json_agg(json_build_object(
          'id', a.id, 'scope', a.scope, 'ownerEmployeeId', a.owner_employee_id, 'email', a.email,
          'displayName', a.display_name, 'active', a.active, 'health', a.health, 'createdAt', a.created_at,
          'projectIds', COALESCE((SELECT array_agg(ap.project_id) FROM email_address_projects ap WHERE ap.address_id = a.id), '{}'),
          'accessEmployeeIds', COALESCE((SELECT array_agg(ax.employee_id) FROM email_address_access ax WHERE ax.address_id = a.id AND ax.employee_id IS NOT NULL), '{}'),
          'accessGroupIds', COALESCE((SELECT array_agg(ax.group_id) FROM email_address_access ax WHERE ax.address_id = a.id AND ax.group_id IS NOT NULL), '{}')))
        FROM email_addresses a
        WHERE a.workspace_id = ${workspaceId} AND (a.scope = 'company' OR a.owner_employee_id = ${employeeId})) AS candidates,
      (SELECT json_agg(json_build_object('addressId', u.address_id, 'taskKey', u.task_key, 'contactKey', u.contact_key, 'usedAt', u.used_at))
        FROM sender_usage u WHERE u.workspace_id = ${workspaceId} AND u.employee_id = ${employeeId}) AS usage
  `);
  const row = (result as unknown as { rows: RawRow[] }).rows[0]!;
  return {
    workspaceName: row.workspace_name ?? '',
    employee: row.employee,
    project: projectId ? row.project : null,
    groupIds: row.group_ids ?? [],
    candidates: (row.candidates ?? []).map((c) => ({ ...c, createdAt: new Date(c.createdAt) })),
    usage: (row.usage ?? []).map((u) => ({ ...u, usedAt: new Date(u.usedAt) })),
  };
}
