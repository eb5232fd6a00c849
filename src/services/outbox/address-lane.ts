import type { MailFailure } from '../../domain/mailbox/mail-failure.js';
import type { MailSender, SenderConnection, SenderEndpoint } from '../../ports/mail-sender.js';

/** Sending limits of one address (M34): from its preset, overridden per address. */
export interface LaneLimits {
  maxConnections: number;
  /** Emails per minute, or null for no limit of our own. */
  perMinute: number | null;
}

/** Credentials for one connection attempt; `retry` is true on the one retry after a refused XOAUTH2 token. */
export type EndpointSource = (retry: boolean, signal: AbortSignal) => Promise<SenderEndpoint>;

export type Acquired =
  | { ok: true; connection: SenderConnection; release(reuse: boolean): void }
  | { ok: false; failure: MailFailure; error?: unknown };

interface Slot {
  connection: SenderConnection | null;
  busy: boolean;
  lastUsed: number;
}

/**
 * The pooled connections of one address (issue 9 item 3): at most `maxConnections` open at once,
 * each reused for the next email, opened on demand through the sending adapter (so the network
 * and TLS policy apply on every connect), closed after `idleMs` unused. A failed open is
 * remembered for `failureMemoMs`, so the emails queued behind it fail the same way instead of
 * each dialling a server that just refused.
 */
export class AddressLane {
  private readonly slots: Slot[];
  private readonly waiters: Array<() => void> = [];
  /** The per-minute window (shared by every process, in the database) has no room before this. */
  private rateFullUntil = 0;
  private openFailure: { failure: MailFailure; error?: unknown; until: number } | null = null;

  constructor(
    private readonly sender: MailSender,
    private readonly endpoint: EndpointSource,
    readonly limits: LaneLimits,
    private readonly opts: {
      idleMs: number;
      failureMemoMs: number;
      isOAuthRejection: (f: MailFailure) => boolean;
    },
  ) {
    this.slots = Array.from({ length: Math.max(1, limits.maxConnections) }, () => ({
      connection: null,
      busy: false,
      lastUsed: 0,
    }));
  }

  /**
   * Milliseconds until the per-minute limit may allow the next email (0 = ask the database).
   * The count itself lives in the database (send-rate.repository.ts) so that it holds across
   * worker processes; this only remembers its last "full until", which nothing can shorten
   * (starts are only ever added), to spare a round trip per email while the window is full.
   */
  rateWaitMs(now: number): number {
    return this.limits.perMinute ? Math.max(0, this.rateFullUntil - now) : 0;
  }

  /** The database said the window has no room before `until` (ms). */
  noteFull(until: number): void {
    this.rateFullUntil = Math.max(this.rateFullUntil, until);
  }

  /**
   * A send on this lane ran into one of the sender's deadlines (its server stopped answering
   * in time, SECURITY.md §4.2 slow drip): the emails queued behind it get the same failure for
   * `failureMemoMs`, like behind a failed open, instead of each holding its place in the outbox
   * (and a slot of `maxInFlight`) for another whole deadline on a fresh connection to it.
   */
  noteTimedOut(failure: MailFailure): void {
    this.openFailure = { failure, until: Date.now() + this.opts.failureMemoMs };
  }

  /** Waits for a free connection slot, then reuses its connection or opens one. */
  async acquire(signal: AbortSignal): Promise<Acquired> {
    let slot = this.slots.find((s) => !s.busy);
    while (!slot) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
      slot = this.slots.find((s) => !s.busy);
    }
    slot.busy = true;
    const free = (s: Slot) => {
      s.busy = false;
      s.lastUsed = Date.now();
      this.waiters.shift()?.();
    };
    const memo = this.openFailure;
    if (memo && memo.until > Date.now()) {
      free(slot);
      return { ok: false, failure: memo.failure, ...(memo.error ? { error: memo.error } : {}) };
    }
    if (!slot.connection?.usable) {
      slot.connection = null;
      const opened = await this.open(signal);
      if (!opened.ok) {
        this.openFailure = { ...opened, until: Date.now() + this.opts.failureMemoMs };
        free(slot);
        return opened;
      }
      this.openFailure = null;
      slot.connection = opened.connection;
    }
    const held = slot;
    const connection = slot.connection;
    return {
      ok: true,
      connection,
      release: (reuse) => {
        if (!reuse || !connection.usable) {
          held.connection = null;
          void connection.close();
        }
        free(held);
      },
    };
  }

  private async open(
    signal: AbortSignal,
  ): Promise<{ ok: true; connection: SenderConnection } | Extract<Acquired, { ok: false }>> {
    for (const retry of [false, true]) {
      let endpoint: SenderEndpoint;
      try {
        endpoint = await this.endpoint(retry, signal);
      } catch (error) {
        return {
          ok: false,
          failure: { kind: 'auth', protocol: 'smtp', step: 'auth', detail: 'credentials unavailable' },
          error,
        };
      }
      const r = await this.sender.open(endpoint, { signal });
      if (r.ok) return r;
      // A refused OAuth token may be one the provider revoked early: refresh once (M47).
      if (!retry && endpoint.auth.type === 'oauth2' && this.opts.isOAuthRejection(r.failure)) continue;
      return r;
    }
    throw new Error('unreachable');
  }

  /** Closes connections unused for `idleMs` (all of them with `all`). */
  async closeIdle(now: number, all = false): Promise<void> {
    await Promise.all(
      this.slots.map(async (s) => {
        if (s.busy || !s.connection) return;
        if (all || now - s.lastUsed >= this.opts.idleMs) {
          const c = s.connection;
          s.connection = null;
          await c.close();
        }
      }),
    );
  }

  get busy(): boolean {
    return this.slots.some((s) => s.busy) || this.waiters.length > 0;
  }
}
