import { connect as netConnect, type Socket } from 'node:net';
import {
  type ConnectionOptions,
  type PeerCertificate,
  type TLSSocket,
  connect as tlsConnect,
} from 'node:tls';
import { type Pop3Error, pop3Error, socketFailure } from './pop3-errors.js';
import type { Pop3Limits, Pop3Target, Pop3Timeouts } from './pop3-options.js';
import { type BufferMeter, Pop3Reader } from './pop3-reader.js';

type Phase = 'connect' | 'tls' | 'session';
type TimerKind = 'connect' | 'greeting' | 'command';

export interface TransportOptions {
  target: Pop3Target;
  limits: Pop3Limits;
  timeouts: Pop3Timeouts;
  /** Absolute end of the session (ms since epoch). */
  sessionDeadline: number;
  signal?: AbortSignal;
  /** Whether a pinned certificate is configured (changes how chain errors are classified). */
  pinned: boolean;
  meter?: BufferMeter;
}

/**
 * One POP3 connection's sockets, deadlines and framing. Every socket gets an 'error'
 * listener when it is created and keeps it after destruction, so an error emitted after
 * the client was abandoned cannot crash the process (SECURITY.md §4.2). Any failure is
 * final: the sockets are destroyed and every pending and later operation rejects with it.
 */
export class Pop3Transport {
  readonly reader: Pop3Reader;
  private readonly raw: Socket;
  private socket: Socket | TLSSocket;
  private phase: Phase = 'connect';
  private dead: Pop3Error | null = null;
  private encrypted = false;
  private step = 'connect';
  private timer: NodeJS.Timeout | null = null;
  private timerMs = 0;
  private timerKind: TimerKind = 'command';
  private readonly sessionTimer: NodeJS.Timeout;
  private pendingReject: ((err: Pop3Error) => void) | null = null;
  private closing = false;
  private readonly onAbort = (): void => {
    const reason = this.opts.signal?.reason as { name?: string } | undefined;
    this.fail(
      reason?.name === 'TimeoutError'
        ? pop3Error('timeout', { timeout: 'session', step: this.step, host: this.opts.target.host })
        : pop3Error('closed', {
            code: 'ABORT_ERR',
            detail: 'aborted',
            step: this.step,
            host: this.opts.target.host,
          }),
    );
  };
  private readonly onData = (chunk: Buffer): void => this.reader.push(chunk);

  private constructor(private readonly opts: TransportOptions) {
    this.reader = new Pop3Reader({
      maxReplyBytes: opts.limits.maxReplyBytes,
      meter: opts.meter,
      onFatal: (err) => this.fail(this.withContext(err)),
    });
    this.raw = netConnect({ host: opts.target.address, port: opts.target.port, noDelay: true });
    this.socket = this.raw;
    this.watch(this.raw);
    const remaining = Math.max(0, opts.sessionDeadline - Date.now());
    this.sessionTimer = setTimeout(() => {
      this.fail(pop3Error('timeout', { timeout: 'session', step: this.step, host: opts.target.host }));
    }, remaining);
    opts.signal?.addEventListener('abort', this.onAbort, { once: true });
    if (opts.signal?.aborted) queueMicrotask(this.onAbort);
  }

  /** Opens the TCP connection to the validated address (no name resolution here). */
  static async dial(opts: TransportOptions): Promise<Pop3Transport> {
    const t = new Pop3Transport(opts);
    await t.waitFor((resolve) => t.raw.once('connect', resolve), 'connect', opts.timeouts.connectMs);
    t.phase = 'session';
    t.raw.on('data', t.onData);
    return t;
  }

  get isEncrypted(): boolean {
    return this.encrypted;
  }

  get isAlive(): boolean {
    return this.dead === null;
  }

  /** The failure that ended the connection, if any. */
  get failure(): Pop3Error | null {
    return this.dead;
  }

  get currentStep(): string {
    return this.step;
  }

  /** Names the current step: failures (timeouts, closes) report it. */
  setStep(step: string): void {
    this.step = step;
  }

  /**
   * Starts TLS on the current plain socket: implicit TLS right after connect, or after
   * a `+OK` to STLS. Our data listener comes off the plain socket first and the reader
   * must have been emptied by the caller, so no plaintext byte can reach us afterwards.
   */
  async startTls(tlsOptions: ConnectionOptions): Promise<PeerCertificate> {
    this.assertAlive();
    this.raw.removeListener('data', this.onData);
    this.phase = 'tls';
    const secure = tlsConnect({ ...tlsOptions, socket: this.raw });
    this.socket = secure;
    this.watch(secure);
    await this.waitFor(
      (resolve) => secure.once('secureConnect', resolve),
      'connect',
      this.opts.timeouts.connectMs,
    );
    this.phase = 'session';
    this.encrypted = true;
    secure.on('data', this.onData);
    return secure.getPeerCertificate(false);
  }

