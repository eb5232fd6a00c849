/**
 * Health of an external address as a typed state machine (M33, M47, M50; issue 8 item 10).
 * Every writer — the settings dialog, deleting what an address was restricted to, the outbox
 * worker, the poller, OAuth — moves it only through `nextHealth`, so the status and what it
 * remembers (the problem, the failure streak, what it was before being disabled, a pending
 * restriction review) never disagree.
 */
export type HealthStatus = 'ok' | 'failing' | 'needs_attention' | 'needs_reconnect' | 'disabled';
export type HealthDirection = 'send' | 'receive';

/** The failure that put the address in its status (texts already sanitised). */
export interface HealthProblem {
  direction: HealthDirection;
  /** Error-catalogue entry that explains it (M42), when one does. */
  catalogueId: string | null;
  /** The server's reply, sanitised and capped. */
  reply: string | null;
  /** Short technical summary for the tooltip and logs (failure kind/code); never a secret. */
  summary: string;
  at: string;
}

/** Deleting the only group/employee/project an address was restricted to disabled it (M13, M24). */
export interface RestrictionNote {
  code: 'access_list_emptied' | 'projects_emptied';
  removed: string;
  removedKind: 'group' | 'employee' | 'project';
  at: string;
}

export interface AddressHealth {
  status: HealthStatus;
  /** When the status last changed (ISO), null when unknown. */
  since: string | null;
  /** Consecutive failures per direction that did not pause the address. */
  streak: { send: number; receive: number };
  problem: HealthProblem | null;
  /** While disabled: the state enabling restores (a pause nobody fixed stays a pause). */
  previous: {
    status: Exclude<HealthStatus, 'disabled'>;
    problem: HealthProblem | null;
    since: string | null;
  } | null;
  /** Set while the access/project list must be stated again before enabling. */
  restriction: RestrictionNote | null;
}

export type HealthEvent =
  /** A test passed for the address's (possibly changed) settings: lifts pauses (M33, M47). */
  | { type: 'settings_verified'; at: string }
  | { type: 'succeeded'; direction: HealthDirection; at: string }
  /** A failure that does not pause (network, 4xx, timeouts…): counts towards `failing`. */
  | { type: 'failed'; direction: HealthDirection; problem: HealthProblem; at: string }
  /** The server refused the credentials: pause the address (M33). */
  | { type: 'auth_failed'; direction: HealthDirection; problem: HealthProblem; at: string }
  /** The OAuth grant is gone (invalid_grant, revoked): reconnect needed (M47). */
  | { type: 'grant_lost'; problem: HealthProblem; at: string }
  | { type: 'disabled'; at: string }
  | { type: 'enabled'; at: string }
  | { type: 'restriction_emptied'; restriction: RestrictionNote; at: string }
  /** The request that enables the address states its access/project list again. */
  | { type: 'restriction_restated'; at: string };

/** Failures in a row (per direction) before an address reads as `failing` (M50). */
export const FAILING_AFTER = 3;

const PAUSED: ReadonlySet<HealthStatus> = new Set(['needs_attention', 'needs_reconnect']);

export type HealthTransition =
  | { ok: true; health: AddressHealth; changed: boolean }
  | { ok: false; error: 'restriction_review_required'; restriction: RestrictionNote };

export function initialHealth(active: boolean, at: string): AddressHealth {
  return {
    status: active ? 'ok' : 'disabled',
    since: at,
    streak: { send: 0, receive: 0 },
    problem: null,
    previous: active ? null : { status: 'ok', problem: null, since: at },
    restriction: null,
  };
}

/** Whether sending/polling may use the address (paused and disabled addresses are left alone). */
export function isUsable(status: HealthStatus): boolean {
  return status === 'ok' || status === 'failing';
}

/** Applies one event. `changed` is true exactly when the status changed: notify once per change. */
export function nextHealth(current: AddressHealth, event: HealthEvent): HealthTransition {
  const next = apply(current, event);
  if (!('status' in next)) return next;
  const changed = next.status !== current.status;
  return { ok: true, health: changed ? { ...next, since: event.at } : next, changed };
}

const cleanStreak = { send: 0, receive: 0 };

function apply(h: AddressHealth, e: HealthEvent): AddressHealth | Extract<HealthTransition, { ok: false }> {
  if (h.status === 'disabled') {
    switch (e.type) {
      case 'settings_verified':
        return { ...h, previous: { status: 'ok', problem: null, since: e.at } };
      case 'enabled': {
        if (h.restriction)
          return { ok: false, error: 'restriction_review_required', restriction: h.restriction };
        const prev = h.previous ?? { status: 'ok' as const, problem: null, since: null };
        return {
          status: prev.status,
          since: prev.since,
          streak: prev.status === 'failing' ? h.streak : cleanStreak,
          problem: prev.problem,
          previous: null,
          restriction: null,
        };
      }
      case 'restriction_emptied':
        return { ...h, restriction: e.restriction };
      case 'restriction_restated':
        return { ...h, restriction: null };
      case 'grant_lost':
        // Still true when it is enabled again: remember it.
        return { ...h, previous: { status: 'needs_reconnect', problem: e.problem, since: e.at } };
      default:
        // Work already in flight when it was disabled: nothing to remember.
        return h;
    }
  }
  switch (e.type) {
    case 'settings_verified':
      return { ...h, status: 'ok', streak: cleanStreak, problem: null, previous: null };
    case 'enabled':
    case 'restriction_restated':
      return { ...h, restriction: null };
    case 'disabled':
      return disable(h, null);
    case 'restriction_emptied':
      return disable(h, e.restriction);
    case 'grant_lost':
      return { ...h, status: 'needs_reconnect', streak: cleanStreak, problem: e.problem };
    case 'auth_failed':
      // A lost grant is the more specific diagnosis: keep it.
      if (h.status === 'needs_reconnect') return h;
      return { ...h, status: 'needs_attention', streak: cleanStreak, problem: e.problem };
    case 'failed': {
      if (PAUSED.has(h.status)) return h;
      const streak = { ...h.streak, [e.direction]: h.streak[e.direction] + 1 };
      const failing = streak.send >= FAILING_AFTER || streak.receive >= FAILING_AFTER;
      return { ...h, status: failing ? 'failing' : h.status, streak, problem: e.problem };
    }
    case 'succeeded': {
      if (PAUSED.has(h.status)) return h;
      const streak = { ...h.streak, [e.direction]: 0 };
      const failing = streak.send >= FAILING_AFTER || streak.receive >= FAILING_AFTER;
      const clean = streak.send === 0 && streak.receive === 0;
      return {
        ...h,
        status: failing ? 'failing' : 'ok',
        streak,
        problem: clean ? null : h.problem,
      };
    }
  }
}

function disable(h: AddressHealth, restriction: RestrictionNote | null): AddressHealth {
  const status = h.status as Exclude<HealthStatus, 'disabled'>;
  return {
    status: 'disabled',
    since: h.since,
    streak: h.streak,
    problem: null,
    previous: { status, problem: h.problem, since: h.since },
    restriction: restriction ?? h.restriction,
  };
}
