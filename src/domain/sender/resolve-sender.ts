/**
 * Sender choice (SPEC §3, M24–M28): which external address an employee's email goes out
 * from, what else they may pick, and why every other address was left out.
 *
 * Decisions taken here (the spec leaves them open):
 * - An address applies only when `active` and its health is not `disabled`,
 *   `needs_attention` (M33: auth failure pauses the address) or `needs_reconnect` (M47).
 *   `failing` still applies: it is an error streak, and the next send may succeed.
 * - `projectId: null` (writing outside any project): only addresses for all projects
 *   apply; addresses bound to projects are excluded as `bound_to_other_projects`.
 * - Every reason is reported, not just the first, in the order of `ExclusionReason`.
 * - The system sender is offered only when no address applies (SPEC §1: "used only when
 *   nobody's external address applies"); then it is the default and the only choice.
 * - M27: `threadLastAddressId` (when a string) wins over the employee's own usage in
 *   (taskId, contactId), since another employee may have continued the thread. If that
 *   address no longer applies, it is ignored and the M25 order decides.
 * - Ties: used last in this task, then used last anywhere, then oldest, then smaller id,
 *   so the result never depends on the order of the input arrays.
 * Cost: O(m) over usage (indexed once) + O(n log n) over candidates.
 */
import { exclusionReasons, type SenderViewer } from './sender-applicability.js';
import type {
  SenderCandidate,
  SenderCheckResult,
  SenderContext,
  SenderDecision,
  SenderExclusion,
  SenderOption,
  SenderReason,
  SenderRule,
  SenderTieBreak,
  ThreadContinuation,
} from './sender-types.js';
import { indexUsage, statsFor } from './sender-usage-index.js';

export type {
  ExclusionReason,
  SenderCandidate,
  SenderCheckResult,
  SenderContext,
  SenderDecision,
  SenderExclusion,
  SenderHealth,
  SenderOption,
  SenderReason,
  SenderRule,
  SenderTieBreak,
  SenderUsage,
  ThreadContinuation,
} from './sender-types.js';

type AddressStep = 1 | 2 | 3 | 4;

/** An applicable address with its sort keys precomputed (no Date work inside the comparator). */
interface Ranked {
  address: SenderCandidate;
  step: AddressStep;
  lastInTask: number;
  lastAnywhere: number;
  created: number;
}

const STEP_RULE: Record<AddressStep, SenderRule> = {
  1: 'own_bound_to_project',
  2: 'own_all_projects',
  3: 'company_bound_to_project',
  4: 'company_all_projects',
};

/** Decide the default sender, the choices and the exclusions for one employee in one project. */
export function resolveSender(ctx: SenderContext): SenderDecision {
  const taskId = ctx.taskId ?? null;
  const contactId = ctx.contactId ?? null;
  const viewer: SenderViewer = {
    employeeId: ctx.employeeId,
    groupIds: new Set(ctx.employeeGroupIds),
    projectId: ctx.projectId,
  };
  const usage = indexUsage(ctx.usage, taskId, contactId);

  const applicable: Ranked[] = [];
  const excluded: SenderExclusion[] = [];
  for (const address of ctx.candidates) {
    const reasons = exclusionReasons(address, viewer);
    if (reasons.length > 0) {
      excluded.push({ address, reasons });
      continue;
    }
    const stats = statsFor(usage, address.id);
    applicable.push({
      address,
      step: stepOf(address),
      lastInTask: stats.lastInTask,
      lastAnywhere: stats.lastAnywhere,
      created: createdMs(address),
    });
  }
  applicable.sort(compareRanked);
  excluded.sort((a, b) => compareExcluded(a.address, b.address, ctx.employeeId));

  const base = { employeeId: ctx.employeeId, projectId: ctx.projectId };
  const choices = applicable.map((ranked, i) => toOption(ranked, stepReason(applicable, i, base)));

  const threadSource = ctx.threadLastAddressId;
  const threadId = typeof threadSource === 'string' ? threadSource : (usage.thread?.addressId ?? null);
  let thread: ThreadContinuation | null = null;
  if (threadId !== null) {
    const at = choices.findIndex((option) => option.addressId === threadId);
    thread = {
      addressId: threadId,
      applied: at >= 0,
      source: typeof threadSource === 'string' ? 'explicit' : 'usage',
    };
    if (at >= 0) {
      const [picked] = choices.splice(at, 1);
      const because: SenderReason = { rule: 'thread_continuation', ...base, taskId, contactId };
      if (thread.source === 'usage' && usage.thread) because.lastUsedAt = new Date(usage.thread.usedAt);
      choices.unshift({ ...picked!, because });
    }
  }

  let systemSenderUsed = false;
  if (choices.length === 0 && ctx.systemSender) {
    choices.push({
      kind: 'system',
      addressId: null,
      email: ctx.systemSender.email,
      displayName: ctx.systemSender.displayName,
      step: 5,
      because: { rule: 'system_sender', ...base },
    });
    systemSenderUsed = true;
  }

  return { ...base, default: choices[0] ?? null, choices, excluded, systemSenderUsed, thread };
}