  /** Writes one command line (already validated and CRLF-terminated) and expects `responses`. */
  send(line: string, responses = 1): void {
    this.assertAlive();
    this.reader.expect(responses);
    this.socket.write(line, 'utf8');
  }

  /** Starts the per-command deadline. */
  startTimer(kind: TimerKind = 'command', ms = this.opts.timeouts.commandMs): void {
    this.stopTimer();
    this.timerKind = kind;
    this.timerMs = ms;
    this.timer = setTimeout(() => {
      this.fail(
        pop3Error('timeout', { timeout: this.timerKind, step: this.step, host: this.opts.target.host }),
      );
    }, ms);
  }

  /** Restarts the running deadline (progress on a streamed body). */
  refreshTimer(): void {
    this.timer?.refresh();
  }

  stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Back-pressure: stop reading (and stop the idle deadline) until `resume`. */
  pause(): void {
    this.socket.pause();
    this.stopTimer();
  }

  resume(): void {
    if (!this.isAlive) return;
    if (!this.timer) this.startTimer(this.timerKind, this.timerMs || this.opts.timeouts.commandMs);
    this.socket.resume();
  }

  /** Reads again after a pause, without a deadline (the body that paused is complete). */
  flow(): void {
    if (this.isAlive) this.socket.resume();
  }

  /** The server is about to close (after QUIT): the close is not a failure. */
  expectClose(): void {
    this.closing = true;
  }

  /** Ends the connection with `err` (default: closed by us). Idempotent. */
  fail(err: Pop3Error): void {
    if (this.dead) return;
    this.dead = err;
    this.stopTimer();
    clearTimeout(this.sessionTimer);
    this.opts.signal?.removeEventListener('abort', this.onAbort);
    this.socket.destroy();
    this.raw.destroy();
    this.reader.fail(err);
    const reject = this.pendingReject;
    this.pendingReject = null;
    reject?.(err);
  }

  /**
   * Hands the plain socket to someone else (reading a certificate after STLS). This
   * transport is finished afterwards; its 'error' listener stays on the socket.
   */
  releaseSocket(): Socket {
    this.assertAlive();
    this.raw.removeListener('data', this.onData);
    this.dead = pop3Error('closed', { detail: 'socket handed over', host: this.opts.target.host });
    this.stopTimer();
    clearTimeout(this.sessionTimer);
    this.opts.signal?.removeEventListener('abort', this.onAbort);
    this.reader.fail(this.dead);
    return this.raw;
  }

  /** Drops the connection without QUIT (pending operations reject as `closed`). */
  destroy(detail = 'connection closed by client'): void {
    this.fail(pop3Error('closed', { detail, step: this.step, host: this.opts.target.host }));
  }

  assertAlive(): void {
    if (this.dead) throw this.dead;
  }

  private watch(socket: Socket): void {
    // Never removed: a late 'error' on an abandoned socket must find a listener.
    socket.on('error', (err) => {
      this.fail(
        socketFailure(err, {
          phase: this.phase,
          step: this.phase === 'session' ? this.step : this.phase,
          host: this.opts.target.host,
          pinned: this.opts.pinned,
        }),
      );
    });
    socket.on('close', () => {
      const detail = this.closing ? 'connection closed after QUIT' : 'server closed the connection';
      const kind = this.phase === 'tls' ? 'tls' : this.phase === 'connect' ? 'connect' : 'closed';
      this.fail(pop3Error(kind, { detail, step: this.step, host: this.opts.target.host }));
    });
  }

  private withContext(err: Pop3Error): Pop3Error {
    if (err.failure.step) return err;
    const withStep = pop3Error(err.failure.kind, {
      ...err.failure,
      step: this.step,
      host: this.opts.target.host,
    });
    if (err.outgrown) withStep.outgrown = err.outgrown;
    return withStep;
  }

  private async waitFor(arm: (resolve: () => void) => void, kind: TimerKind, ms: number): Promise<void> {
    this.assertAlive();
    try {
      await new Promise<void>((resolve, reject) => {
        this.pendingReject = reject;
        this.startTimer(kind, ms);
        arm(resolve);
      });
    } finally {
      this.pendingReject = null;
      this.stopTimer();
    }
  }
}
