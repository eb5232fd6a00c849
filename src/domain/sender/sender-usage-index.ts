import type { SenderUsage } from './sender-types.js';

/** Last uses of one address by the employee, as epoch ms; -Infinity = never. */
export interface AddressUsageStats {
  lastInTask: number;
  lastAnywhere: number;
}

/** The employee's usage, indexed once per call so ranking never rescans it. */
export interface UsageIndex {
  byAddress: ReadonlyMap<string, AddressUsageStats>;
  /** The latest use in (taskId, contactId): the thread address of M27 as far as usage knows. */
  thread: { addressId: string; usedAt: number } | null;
}

const NEVER: AddressUsageStats = {
  lastInTask: Number.NEGATIVE_INFINITY,
  lastAnywhere: Number.NEGATIVE_INFINITY,
};

/** Stats for an address, never undefined. */
export function statsFor(index: UsageIndex, addressId: string): AddressUsageStats {
  return index.byAddress.get(addressId) ?? NEVER;
}

/**
 * One pass over the usage history (O(m)). Uses with an invalid date are ignored. Two uses
 * at the very same instant in the thread are broken by the smaller address id, so the
 * result never depends on the order of the array.
 */
export function indexUsage(
  usage: readonly SenderUsage[],
  taskId: string | null,
  contactId: string | null,
): UsageIndex {
  const byAddress = new Map<string, AddressUsageStats>();
  let thread: { addressId: string; usedAt: number } | null = null;
  for (const use of usage) {
    const at = use.usedAt.getTime();
    if (Number.isNaN(at)) continue;
    let stats = byAddress.get(use.addressId);
    if (!stats) {
      stats = { lastInTask: Number.NEGATIVE_INFINITY, lastAnywhere: Number.NEGATIVE_INFINITY };
      byAddress.set(use.addressId, stats);
    }
    if (at > stats.lastAnywhere) stats.lastAnywhere = at;
    if (taskId !== null && use.taskId === taskId) {
      if (at > stats.lastInTask) stats.lastInTask = at;
      if (contactId !== null && use.contactId === contactId && isLater(at, use.addressId, thread)) {
        thread = { addressId: use.addressId, usedAt: at };
      }
    }
  }
  return { byAddress, thread };
}

function isLater(
  at: number,
  addressId: string,
  current: { addressId: string; usedAt: number } | null,
): boolean {
  if (current === null || at > current.usedAt) return true;
  return at === current.usedAt && addressId < current.addressId;
}