/**
 * M26: accept the sender an author picked only if it applies. Refusals carry the same
 * reasons as the preview, or `['unknown']` for an id that is not among the candidates.
 */
export function checkChosenSender(ctx: SenderContext, addressId: string): SenderCheckResult {
  const decision = resolveSender(ctx);
  const option = decision.choices.find(
    (choice) => choice.kind === 'address' && choice.addressId === addressId,
  );
  if (option) return { ok: true, option };
  const exclusion = decision.excluded.find((entry) => entry.address.id === addressId);
  if (exclusion) return { ok: false, reasons: [...exclusion.reasons] };
  return { ok: false, reasons: ['unknown'] };
}

function stepOf(address: SenderCandidate): AddressStep {
  const bound = address.projectIds.length > 0;
  if (address.scope === 'employee') return bound ? 1 : 2;
  return bound ? 3 : 4;
}

/** Unreadable creation dates rank as newest, so they never win "oldest" by accident. */
function createdMs(address: SenderCandidate): number {
  const ms = address.createdAt.getTime();
  return Number.isNaN(ms) ? Number.POSITIVE_INFINITY : ms;
}

/** Step, then M25 ties: later in-task use, later use anywhere, older, smaller id. */
function compareRanked(a: Ranked, b: Ranked): number {
  if (a.step !== b.step) return a.step - b.step;
  if (a.lastInTask !== b.lastInTask) return a.lastInTask > b.lastInTask ? -1 : 1;
  if (a.lastAnywhere !== b.lastAnywhere) return a.lastAnywhere > b.lastAnywhere ? -1 : 1;
  if (a.created !== b.created) return a.created < b.created ? -1 : 1;
  return compareIds(a.address.id, b.address.id);
}

/** The first M25 tie-break criterion that separates two addresses of the same step. */
function decidingTieBreak(a: Ranked, b: Ranked): SenderTieBreak {
  if (a.lastInTask !== b.lastInTask) return 'last_used_in_task';
  if (a.lastAnywhere !== b.lastAnywhere) return 'last_used';
  if (a.created !== b.created) return 'oldest';
  return 'id_order';
}

/** The reason of the i-th ranked address; the first of a crowded step says which tie-break won. */
function stepReason(
  ranked: readonly Ranked[],
  i: number,
  base: { employeeId: string; projectId: string | null },
): SenderReason {
  const current = ranked[i]!;
  const reason: SenderReason = { rule: STEP_RULE[current.step], ...base };
  const previous = ranked[i - 1];
  const next = ranked[i + 1];
  if (previous?.step === current.step || next?.step !== current.step) return reason;
  let end = i + 1;
  while (ranked[end]?.step === current.step) end++;
  reason.tieBreak = decidingTieBreak(current, next);
  reason.tiedCount = end - i;
  if (reason.tieBreak === 'last_used_in_task') reason.lastUsedAt = new Date(current.lastInTask);
  if (reason.tieBreak === 'last_used') reason.lastUsedAt = new Date(current.lastAnywhere);
  return reason;
}

function toOption(ranked: Ranked, because: SenderReason): SenderOption {
  const { address } = ranked;
  return {
    kind: 'address',
    addressId: address.id,
    email: address.email,
    displayName: address.displayName,
    step: ranked.step,
    because,
  };
}

/** Preview order of exclusions: the employee's own, then company, then other people's. */
function compareExcluded(a: SenderCandidate, b: SenderCandidate, employeeId: string): number {
  const group = (c: SenderCandidate): number =>
    c.scope === 'company' ? 1 : c.ownerEmployeeId === employeeId ? 0 : 2;
  const byGroup = group(a) - group(b);
  if (byGroup !== 0) return byGroup;
  const ca = createdMs(a);
  const cb = createdMs(b);
  if (ca !== cb) return ca < cb ? -1 : 1;
  return compareIds(a.id, b.id);
}

/** Code-unit order: stable across locales, unlike localeCompare. */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
