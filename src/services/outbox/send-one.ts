import type { ClaimedMessage, SendingAddress } from '../../db/repositories/outbox.repository.js';
import { providerOfPreset } from '../../domain/catalogue/provider.js';
import type { MailFailure } from '../../domain/mailbox/mail-failure.js';
import { envelopeAddress } from '../../domain/message/envelope-address.js';
import { decideAttempt, readFailure } from '../../domain/message/send-decision.js';
import { checkMessageSize } from '../../domain/message/size-limit.js';
import type { AddressLane } from './address-lane.js';
import type { OutcomeRecorder } from './outbox-outcomes.js';
import type { OutboxDeps, OutboxOptions } from './outbox-sender.js';
import type { WriteQueue } from './write-coalescer.js';

export interface SendContext {
  deps: OutboxDeps;
  options: OutboxOptions;
  outcomes: OutcomeRecorder;
  now: () => Date;
  /** Fires at the end of a shutdown's grace period. */
  signal: AbortSignal;
  /** Grouped `transmitting_at` writes. */
  transmitting: WriteQueue<{ id: string; lease: string }, boolean>;
}

interface LaneEntry {
  lane: AddressLane;
  /** The address had failures on record: its first success clears them (M50). */
  needsSuccess: boolean;
}

/** The row is no longer ours (lease lost): the final dot must not go out. */
class LeaseLost extends Error {}

const problemOf = (failure: MailFailure, catalogueId: string, at: Date) => ({
  direction: 'send' as const,
  catalogueId,
  reply: failure.response ?? null,
  summary: [failure.kind, failure.code ?? failure.responseCode].filter(Boolean).join(' ').slice(0, 120),
  at: at.toISOString(),
});

/**
 * One email, one attempt: checks the sender and recipients, takes a pooled connection of its
 * address, checks SIZE and SMTPUTF8 before any data, sends with `transmitting_at` recorded
 * right before the final dot, and records the outcome (send-decision.ts decides it).
 */
export async function sendOne(
  ctx: SendContext,
  m: ClaimedMessage,
  address: SendingAddress | null,
  entry: LaneEntry | null,
): Promise<void> {
  const { outcomes, deps, now } = ctx;
  if (!address || !entry || !m.mime) return outcomes.failed(m, 'sender_unavailable');

  const from = envelopeAddress(address.email);
  // Recipients still to try; after a manual retry of a failed email, the ones refused before
  // (never the ones that already have it).
  let pending = m.recipients.filter((r) => r.status === 'pending');
  if (pending.length === 0) pending = m.recipients.filter((r) => r.status === 'rejected');
  if (pending.length === 0 && m.recipients.length > 0) return outcomes.alreadySent(m);
  const to: string[] = [];
  const byAddress = new Map<string, string>();
  let smtpUtf8 = from?.smtpUtf8 ?? false;
  for (const r of pending) {
    const a = envelopeAddress(r.email);
    if (!a) continue; // stored addresses were validated at enqueue; a bad one is left pending
    to.push(a.ascii);
    byAddress.set(a.ascii.toLowerCase(), r.id);
    smtpUtf8 ||= a.smtpUtf8;
  }
  if (!from || to.length === 0) return outcomes.failed(m, 'sender_unavailable');

  const lane = entry.lane;
  const wait = lane.rateWaitMs(now().getTime());
  if (wait > ctx.options.maxRateWaitMs) return outcomes.handBack(m, null, new Date(now().getTime() + wait));
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));

  const acquired = await lane.acquire(ctx.signal);
  if (!acquired.ok) return openFailed(ctx, m, address, entry, acquired.failure, acquired.error);
  // Counted once a connection is in hand, right before MAIL FROM: the start time recorded is
  // when the server sees the email (a wait for a pooled connection would make it earlier).
  const full = await reserveSend(ctx, address.id, lane).catch((err: unknown) => {
    acquired.release(true); // the row waits for its lease; the connection serves the next one
    throw err;
  });
  if (full) {
    acquired.release(true);
    return outcomes.handBack(m, null, full);
  }
  const { connection } = acquired;
  const caps = connection.capabilities;
  // SECURITY.md §7 case 27 and 23: decided before any data, the connection stays usable.
  // One rule for SIZE (size-limit.ts): a message of exactly the announced size is accepted.
  if (caps.size !== null && checkMessageSize(caps.size, m.mime.length) === 'too_large') {
    acquired.release(true);
    return outcomes.failed(
      m,
      'too_large',
      sizeFailure(address, caps.size, m.mime.length),
      'message-too-large',
    );
  }
  if (smtpUtf8 && !caps.smtpUtf8) {
    acquired.release(true);
    return outcomes.failed(m, 'smtputf8_required', utf8Failure(address), 'smtputf8-unsupported');
  }

  let leaseLost = false;
  const result = await connection.send(
    { from: from.ascii, to, smtpUtf8 },
    m.mime,
    {
      beforeDataEnd: async () => {
        if (!(await ctx.transmitting.submit({ id: m.id, lease: m.lease }))) {
          leaseLost = true;
          throw new LeaseLost('lease lost');
        }
      },
    },
    ctx.signal,
  );
  // Before the slot goes to the next email queued on this lane (decision 0008, send deadlines).
  if (!result.ok && result.broken && result.failure.kind === 'timeout') lane.noteTimedOut(result.failure);
  acquired.release(result.ok || !result.broken);
  if (leaseLost) return; // another worker owns the row now; nothing was delivered by us
  if (!result.ok && ctx.signal.aborted && result.phase === 'before_data_end')
    return outcomes.handBack(m, null);

  const decision = decideAttempt(result, to);
  if (decision.status === 'pause') return pause(ctx, m, address, decision.failure, decision.catalogueId);
  if (decision.status === 'sent' && entry.needsSuccess) {
    entry.needsSuccess = false;
    await deps.health.record(m.workspaceId, address.id, {
      type: 'succeeded',
      direction: 'send',
      at: now().toISOString(),
    });
  }
  await outcomes.decided(m, address, decision, byAddress);
}

