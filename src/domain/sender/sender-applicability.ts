import type { ExclusionReason, SenderCandidate } from './sender-types.js';

/** The employee an address is judged for, with groups as a set for O(1) lookups. */
export interface SenderViewer {
  employeeId: string;
  groupIds: ReadonlySet<string>;
  projectId: string | null;
}

/** Health states in which the address must not send (M28, M33, M47, M50). */
const BLOCKING_HEALTH: Readonly<Partial<Record<SenderCandidate['health'], ExclusionReason>>> = {
  disabled: 'disabled',
  // M33: an authentication failure pauses the whole address until someone fixes it.
  needs_attention: 'needs_attention',
  // M47: the OAuth grant is gone; nothing can authenticate.
  needs_reconnect: 'needs_reconnect',
  // `ok` and `failing` are absent on purpose: `failing` is only an error streak and the
  // next send may succeed, so the address keeps applying.
};

/**
 * Every reason the address does not apply to the viewer (M24), in a fixed order:
 * state first (disabled, needs attention, needs reconnect), then project, then access.
 * An empty list means the address applies.
 */
export function exclusionReasons(address: SenderCandidate, viewer: SenderViewer): ExclusionReason[] {
  const reasons: ExclusionReason[] = [];
  const healthReason = BLOCKING_HEALTH[address.health];
  // A user-disabled address and an address in health `disabled` read the same to people.
  if (!address.active || healthReason === 'disabled') reasons.push('disabled');
  if (healthReason !== undefined && healthReason !== 'disabled') reasons.push(healthReason);
  if (!coversProject(address, viewer.projectId)) reasons.push('bound_to_other_projects');
  const accessReason = accessProblem(address, viewer);
  if (accessReason) reasons.push(accessReason);
  return reasons;
}

/** Empty projects = all projects. Outside any project only such addresses apply. */
export function coversProject(address: SenderCandidate, projectId: string | null): boolean {
  if (address.projectIds.length === 0) return true;
  return projectId !== null && address.projectIds.includes(projectId);
}

function accessProblem(address: SenderCandidate, viewer: SenderViewer): ExclusionReason | null {
  if (address.scope === 'employee') {
    return address.ownerEmployeeId === viewer.employeeId ? null : 'not_owner';
  }
  if (address.scope === 'company') {
    const { accessEmployeeIds, accessGroupIds } = address;
    if (accessEmployeeIds.length === 0 && accessGroupIds.length === 0) return null;
    if (accessEmployeeIds.includes(viewer.employeeId)) return null;
    for (const groupId of accessGroupIds) if (viewer.groupIds.has(groupId)) return null;
    return 'no_access';
  }
  // Unknown scope (bad data): never let it send.
  return 'no_access';
}
