import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type {
  ClaimedMessage,
  OutboxRepository,
  SendingAddress,
  SentRecord,
} from '../../db/repositories/outbox.repository.js';
import type { SendRateRepository } from '../../db/repositories/send-rate.repository.js';
import type { OutgoingFailureRecord } from '../../domain/message/outgoing.js';
import type { MailSender } from '../../ports/mail-sender.js';
import type { Notifier } from '../../ports/notifier.js';
import type { SentCopier } from '../../ports/sent-copy.js';
import type { SecretBox } from '../../security/secret-box.js';
import type { HealthRecorder } from '../mailbox/address-health-recorder.js';
import type { IsSandboxWorkspace } from '../mailbox/sandbox-workspaces.js';
import { AddressCaps } from './address-caps.js';
import { laneLimits, type OutboxOAuth } from './outbox-endpoint.js';
import { createLanes } from './outbox-lanes.js';
import { DEFAULT_OUTBOX_OPTIONS, type OutboxOptions } from './outbox-options.js';
import { createOutcomeRecorder } from './outbox-outcomes.js';
import { createProgressWrites } from './outbox-writes.js';
import { sendOne } from './send-one.js';

/** One `sent` outcome waiting for the next grouped write. */
export type SentWrite = SentRecord;

export { DEFAULT_OUTBOX_OPTIONS, type OutboxOptions } from './outbox-options.js';

/**
 * The floor between two ANALYZEs of the outbox table. A claim asks for one only when it ranked
 * twice the rows the last ANALYZE counted, so an ANALYZE that worked silences it until the backlog
 * doubles; the floor bounds the case it does not (another process holds the lock: SKIP_LOCKED).
 * One costs 50-140 ms on PGlite with 5,000 rows waiting. A longer floor (a minute, tried) missed
 * a bulk send queued right after a housekeeping ANALYZE that followed a refresh.
 */
const STATISTICS_EVERY_MS = 2_000;

export interface OutboxDeps {
  outbox: OutboxRepository;
  /** M34 per-minute limits, counted in the database so they hold across worker processes. */
  sendRate: Pick<SendRateRepository, 'reserve'>;
  secretBox: SecretBox;
  oauth?: OutboxOAuth;
  /** The demo workspace's addresses may dial the sandbox (decision 0010); default: none is. */
  isSandboxWorkspace?: IsSandboxWorkspace;
  sender: MailSender;
  health: Pick<HealthRecorder, 'record'>;
  notifier: Notifier;
  /** Copy in Sent (CONTRACTS.md): absent until the delivery capability is wired. */
  sentCopier?: SentCopier;
  now?: () => Date;
  random?: () => number;
  /** Unexpected errors (a database failure mid-way): the row is left to its lease. */
  onError?: (err: unknown, context: Record<string, unknown>) => void;
  /** One line per recorded outcome (ids and status only). */
  onOutcome?: (fields: { outgoingMessageId: string; status: string; attempt: number }) => void;
  options?: Partial<OutboxOptions>;
}

/**
 * The outbox worker's use case (issue 9 items 3 and 5): claims due emails under a lease, sends
 * each through the pooled connections of its address, and records the outcome right after the
 * server's answer. The loop runner calls `tick`; sends run in the background up to
 * `maxInFlight`, so the next claim overlaps the sends of the previous one.
 */
