/** Why a probe was cut short from outside its own steps. */
export class DeadlineExceededError extends Error {
  readonly reason: 'deadline' | 'aborted';

  constructor(reason: 'deadline' | 'aborted') {
    super(reason === 'aborted' ? 'Probe aborted' : 'Probe deadline reached');
    this.name = 'DeadlineExceededError';
    this.reason = reason;
  }
}

/**
 * The whole-probe wall clock (M22, SECURITY.md §4.4): one timer that, when it fires (or the
 * signal aborts), rejects every raced step and runs the registered teardown (destroying
 * sockets). Inactivity timeouts alone miss a server that drips one byte at a time.
 */
export class ProbeDeadline {
  readonly expired: Promise<never>;
  private readonly teardown = new Set<() => void>();
  private readonly timer: NodeJS.Timeout;
  private readonly signal: AbortSignal | undefined;
  private readonly onAbort = (): void => this.fire('aborted');
  private error: DeadlineExceededError | null = null;
  private rejectExpired: (err: DeadlineExceededError) => void = () => {};

  constructor(
    private readonly deadline: number,
    signal?: AbortSignal,
  ) {
    this.expired = new Promise<never>((_resolve, reject) => {
      this.rejectExpired = reject;
    });
    // Nobody may be racing at the moment it fires; that must not be an unhandled rejection.
    this.expired.catch(() => {});
    this.timer = setTimeout(() => this.fire('deadline'), Math.max(0, deadline - Date.now()));
    this.signal = signal;
    if (signal?.aborted) queueMicrotask(this.onAbort);
    else signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  get isExpired(): boolean {
    return this.error !== null;
  }

  /** Milliseconds left, never negative. */
  remaining(): number {
    return Math.max(0, this.deadline - Date.now());
  }

  /** A per-step timeout cut to what is left of the whole probe (at least 1 ms). */
  bound(ms: number): number {
    return Math.max(1, Math.min(ms, this.remaining()));
  }

  /** Registers teardown run once when the deadline fires; returns an unregister function. */
  onExpire(fn: () => void): () => void {
    if (this.error) {
      fn();
      return () => {};
    }
    this.teardown.add(fn);
    return () => this.teardown.delete(fn);
  }

  /** Settles with `promise`, or rejects with DeadlineExceededError when the deadline fires first. */
  race<T>(promise: Promise<T>): Promise<T> {
    // The loser may reject later (its socket was destroyed): keep that from going unhandled.
    promise.catch(() => {});
    return Promise.race([promise, this.expired]);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.signal?.removeEventListener('abort', this.onAbort);
    this.teardown.clear();
  }

  private fire(reason: 'deadline' | 'aborted'): void {
    if (this.error) return;
    this.error = new DeadlineExceededError(reason);
    clearTimeout(this.timer);
    for (const fn of this.teardown) {
      try {
        fn();
      } catch {
        // Teardown is best effort: a throwing destroy must not keep the others from running.
      }
    }
    this.teardown.clear();
    this.rejectExpired(this.error);
  }
}
