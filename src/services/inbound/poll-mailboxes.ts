import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type {
  EmailAddressFull,
  EmailAddressRepository,
} from '../../db/repositories/email-address.repository.js';
import type { InboundRepository } from '../../db/repositories/inbound.repository.js';
import type {
  MailboxSyncPatch,
  MailboxSyncRepository,
  MailboxSyncRow,
} from '../../db/repositories/mailbox-sync.repository.js';
import { classify } from '../../domain/catalogue/classify.js';
import { providerOfPreset } from '../../domain/catalogue/provider.js';
import type { HealthProblem } from '../../domain/mailbox/address-health.js';
import type { IncomingSettings, MailAuth } from '../../domain/mailbox/connection.js';
import type { MailFailure } from '../../domain/mailbox/mail-failure.js';
import type { InboundProcessor } from '../../ports/inbound-processor.js';
import type { SecretBox } from '../../security/secret-box.js';
import type { HealthRecorder } from '../mailbox/address-health-recorder.js';
import { type IsSandboxWorkspace, noSandboxWorkspace } from '../mailbox/sandbox-workspaces.js';
import { type CollectBudget, type CollectDeps, DEFAULT_COLLECT_BUDGET } from './collect-pop3.js';
import type { MailboxCollector } from './mailbox-collector.js';

export interface PollerDeps {
  sync: MailboxSyncRepository;
  inbound: Pick<
    InboundRepository,
    | 'knownIds'
    | 'existingHashes'
    | 'store'
    | 'storeMany'
    | 'recordKnown'
    | 'unprocessed'
    | 'ownTestEmails'
    | 'heldAmong'
  >;
  addresses: Pick<EmailAddressRepository, 'findById'>;
  secretBox: SecretBox;
  /** OAuth mailboxes (M47). */
  oauth?: {
    accessTokenFor(
      ws: string,
      addressId: string,
      o: { signal?: AbortSignal },
    ): Promise<{ user: string; accessToken: string }>;
    /** The server refused a token we believed valid: drop it so the next call refreshes. */
    forgetAddress?(ws: string, addressId: string): Promise<void>;
  };
  collectors: { pop3: MailboxCollector; imap?: MailboxCollector };
  /** The demo workspace's addresses may dial the sandbox (decision 0010); default: none is. */
  isSandboxWorkspace?: IsSandboxWorkspace;
  health: Pick<HealthRecorder, 'record'>;
  /** Reading's processor (issue 10 items 4–6), when wired. */
  processor: () => InboundProcessor | null;
  intervalMs: number;
  budget?: Partial<Omit<CollectBudget, 'deadline'>>;
  /** Wall-clock bound of one session. */
  sessionMs?: number;
  /** Addresses polled side by side by one pass of one process. */
  concurrency?: number;
  now?: () => Date;
  random?: () => number;
  onError?: (err: unknown, context: Record<string, unknown>) => void;
}

/** Rows stored this long ago and still `stored` are handed to the processor again. */
const RECOVER_AFTER_MS = 60_000;
const MAX_BACKOFF_MS = 30 * 60_000;
/** Stored rows handed to the processor at once. */
const PROCESS_BATCH = 100;
/**
 * A session renews its lease between batches at most this often (and always before QUIT). The
 * lease (session time + 90 s) cannot expire in between, and a claim takes only expired leases,
 * so a skipped renewal cannot let another process in; a lost lease (address deleted) is still
 * seen before QUIT.
 */
const RENEW_EVERY_MS = 5_000;

/** The error every mail adapter throws carries a normalised failure. */
const failureOf = (err: unknown): MailFailure | null => {
  const f = (err as { failure?: unknown } | null)?.failure;
  return f && typeof f === 'object' && 'kind' in f ? (f as MailFailure) : null;
};

/**
 * The poller (M36): every collectable address polled on a jittered interval, under a lease in
 * `mailbox_sync_state` so one process at a time polls it, one bounded session per poll (what
 * is left resumes next time), health recorded per poll (M50), each stored row handed to
 * reading's processor. "Check now" makes an address due and wakes this process.
 */
