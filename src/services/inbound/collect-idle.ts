import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EmailAddressRepository } from '../../db/repositories/email-address.repository.js';
import type { MailboxSyncRepository } from '../../db/repositories/mailbox-sync.repository.js';
import type { ImapMailbox, ImapMailboxSession } from '../../ports/imap-mailbox.js';
import type { MailboxPoller } from './poll-mailboxes.js';

const LEASE_MS = 90_000;
const RENEW_EVERY_MS = 30_000;
/** RFC 2177: re-issue IDLE at least every 29 minutes; a fresh connection every 25 is simpler. */
const CONNECTION_MS = 25 * 60_000;
const NO_IDLE_RETRY_MS = 60 * 60_000;
const FAILURE_RETRY_MS = 60_000;
/**
 * Polls that notices start are at least this far apart: a server announcing a new message on
 * every IDLE would otherwise get full polls back to back for the connection's 25 minutes. One
 * poll collects everything new, so a notice that waits loses nothing.
 */
export const MIN_IDLE_POLL_GAP_MS = 1_000;

const pause = (ms: number, signal: AbortSignal): Promise<void> =>
  sleep(ms, undefined, { signal }).catch(() => {});

/**
 * "Replies in seconds" (issue 10 item 3): for IMAP addresses whose server announces IDLE, this
 * process holds one IDLE connection per address, up to `maxConnections`; the rest are polled.
 * The watcher holds the address's lease the whole time (renewed), so no other process polls
 * it meanwhile, and each "new message" notice runs a normal poll through that lease.
 */
export function createIdleWatchers(deps: {
  sync: Pick<MailboxSyncRepository, 'idleCandidates' | 'claimOne' | 'renew' | 'release'>;
  addresses: Pick<EmailAddressRepository, 'findById'>;
  poller: Pick<MailboxPoller, 'held' | 'pollHeld' | 'settingsFor'>;
  imap: ImapMailbox;
  maxConnections: number;
  now?: () => Date;
  /** Waits (resolves early when the signal aborts); tests pass a clock of their own. */
  pause?: (ms: number, signal: AbortSignal) => Promise<void>;
  onError?: (err: unknown, context: Record<string, unknown>) => void;
}) {
  const now = deps.now ?? (() => new Date());
  const watching = new Map<string, Promise<void>>();
  const retryAt = new Map<string, number>();
  const report = deps.onError ?? (() => {});
  const wait = deps.pause ?? pause;
  /** Waiting for an address's connection to enter IDLE (`whenIdling`, tests). */
  const idlingWaiters = new Map<string, Array<() => void>>();
  const idlingNow = (addressId: string) => {
    const waiters = idlingWaiters.get(addressId) ?? [];
    idlingWaiters.delete(addressId);
    for (const w of waiters) w();
  };

  async function watch(workspaceId: string, addressId: string, token: string, signal: AbortSignal) {
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    const renew = setInterval(() => {
      deps.sync
        .renew(addressId, token, new Date(now().getTime() + LEASE_MS))
        .then((ok) => {
          if (!ok) stop.abort();
        })
        .catch(() => stop.abort());
    }, RENEW_EVERY_MS);
    let session: ImapMailboxSession | null = null;
    try {
      // Catch up first (also proves the settings work).
      await deps.poller.pollHeld(workspaceId, addressId, token, stop.signal);
      const address = await deps.addresses.findById(workspaceId, addressId);
      if (!address?.active || address.incomingProtocol !== 'imap') return;
      const settings = await deps.poller.settingsFor(address, stop.signal);
      const endAt = Date.now() + CONNECTION_MS;
      session = await deps.imap.open(settings, { deadline: endAt + 60_000, signal: stop.signal });
      const box = await session.select(false);
      if (!box.idle) {
        retryAt.set(addressId, Date.now() + NO_IDLE_RETRY_MS);
        return;
      }
      // The first notice polls at once (the catch-up above does not count): replies in seconds.
      let lastPoll = Number.NEGATIVE_INFINITY;
      while (!stop.signal.aborted && Date.now() < endAt) {
        const news = await session.waitForNew(endAt - Date.now(), stop.signal, () => idlingNow(addressId));
        if (!news || stop.signal.aborted) continue;
        const early = lastPoll + MIN_IDLE_POLL_GAP_MS - now().getTime();
        if (early > 0) await wait(early, stop.signal);
        if (stop.signal.aborted) break;
        lastPoll = now().getTime();
        await deps.poller.pollHeld(workspaceId, addressId, token, stop.signal);
      }
    } catch (err) {
      retryAt.set(addressId, Date.now() + FAILURE_RETRY_MS);
      if (!stop.signal.aborted) report(err, { addressId, step: 'idle' });
    } finally {
      clearInterval(renew);
      signal.removeEventListener('abort', onAbort);
      session?.abort();
      deps.poller.held.delete(addressId);
      // Due at once for the regular poller (nothing may have been collected since the last notice).
      await deps.sync.release(addressId, token, {}).catch(() => {});
    }
  }

  return {
    /** Starts watchers for free IMAP addresses up to the cap. */
    async fill(signal: AbortSignal): Promise<void> {
      const free = deps.maxConnections - watching.size;
      if (free <= 0 || signal.aborted) return;
      const t = Date.now();
      for (const [id, at] of retryAt) if (at <= t) retryAt.delete(id);
      const ids = await deps.sync.idleCandidates(free, now(), [...watching.keys(), ...retryAt.keys()]);
      for (const addressId of ids) {
        const token = randomUUID();
        const state = await deps.sync.claimOne(addressId, token, now(), LEASE_MS);
        if (!state) continue;
        deps.poller.held.add(addressId);
        const run = watch(state.workspaceId, addressId, token, signal).finally(() =>
          watching.delete(addressId),
        );
        watching.set(addressId, run);
      }
    },
    get size() {
      return watching.size;
    },
    /** Resolves when this address's watcher next enters IDLE (the server accepted it). */
    whenIdling(addressId: string): Promise<void> {
      return new Promise<void>((resolve) => {
        idlingWaiters.set(addressId, [...(idlingWaiters.get(addressId) ?? []), resolve]);
      });
    },
    /** Waits for every watcher to end (after the signal aborted). */
    async drain(): Promise<void> {
      await Promise.allSettled([...watching.values()]);
    },
  };
}

export type IdleWatchers = ReturnType<typeof createIdleWatchers>;
