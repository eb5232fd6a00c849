import { sql } from 'drizzle-orm';
import { Type } from 'typebox';
import { type HealthEvent, nextHealth } from '../../domain/mailbox/address-health.js';
import { decodeHealth, encodeHealth } from '../../domain/mailbox/address-health-codec.js';
import type { DbOrTx } from '../database.js';
import { rowDecoder } from '../raw-rows.js';

/** health_detail stays raw here: `decodeHealth` is its typed decoder. */
const decodeNarrowed = rowDecoder(
  'addresses narrowed by a deletion',
  Type.Object({
    id: Type.String(),
    email: Type.String(),
    health: Type.String(),
    health_detail: Type.Unknown(),
  }),
);

/** What is about to be deleted that address restrictions may point at. */
export type RestrictionTarget =
  | { kind: 'group'; id: string; name: string }
  | { kind: 'employee'; id: string; name: string }
  | { kind: 'project'; id: string; name: string };

export type NarrowingCode = 'access_list_emptied' | 'projects_emptied';

/**
 * Disables every address whose access list (group, employee) or project list consists only of
 * `target`, before the target's delete cascades those rows away: an emptied list would read as
 * "everyone" / "all projects", widening an address nobody chose to widen (M13, M24). Returns
 * the addresses disabled, for the audit log. Runs inside the deleting transaction.
 */
export async function disableAddressesRestrictedTo(
  tx: DbOrTx,
  workspaceId: string,
  target: RestrictionTarget,
  at: Date,
): Promise<{ id: string; email: string; code: NarrowingCode }[]> {
  const only =
    target.kind === 'project'
      ? sql`SELECT address_id FROM email_address_projects WHERE workspace_id = ${workspaceId}
            GROUP BY address_id HAVING bool_and(COALESCE(project_id = ${target.id}, false))`
      : target.kind === 'group'
        ? sql`SELECT address_id FROM email_address_access WHERE workspace_id = ${workspaceId}
              GROUP BY address_id HAVING bool_and(COALESCE(group_id = ${target.id}, false))`
        : sql`SELECT address_id FROM email_address_access WHERE workspace_id = ${workspaceId}
              GROUP BY address_id HAVING bool_and(COALESCE(employee_id = ${target.id}, false))`;
  const code: NarrowingCode = target.kind === 'project' ? 'projects_emptied' : 'access_list_emptied';
  const result = await tx.execute(sql`
    SELECT id, email, health, health_detail FROM email_addresses
    WHERE workspace_id = ${workspaceId} AND id IN (${only})
    FOR UPDATE`);
  const rows = decodeNarrowed(result);
  const event: HealthEvent = {
    type: 'restriction_emptied',
    restriction: { code, removed: target.name, removedKind: target.kind, at: at.toISOString() },
    at: at.toISOString(),
  };
  for (const row of rows) {
    const t = nextHealth(decodeHealth(row.health, row.health_detail), event);
    if (!t.ok) continue; // restriction_emptied is always accepted; the guard keeps the types honest
    const { health, healthDetail } = encodeHealth(t.health);
    await tx.execute(sql`
      UPDATE email_addresses SET active = false, health = ${health},
        health_detail = ${JSON.stringify(healthDetail)}::jsonb, updated_at = ${at.toISOString()}
      WHERE workspace_id = ${workspaceId} AND id = ${row.id}`);
  }
  return rows.map((r) => ({ id: r.id, email: r.email, code }));
}
