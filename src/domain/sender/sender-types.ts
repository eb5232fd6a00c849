/**
 * Types of the sender choice (SPEC §3, M24–M28). Pure data: the service layer loads the
 * candidates and the employee's usage history, `resolveSender` decides.
 */

/** Health of an address (M50). */
export type SenderHealth = 'ok' | 'failing' | 'needs_attention' | 'needs_reconnect' | 'disabled';

/** One external email address that could be the sender. */
export interface SenderCandidate {
  id: string;
  scope: 'company' | 'employee';
  /** Owner of an employee-scope address; null for company scope. */
  ownerEmployeeId: string | null;
  email: string;
  displayName: string;
  /** False when a user disabled the address. */
  active: boolean;
  health: SenderHealth;
  /** Projects the address is for; empty = all projects (M13). */
  projectIds: readonly string[];
  /** Company scope: employees and groups with access; both empty = everyone (M13). */
  accessEmployeeIds: readonly string[];
  accessGroupIds: readonly string[];
  createdAt: Date;
}

/** One past use of an address by THIS employee (the employee of the context). */
export interface SenderUsage {
  addressId: string;
  taskId: string | null;
  contactId: string | null;
  usedAt: Date;
}

/** Everything the decision depends on, for one employee writing in one project. */
export interface SenderContext {
  employeeId: string;
  employeeGroupIds: readonly string[];
  /** null = writing outside any project: only addresses for all projects apply. */
  projectId: string | null;
  /** Task being written in: drives the "used last in this task" tie-break and, with contactId, M27. */
  taskId?: string | null;
  /** Contact being written to: with taskId, the thread of M27 is looked up in `usage`. */
  contactId?: string | null;
  /**
   * Explicit M27 input: the address the thread last used with the contact (possibly used by
   * another employee, which `usage` cannot know). When a string, it wins over `usage`.
   */
  threadLastAddressId?: string | null;
  /**
   * Every address that could matter: company ones and this employee's own. Other employees'
   * personal addresses may be included; they are reported as excluded (`not_owner`).
   * Ids must be unique.
   */
  candidates: readonly SenderCandidate[];
  usage: readonly SenderUsage[];
  /** Operator-configured fallback (env config); null/absent = none. */
  systemSender?: { email: string; displayName: string } | null;
}

/** Why a considered address does not apply (M28). */
export type ExclusionReason =
  | 'disabled'
  | 'needs_attention'
  | 'needs_reconnect'
  | 'bound_to_other_projects'
  | 'no_access'
  | 'not_owner';

/** Which rule put an option where it is (M25 steps, M27 thread continuation). */
export type SenderRule =
  | 'thread_continuation'
  | 'own_bound_to_project'
  | 'own_all_projects'
  | 'company_bound_to_project'
  | 'company_all_projects'
  | 'system_sender';

/**
 * Which tie-break (M25) made this address first among several in its step:
 * used last in this task, used last anywhere, oldest, or — same creation time — id order.
 */
export type SenderTieBreak = 'last_used_in_task' | 'last_used' | 'oldest' | 'id_order';

/** The data needed to say "employee X in project Y will send as …, because …". */
export interface SenderReason {
  rule: SenderRule;
  employeeId: string;
  projectId: string | null;
  /** Set on the first address of a step that had several applicable addresses. */
  tieBreak?: SenderTieBreak;
  /** How many applicable addresses shared the step (set together with tieBreak). */
  tiedCount?: number;
  /** The use that decided: with tieBreak last_used*, or the thread's last use (M27, from usage). */
  lastUsedAt?: Date;
  /** Thread continuation only: the task and contact of the thread. */
  taskId?: string | null;
  contactId?: string | null;
}

/** One sender that can be offered in the composer (M26). */
export interface SenderOption {
  kind: 'address' | 'system';
  /** null for the system sender. */
  addressId: string | null;
  email: string;
  displayName: string;
  /** The M25 step the address belongs to (5 = system sender), also when M27 made it the default. */
  step: 1 | 2 | 3 | 4 | 5;
  because: SenderReason;
}

/** A considered address that does not apply, with every reason (at least one). */
export interface SenderExclusion {
  address: SenderCandidate;
  reasons: ExclusionReason[];
}

/** What happened with the M27 thread address, when there was one. */
export interface ThreadContinuation {
  addressId: string;
  /** True when it still applied and became the default. */
  applied: boolean;
  /** Where it came from: `threadLastAddressId` or the employee's usage in (task, contact). */
  source: 'explicit' | 'usage';
}

/** The sender preview (M28) and the composer's offer (M26). */
export interface SenderDecision {
  employeeId: string;
  projectId: string | null;
  /** null → nothing applies: the comment is saved, no email is sent (M25 last paragraph). */
  default: SenderOption | null;
  /** Every applicable address, default first, then in precedence order; or only the system sender. */
  choices: SenderOption[];
  /** Every considered address that does not apply, own first, then company, then others'. */
  excluded: SenderExclusion[];
  systemSenderUsed: boolean;
  thread: ThreadContinuation | null;
}

/** Result of checking the sender an author picked (M26). */
export type SenderCheckResult =
  | { ok: true; option: SenderOption }
  | { ok: false; reasons: ExclusionReason[] | ['unknown'] };