export function createMailboxPoller(deps: PollerDeps) {
  const now = deps.now ?? (() => new Date());
  const random = deps.random ?? Math.random;
  const sessionMs = deps.sessionMs ?? 2 * 60_000;
  const leaseMs = sessionMs + 90_000;
  const concurrency = deps.concurrency ?? 4;
  const wakeups = new EventEmitter();
  const held = new Set<string>();
  const report = deps.onError ?? (() => {});
  const isSandboxWorkspace = deps.isSandboxWorkspace ?? noSandboxWorkspace;

  const jittered = (ms: number) => Math.round(ms * (0.85 + 0.3 * random()));
  const later = (ms: number) => new Date(now().getTime() + ms);

  async function settingsFor(address: EmailAddressFull, signal: AbortSignal): Promise<IncomingSettings> {
    let auth: MailAuth;
    if (address.authType === 'oauth2') {
      if (!deps.oauth) throw Object.assign(new Error('oauth not configured'), { oauthUnavailable: true });
      const token = await deps.oauth.accessTokenFor(address.workspaceId, address.id, { signal });
      auth = { type: 'oauth2', user: token.user, accessToken: token.accessToken };
    } else {
      auth = {
        type: 'password',
        user: address.login,
        pass: address.passwordEnc
          ? deps.secretBox.decrypt(address.passwordEnc, {
              workspaceId: address.workspaceId,
              rowId: address.id,
              field: 'password',
            })
          : '',
      };
    }
    return {
      protocol: address.incomingProtocol,
      host: address.incomingHost,
      port: address.incomingPort,
      security: address.incomingSecurity,
      pinnedCert: address.incomingPinnedCert ?? null,
      sandbox: await isSandboxWorkspace(address.workspaceId),
      auth,
    };
  }

  async function processRows(
    ids: readonly { id: string; workspaceId: string; addressId?: string | null; raw?: Buffer }[],
    signal?: AbortSignal,
  ) {
    const processor = deps.processor();
    if (!processor) return;
    if (processor.processMany && ids.length > 1) {
      // Batches of one workspace share their lookups and their bookkeeping writes.
      const byWorkspace = new Map<string, typeof ids>();
      for (const r of ids) byWorkspace.set(r.workspaceId, [...(byWorkspace.get(r.workspaceId) ?? []), r]);
      for (const [workspaceId, rows] of byWorkspace) {
        for (let i = 0; i < rows.length; i += PROCESS_BATCH) {
          if (signal?.aborted) return;
          const chunk = rows.slice(i, i + PROCESS_BATCH);
          try {
            await processor.processMany(
              workspaceId,
              chunk.map((r) => ({
                id: r.id,
                addressId: r.addressId ?? null,
                ...(r.raw ? { raw: r.raw } : {}),
              })),
              signal,
            );
          } catch (err) {
            // Rows left `stored` are retried by a later pass.
            report(err, { step: 'process', rows: chunk.length });
          }
        }
      }
      return;
    }
    for (const { id, workspaceId } of ids) {
      if (signal?.aborted) return;
      try {
        await processor.process(workspaceId, id, signal);
      } catch (err) {
        // The row stays `stored`: a later pass retries it.
        report(err, { inboundMessageId: id, step: 'process' });
      }
    }
  }

  /** Polls one claimed address; always releases the lease. Resolves `true` when work is left. */
  async function pollOne(
    state: MailboxSyncRow,
    token: string,
    signal: AbortSignal,
    keepLease = false,
  ): Promise<boolean> {
    // IDLE holders keep their lease between polls: write through it without freeing it.
    const { addressId, workspaceId } = state;
    const finish = (patch: MailboxSyncPatch) =>
      keepLease ? deps.sync.advance(addressId, token, patch) : deps.sync.release(addressId, token, patch);
    const address = await deps.addresses.findById(workspaceId, addressId);
    if (!address?.active || !address.collectReplies) {
      await finish({ nextPollAt: later(deps.intervalMs) });
      return false;
    }
    // Another protocol (or first poll): start from a clean cursor.
    const reset: MailboxSyncPatch =
      state.protocol !== address.incomingProtocol
        ? { protocol: address.incomingProtocol, uidvalidity: null, lastUid: null, initializedAt: null }
        : {};
    const fresh = { ...state, ...reset } as MailboxSyncRow;
    const collector = deps.collectors[address.incomingProtocol];
    const at = now();
    try {
      if (!collector)
        throw Object.assign(new Error('no collector'), {
          failure: {
            kind: 'unsupported',
            protocol: address.incomingProtocol,
            detail: 'collector not available',
          },
        });
      let settings = await settingsFor(address, signal);
      const budget: CollectBudget = {
        ...DEFAULT_COLLECT_BUDGET,
        ...deps.budget,
        deadline: Date.now() + sessionMs,
      };
      let renewedAt = now().getTime();
      const checkpoint = async (final = false) => {
        if (!final && now().getTime() - renewedAt < RENEW_EVERY_MS) return;
        renewedAt = now().getTime();
        if (!(await deps.sync.renew(addressId, token, later(leaseMs)))) throw new Error('mailbox lease lost');
      };
      const settler = deps.processor()?.settlerFor?.(workspaceId, addressId, signal);
      const settle: CollectDeps['settle'] = settler
        ? (raws) =>
            settler(raws).catch((err) => {
              // Reading's problem, not the mailbox's: the messages are processed after the store.
              report(err, { addressId, step: 'settle' });
              return raws.map(() => null);
            })
        : undefined;
      const collect = () =>
        collector.collect(
          settings,
          fresh,
          {
            workspaceId,
            addressId,
            firstSync: fresh.initializedAt === null,
            deleteAfterStore: !address.leaveOnServer,
            deleteAfterDays: address.leaveOnServer ? (address.deleteAfterDays ?? null) : null,
          },
          { budget, signal, checkpoint, ...(settle ? { settle } : {}) },
        );
      const { outcome, cursor } = await collect().catch(async (err) => {
        // A refused OAuth token may be one the provider revoked early: refresh once (a lost
        // grant then reads as `needs reconnect`, not as a wrong password), as the outbox does.
        if (address.authType !== 'oauth2' || failureOf(err)?.kind !== 'auth' || !deps.oauth?.forgetAddress)
          throw err;
        await deps.oauth.forgetAddress(workspaceId, addressId);
        settings = await settingsFor(address, signal);
        return collect();
      });
      await finish({
        ...reset,
        ...cursor,
        ...(outcome.initialized ? { initializedAt: now() } : {}),
        nextPollAt: outcome.more ? later(1_000) : later(jittered(deps.intervalMs)),
        failureStreak: 0,
        lastError: null,
        // An unfinished re-sync keeps it: the next poll's re-sync starts from the same moment.
        lastSuccessAt: cursor && 'lastSuccessAt' in cursor ? (cursor.lastSuccessAt ?? null) : now(),
      });
      await deps.health.record(workspaceId, addressId, {
        type: 'succeeded',
        direction: 'receive',
        at: at.toISOString(),
      });
      await processRows(
        outcome.storedIds.map((id) => ({ id, workspaceId, addressId, raw: outcome.storedRaw.get(id) })),
        signal,
      );
      return outcome.more;
    } catch (err) {
      const streak = state.failureStreak + 1;
      const failure = failureOf(err);
      const errName = (err as { name?: string } | null)?.name;
      // The token service already recorded a lost grant; an unreachable token endpoint is an
      // outage to retry, not our bug and not the mailbox's (the status stays).
      const oauthProblem =
        errName === 'OAuthGrantLostError' || errName === 'OAuthTemporarilyUnavailableError';
      const lastError = failure
        ? { kind: failure.kind, step: failure.step ?? null, code: failure.code ?? null, at: at.toISOString() }
        : oauthProblem
          ? {
              kind: errName === 'OAuthGrantLostError' ? 'oauth_grant_lost' : 'oauth_unavailable',
              at: at.toISOString(),
            }
          : {
              kind: 'internal',
              message: String((err as Error)?.message ?? err).slice(0, 200),
              at: at.toISOString(),
            };
      await finish({
        ...reset,
        // A collector that set a message aside fails the poll but passes it (IMAP's cursor).
        ...((err as { cursor?: MailboxSyncPatch } | null)?.cursor ?? {}),
        failureStreak: streak,
        lastError,
        nextPollAt: later(
          jittered(Math.min(MAX_BACKOFF_MS, deps.intervalMs * 2 ** Math.min(streak - 1, 10))),
        ),
      }).catch((e) => report(e, { addressId, step: 'release' }));
      if (signal.aborted) return false;
      if (failure) {
        const provider = providerOfPreset(address.presetId);
        const c = classify(failure, {
          port: address.incomingPort,
          security: address.incomingSecurity,
          ...(provider ? { provider } : {}),
        });
        const problem: HealthProblem = {
          direction: 'receive',
          catalogueId: c.entry.id,
          reply: failure.response ?? null,
          summary: [failure.kind, failure.step, failure.code].filter(Boolean).join(' '),
          at: at.toISOString(),
        };
        const event = c.entry.pausesAddress
          ? ({ type: 'auth_failed', direction: 'receive', problem, at: at.toISOString() } as const)
          : ({ type: 'failed', direction: 'receive', problem, at: at.toISOString() } as const);
        await deps.health
          .record(workspaceId, addressId, event)
          .catch((e) => report(e, { addressId, step: 'health' }));
      } else if (!oauthProblem) {
        // Our own bug or a lost lease: logged, never blamed on the user's mailbox.
        report(err, { addressId, step: 'poll' });
      }
      return false;
    }
  }

  return {
    /** Held by this process outside the poller (IMAP IDLE): never claimed by a pass. */
    held,
    /**
     * One pass: schedule new addresses, claim the due ones, poll them side by side, hand
     * leftover stored rows to the processor. `true` when work is left; else ms to the next due.
     */
    async runDue(signal: AbortSignal): Promise<boolean | number> {
      await deps.sync.ensureStates();
      const token = randomUUID();
      const claimed = await deps.sync.claimDue(concurrency, token, now(), leaseMs, [...held]);
      const results = await Promise.all(claimed.map((s) => pollOne(s, token, signal)));
      const pending = await deps.inbound.unprocessed(new Date(now().getTime() - RECOVER_AFTER_MS), 50);
      await processRows(pending, signal);
      if (results.some(Boolean) || claimed.length === concurrency) return true;
      const next = await deps.sync.nextDue([...held]);
      return next ? Math.max(0, next.getTime() - now().getTime()) : deps.intervalMs;
    },
    /** Polls one address now if no one holds it (IDLE notices, tests). */
    async pollNow(workspaceId: string, addressId: string, signal: AbortSignal): Promise<boolean> {
      const token = randomUUID();
      const state = await deps.sync.claimOne(addressId, token, now(), leaseMs);
      if (!state || state.workspaceId !== workspaceId) {
        if (state) await deps.sync.release(addressId, token, {});
        return false;
      }
      await pollOne(state, token, signal);
      return true;
    },
    /** "Check now" (M36): due at once; this process wakes, others find it within their pass. */
    async requestCheck(workspaceId: string, addressId: string, protocol: 'pop3' | 'imap') {
      await deps.sync.requestPoll(workspaceId, addressId, protocol, now());
      wakeups.emit('wake');
    },
    onWake(fn: () => void): () => void {
      wakeups.on('wake', fn);
      return () => wakeups.off('wake', fn);
    },
    processStored: processRows,
    /** One poll through a lease the caller holds and keeps (IDLE watchers). */
    async pollHeld(
      workspaceId: string,
      addressId: string,
      token: string,
      signal: AbortSignal,
    ): Promise<boolean> {
      const state = await deps.sync.find(workspaceId, addressId);
      if (!state || state.leaseToken !== token) return false;
      return pollOne(state, token, signal, true);
    },
    settingsFor,
  };
}

export type MailboxPoller = ReturnType<typeof createMailboxPoller>;
