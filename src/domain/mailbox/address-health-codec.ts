import type { AddressHealth, HealthProblem, HealthStatus, RestrictionNote } from './address-health.js';

/**
 * The `health` column holds the status (queries filter on it); `health_detail` holds the rest
 * of `AddressHealth`. Decoding is defensive: anything malformed, and the untyped shapes written
 * before the state machine existed (`previousHealth`, `previousDetail`, `code`), map to the
 * closest typed state instead of failing a list.
 */
export function encodeHealth(h: AddressHealth): {
  health: HealthStatus;
  healthDetail: Record<string, unknown>;
} {
  const { status, ...rest } = h;
  return { health: status, healthDetail: { v: 1, ...rest } };
}

const STATUSES: readonly HealthStatus[] = ['ok', 'failing', 'needs_attention', 'needs_reconnect', 'disabled'];
const isStatus = (v: unknown): v is HealthStatus =>
  typeof v === 'string' && (STATUSES as string[]).includes(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const count = (v: unknown): number =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.floor(v) : 0;
const obj = (v: unknown): Record<string, unknown> | null =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;

function problemOf(v: unknown): HealthProblem | null {
  const o = obj(v);
  if (!o) return null;
  const direction = o.direction === 'receive' ? 'receive' : 'send';
  const summary = str(o.summary) ?? str(o.lastError) ?? str(o.error) ?? str(o.reason);
  if (summary === null && str(o.reply) === null) return null;
  return {
    direction,
    catalogueId: str(o.catalogueId),
    reply: str(o.reply),
    summary: summary ?? '',
    at: str(o.at) ?? str(o.since) ?? '',
  };
}

function restrictionOf(v: unknown): RestrictionNote | null {
  const o = obj(v);
  if (!o || (o.code !== 'access_list_emptied' && o.code !== 'projects_emptied')) return null;
  const kind = o.removedKind;
  return {
    code: o.code,
    removed: str(o.removed) ?? '',
    removedKind: kind === 'group' || kind === 'employee' || kind === 'project' ? kind : 'group',
    at: str(o.at) ?? '',
  };
}

export function decodeHealth(status: string, detail: unknown): AddressHealth {
  const s: HealthStatus = isStatus(status) ? status : 'ok';
  const d = obj(detail) ?? {};
  if (d.v === 1) {
    const prev = obj(d.previous);
    const prevStatus = prev && isStatus(prev.status) && prev.status !== 'disabled' ? prev.status : null;
    const streak = obj(d.streak) ?? {};
    return {
      status: s,
      since: str(d.since),
      streak: { send: count(streak.send), receive: count(streak.receive) },
      problem: problemOf(d.problem),
      previous: prevStatus
        ? { status: prevStatus, problem: problemOf(prev?.problem), since: str(prev?.since) }
        : s === 'disabled'
          ? { status: 'ok', problem: null, since: null }
          : null,
      restriction: restrictionOf(d.restriction),
    };
  }
  // Untyped rows from before the state machine.
  const legacyPrevious =
    isStatus(d.previousHealth) && d.previousHealth !== 'disabled' ? d.previousHealth : null;
  return {
    status: s,
    since: str(d.since) ?? str(d.at),
    streak: { send: count(d.failures ?? d.streak ?? d.errorStreak), receive: 0 },
    problem: s === 'disabled' ? null : problemOf(d),
    previous:
      s === 'disabled'
        ? { status: legacyPrevious ?? 'ok', problem: problemOf(d.previousDetail), since: null }
        : null,
    restriction: restrictionOf(d),
  };
}