export function createOutboxSender(deps: OutboxDeps) {
  const options: OutboxOptions = { ...DEFAULT_OUTBOX_OPTIONS, ...deps.options };
  const now = deps.now ?? (() => new Date());
  const onError = deps.onError ?? (() => {});
  /** Lease tokens of claims with emails still in flight: one per claim, so a re-claim by this
   * same process also fences off the attempt it replaces. */
  const leases = new Map<string, number>();
  const { lanes, laneOf } = createLanes(deps, options);
  const inFlight = new Set<Promise<void>>();
  const background = new Set<Promise<void>>();
  const events = new EventEmitter();
  events.setMaxListeners(0);
  /** Recipients (workspace|email) of emails in flight in this process: the DB counts only accepted ones. */
  const sendingTo = new Map<string, number>();
  const hard = new AbortController();
  let started = false;
  /** A pass (claim, dispatch, sweep) is under way (claimed rows are not yet in `inFlight`). */
  let claiming = 0;
  let claims = 0;
  /** Passes begun so far: `nextPass` waits for one that began after it was called. */
  let passesBegun = 0;
  let lastSweep = 0;
  let lastLeaseSweep = 0;
  let lastAnalyze = Number.NEGATIVE_INFINITY;
  let heartbeat: NodeJS.Timeout | null = null;

  const writes = createProgressWrites(deps.outbox, options.writeConcurrency, now);
  const outcomes = createOutcomeRecorder({
    ...deps,
    options,
    now,
    onError,
    background,
    sentWrites: writes.sent,
  });

  async function start(): Promise<void> {
    started = true;
    if (options.singleProcess) {
      await deps.outbox.releaseAllClaims(now());
      await sweepAbandoned(true);
    }
    // Claims of dead workers go back to the queue before the first claim.
    await sweep();
    heartbeat = setInterval(
      () => {
        if (leases.size > 0)
          deps.outbox
            .renewLease([...leases.keys()], now(), options.leaseMs)
            .catch((err) => onError(err, { step: 'lease' }));
      },
      options.heartbeatMs ?? Math.max(100, Math.floor(options.leaseMs / 3)),
    );
    heartbeat.unref();
  }

  async function sweepAbandoned(all: boolean): Promise<void> {
    const at = now();
    const failure: OutgoingFailureRecord = {
      reason: 'connection_lost_after_data',
      catalogueId: 'connection-closed',
      at: at.toISOString(),
      attempt: 0,
    };
    const rows = await deps.outbox.markAbandonedUncertain(
      at,
      all,
      failure as unknown as Record<string, unknown>,
    );
    for (const row of rows) {
      deps.onOutcome?.({ outgoingMessageId: row.id, status: 'uncertain', attempt: 0 });
      await outcomes.tellAuthor(row, 'uncertain');
    }
  }

  async function sweep(): Promise<void> {
    const at = Date.now();
    // Claims of dead workers: cheap (lease index), at most once a second.
    if (at - lastLeaseSweep >= Math.min(1_000, options.sweepEveryMs)) {
      lastLeaseSweep = at;
      await deps.outbox.releaseExpired(now());
      await sweepAbandoned(false);
    }
    if (at - lastSweep < options.sweepEveryMs) return;
    lastSweep = at;
    const late = await deps.outbox.takeLate(new Date(now().getTime() - options.lateAfterMs), now());
    for (const row of late) await outcomes.tellAuthor(row, 'late');
    for (const { lane } of lanes.values()) await lane.closeIdle(at);
  }

  const recipientKey = (workspaceId: string, email: string) => `${workspaceId}|${email.toLowerCase()}`;
  /** Start times (ms) of this process's sends per recipient within the window, oldest first. */
  const startedTo = new Map<string, number[]>();
  const recentStarts = (key: string, at: number): number[] => {
    const list = startedTo.get(key);
    if (!list) return [];
    while (list.length > 0 && at - list[0]! >= options.recipientWindowMs) list.shift();
    if (list.length === 0) startedTo.delete(key);
    return list;
  };

  /** Address rows by id with their version: re-read only when the claim saw another version. */
  const addressRows = new Map<string, { address: SendingAddress; version: string }>();
  const caps = new AddressCaps(options.addressCap, (id) => {
    const row = addressRows.get(id);
    return row ? laneLimits(row.address).maxConnections : null;
  });

  async function addressesOf(batch: ClaimedMessage[]): Promise<void> {
    const stale = new Set<string>();
    for (const m of batch) {
      if (m.addressId && addressRows.get(m.addressId)?.version !== m.addressVersion) stale.add(m.addressId);
    }
    if (stale.size === 0) return;
    for (const row of await deps.outbox.addressesForSending([...stale])) addressRows.set(row.address.id, row);
  }

  async function dispatch(batch: ClaimedMessage[]): Promise<void> {
    await addressesOf(batch);
    caps.claimed(batch.map((m) => m.addressId));
    // Rows carry their workspace: an address of another workspace is never used.
    const addressOf = (m: ClaimedMessage) => {
      const a = m.addressId ? addressRows.get(m.addressId)?.address : undefined;
      return a && a.workspaceId === m.workspaceId ? a : null;
    };
    // M34: what each recipient received recently, as the claim counted it.
    const load = new Map<string, { count: number; oldest: Date }>();
    for (const m of batch) {
      for (const r of m.recipients) {
        if (r.status === 'pending' && r.recent.count > 0 && r.recent.oldest)
          load.set(recipientKey(m.workspaceId, r.email), { count: r.recent.count, oldest: r.recent.oldest });
      }
    }

    for (const m of batch) {
      const run = (async () => {
        const address = addressOf(m);
        const pending = m.recipients.filter((r) => r.status === 'pending');
        // The per-recipient window (M34): wait until it has room again. The database counts what
        // was accepted (all processes, as of the batch's query); `startedTo` what this process
        // started since, which the query may not have seen yet.
        let fullUntil: Date | null = null;
        const at = now().getTime();
        for (const r of pending) {
          const key = recipientKey(m.workspaceId, r.email);
          const l = load.get(key);
          const mine = recentStarts(key, at);
          const db = (l?.count ?? 0) + (sendingTo.get(key) ?? 0);
          if (Math.max(db, mine.length) >= options.recipientLimit) {
            const oldest = mine.length >= options.recipientLimit ? mine[0]! : (l?.oldest.getTime() ?? at);
            const until = new Date(oldest + options.recipientWindowMs);
            if (!fullUntil || until > fullUntil) fullUntil = until;
          }
        }
        if (fullUntil) return outcomes.recipientLimited(m, fullUntil);
        const keys = pending.map((r) => recipientKey(m.workspaceId, r.email));
        for (const k of keys) {
          sendingTo.set(k, (sendingTo.get(k) ?? 0) + 1);
          const list = startedTo.get(k) ?? [];
          list.push(at);
          startedTo.set(k, list);
        }
        try {
          const entry = address ? laneOf(address) : null;
          await sendOne(
            { deps, options, outcomes, now, signal: hard.signal, transmitting: writes.transmitting },
            m,
            address,
            entry,
          );
        } finally {
          for (const k of keys) {
            const n = (sendingTo.get(k) ?? 1) - 1;
            if (n <= 0) sendingTo.delete(k);
            else sendingTo.set(k, n);
            // Counted as accepted from now on (conservative when it was not).
            const l = load.get(k);
            load.set(k, { count: (l?.count ?? 0) + 1, oldest: l?.oldest ?? now() });
          }
        }
      })()
        .catch((err) => onError(err, { outgoingMessageId: m.id }))
        .finally(() => {
          const left = (leases.get(m.lease) ?? 1) - 1;
          if (left <= 0) leases.delete(m.lease);
          else leases.set(m.lease, left);
          caps.settled(m.addressId);
          inFlight.delete(run);
          events.emit('settled');
        });
      inFlight.add(run);
    }
  }

  /** One pass of the `outbox` loop (see `tick`). */
  async function runPass(signal: AbortSignal): Promise<boolean | number | null> {
    if (!started) await start();
    if (signal.aborted) return null;
    // Claim full batches: wait until a whole batch fits (one claim per batch, not per email).
    if (inFlight.size > options.maxInFlight - options.batchSize) {
      await sweep();
      await new Promise<void>((resolve) => {
        const done = () => {
          signal.removeEventListener('abort', done);
          events.off('settled', done);
          resolve();
        };
        signal.addEventListener('abort', done, { once: true });
        events.on('settled', done);
      });
      return true;
    }
    const limit = Math.min(options.batchSize, options.maxInFlight - inFlight.size);
    claiming++;
    claims++;
    let claimed = 0;
    try {
      const lease = randomUUID();
      const at = now();
      const since = new Date(at.getTime() - options.recipientWindowMs);
      const { rows: batch, statisticsBehind } = await deps.outbox.claimBatch(
        limit,
        lease,
        at,
        options.leaseMs,
        since,
        caps.forClaim(),
      );
      claimed = batch.length;
      if (batch.length > 0) {
        leases.set(lease, batch.length);
        await dispatch(batch);
      }
      // Statistics older than the backlog (PGlite has no autovacuum) make every claim read the
      // due index once per address (decision 0008).
      if (statisticsBehind && Date.now() - lastAnalyze >= STATISTICS_EVERY_MS) {
        lastAnalyze = Date.now();
        await deps.outbox.refreshStatistics().catch((err) => onError(err, { step: 'statistics' }));
      }
      // Housekeeping after the claim, so a wake-up goes straight to the claim.
      await sweep();
    } finally {
      claiming--;
    }
    if (claimed === limit) return true;
    // Some were due and are now on their way; the rest wake us or are found by the poll.
    if (claimed > 0) return null;
    // Rows of addresses at their cap are left for the refill (`onRoom`), not looked for here.
    const next = await deps.outbox.nextDue(caps.atCap());
    // Due but not claimed (taken by another worker a moment ago): look again shortly, not at once.
    return next === null ? null : Math.max(50, next.getTime() - now().getTime());
  }

  const settled = () => new Promise<void>((resolve) => events.once('settled', () => resolve()));

  return {
    /**
     * One pass of the `outbox` loop: sweep, claim what fits, dispatch. True when more rows may
     * be due at once; else the milliseconds until the next due row (null: nothing waiting).
     */
    async tick(signal: AbortSignal): Promise<boolean | number | null> {
      const pass = ++passesBegun;
      try {
        return await runPass(signal);
      } finally {
        events.emit('pass', pass);
      }
    },

    /**
     * Resolves when a pass that began after this call has finished (tests: "the worker looked
     * and did nothing" without a fixed wait). Its sends may still be in flight: see `idle`.
     */
    nextPass(timeoutMs = 10_000): Promise<void> {
      const after = passesBegun;
      return new Promise<void>((resolve, reject) => {
        const onPass = (n: number) => {
          if (n <= after) return;
          clearTimeout(timer);
          events.off('pass', onPass);
          resolve();
        };
        const timer = setTimeout(() => {
          events.off('pass', onPass);
          reject(new Error('no outbox pass began and finished in time'));
        }, timeoutMs);
        events.on('pass', onPass);
      });
    },

    /** Wakes the loop when an address that filled its cap has room for a refill (decision 0008). */
    onRoom: (wake: () => void) => caps.onRoom(wake),

    /** Emails being sent right now by this process. */
    inFlight: () => inFlight.size,

    /** Resolves once nothing is in flight and nothing is due now (tests, with a worker running). */
    async idle(timeoutMs = 30_000): Promise<void> {
      const until = Date.now() + timeoutMs;
      for (;;) {
        if (inFlight.size === 0 && background.size === 0 && claiming === 0) {
          const claimsBefore = claims;
          const next = await deps.outbox.nextDue();
          // A claim that started meanwhile hid its rows from nextDue(): look again.
          const quiet = claims === claimsBefore && claiming === 0 && inFlight.size === 0;
          if (quiet && (next === null || next.getTime() > now().getTime())) return;
        }
        if (Date.now() > until) throw new Error('outbox did not become idle');
        await Promise.race([settled(), new Promise((r) => setTimeout(r, 20))]);
      }
    },

    /**
     * Shutdown: stops claiming (the loop's signal), lets sends in flight finish for `graceMs`,
     * then aborts the rest (before the final dot they go back to the queue) and closes every
     * pooled connection.
     */
    async stop(graceMs = 5_000): Promise<void> {
      if (heartbeat) clearInterval(heartbeat);
      const all = Promise.allSettled([...inFlight]);
      const timer = setTimeout(() => hard.abort(), graceMs);
      await all;
      clearTimeout(timer);
      await Promise.allSettled([...background]);
      await Promise.allSettled([...lanes.values()].map(({ lane }) => lane.closeIdle(Date.now(), true)));
      lanes.clear();
    },
  };
}

export type OutboxSender = ReturnType<typeof createOutboxSender>;
