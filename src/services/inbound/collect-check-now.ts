import type { EmailAddressRepository } from '../../db/repositories/email-address.repository.js';
import type { MailboxSyncRepository, MailboxSyncRow } from '../../db/repositories/mailbox-sync.repository.js';
import type { WorkspaceRepository } from '../../db/repositories/workspace.repository.js';
import type { Actor } from '../../domain/actor.js';
import { AppError, notFound } from '../../domain/errors.js';
import { requireManage, scopeOfAddress } from '../mailbox/email-address-permissions.js';
import type { RateLimiter } from '../rate-limiter.js';

export interface CollectionState {
  addressId: string;
  collecting: boolean;
  checking: boolean;
  nextPollAt: Date | null;
  lastSuccessAt: Date | null;
  failureStreak: number;
  lastError: Record<string, unknown> | null;
}

const present = (
  addressId: string,
  collecting: boolean,
  s: MailboxSyncRow | null,
  now: Date,
): CollectionState => ({
  addressId,
  collecting,
  checking: !!s?.leaseUntil && s.leaseUntil.getTime() > now.getTime(),
  nextPollAt: s?.nextPollAt ?? null,
  lastSuccessAt: s?.lastSuccessAt ?? null,
  failureStreak: s?.failureStreak ?? 0,
  lastError: s?.lastError ?? null,
});

/** "Check now" and the collection status of one address (M36), for whoever may manage it. */
export function createCheckNowService(deps: {
  addresses: Pick<EmailAddressRepository, 'findById'>;
  workspaces: Pick<WorkspaceRepository, 'findById'>;
  sync: Pick<MailboxSyncRepository, 'find'>;
  poller: { requestCheck(ws: string, addressId: string, protocol: 'pop3' | 'imap'): Promise<void> };
  rateLimiter: Pick<RateLimiter, 'consume'>;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());
  const load = async (actor: Actor, addressId: string) => {
    const row = await deps.addresses.findById(actor.workspaceId, addressId);
    if (!row) throw notFound('email address', addressId);
    const ws = await deps.workspaces.findById(actor.workspaceId);
    requireManage(actor, scopeOfAddress(row), ws?.employeesManageOwnAddresses ?? true);
    return row;
  };
  return {
    async status(actor: Actor, addressId: string): Promise<CollectionState> {
      const row = await load(actor, addressId);
      const s = await deps.sync.find(actor.workspaceId, addressId);
      return present(addressId, row.active && row.collectReplies, s, now());
    },
    /** Makes the address due at once; the worker polls it within seconds. */
    async checkNow(actor: Actor, addressId: string): Promise<CollectionState> {
      const row = await load(actor, addressId);
      if (!row.active) throw new AppError('ADDRESS_DISABLED');
      if (!row.collectReplies) throw new AppError('ADDRESS_NOT_COLLECTING');
      await deps.rateLimiter.consume(`check-now:address:${addressId}`, 6, 60_000);
      await deps.poller.requestCheck(actor.workspaceId, addressId, row.incomingProtocol);
      const s = await deps.sync.find(actor.workspaceId, addressId);
      return present(addressId, true, s, now());
    },
  };
}

export type CheckNowService = ReturnType<typeof createCheckNowService>;