/** The window of the per-minute limit (M34). */
export const RATE_WINDOW_MS = 60_000;

/**
 * M34: counts this email against its address's per-minute limit in the database, shared by
 * every worker process. Waits (holding the connection) up to `maxRateWaitMs` for room; returns
 * null once counted, or when the window has room again if that is later.
 */
async function reserveSend(ctx: SendContext, addressId: string, lane: AddressLane): Promise<Date | null> {
  const limit = lane.limits.perMinute;
  if (!limit) return null;
  for (;;) {
    const at = ctx.now();
    const r = await ctx.deps.sendRate.reserve(addressId, limit, RATE_WINDOW_MS, at);
    if (r.ok) return null;
    lane.noteFull(r.retryAt.getTime());
    const wait = r.retryAt.getTime() - at.getTime();
    if (wait > ctx.options.maxRateWaitMs || ctx.signal.aborted) return r.retryAt;
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

/** Opening a connection failed: the address's problem, not this email's. */
async function openFailed(
  ctx: SendContext,
  m: ClaimedMessage,
  address: SendingAddress,
  entry: LaneEntry,
  failure: MailFailure,
  error: unknown,
): Promise<void> {
  const { outcomes, deps, now } = ctx;
  const name = (error as { name?: unknown } | undefined)?.name;
  // The token service already moved the address to `needs reconnect` and told its owner.
  if (name === 'OAuthGrantLostError')
    return outcomes.handBack(
      m,
      outcomes.failureRecord(m, 'sender_unavailable', failure, 'oauth-grant-invalid'),
    );
  if (name === 'OAuthTemporarilyUnavailableError')
    return outcomes.deferred(
      m,
      { ...failure, kind: 'connect', detail: 'OAuth provider unavailable' },
      'temporary-server-problem',
      'normal',
    );
  if (error) return pause(ctx, m, address, failure, 'credential-unreadable');
  if (ctx.signal.aborted) return outcomes.handBack(m, null);
  const read = readFailure(failure, providerOfPreset(address.presetId));
  if (read.verdict === 'pause') return pause(ctx, m, address, failure, read.catalogueId);
  entry.needsSuccess = true;
  await deps.health.record(m.workspaceId, address.id, {
    type: 'failed',
    direction: 'send',
    problem: problemOf(failure, read.catalogueId, now()),
    at: now().toISOString(),
  });
  return outcomes.deferred(m, failure, read.catalogueId, read.hint);
}

/**
 * The address itself cannot send (refused login, relay denied…): it goes `needs attention`
 * through the typed transition (its owner told once, M33/M50) and the email goes back to the
 * queue untouched, to leave when the address works again. Other addresses carry on.
 */
async function pause(
  ctx: SendContext,
  m: ClaimedMessage,
  address: SendingAddress,
  failure: MailFailure,
  catalogueId: string,
): Promise<void> {
  const at = ctx.now();
  await ctx.deps.health.record(m.workspaceId, address.id, {
    type: 'auth_failed',
    direction: 'send',
    problem: problemOf(failure, catalogueId, at),
    at: at.toISOString(),
  });
  await ctx.outcomes.handBack(m, ctx.outcomes.failureRecord(m, 'sender_unavailable', failure, catalogueId));
}

function sizeFailure(address: SendingAddress, limit: number, size: number): MailFailure {
  return {
    kind: 'limit',
    protocol: 'smtp',
    step: 'mail_from',
    host: address.smtpHost,
    code: 'SIZE',
    detail: `The message is ${size} bytes; the server accepts at most ${limit}`,
  };
}

function utf8Failure(address: SendingAddress): MailFailure {
  return {
    kind: 'unsupported',
    protocol: 'smtp',
    step: 'mail_from',
    host: address.smtpHost,
    code: 'SMTPUTF8',
    detail: 'A recipient address is internationalised but the server does not offer SMTPUTF8',
  };
}
