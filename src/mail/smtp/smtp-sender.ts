import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import type { MailFailure } from '../../domain/mailbox/mail-failure.js';
import type {
  MailSender,
  OpenResult,
  RejectedRecipient,
  SendEnvelope,
  SenderConnection,
  SenderEndpoint,
  SendHooks,
  SendResult,
} from '../../ports/mail-sender.js';
import type { MailTargetResolver } from '../../ports/mail-target-resolver.js';
import { ProbeDeadline } from '../probe/probe-deadline.js';
import { probeSecretsOf } from '../probe/probe-recorder.js';
import { connectTcp, endpointTlsOptions, startTls } from '../probe/probe-sockets.js';
import { parseEhloReply } from './smtp-capabilities.js';
import { smtpFailureFromError } from './smtp-error.js';
import { readHandshake } from './smtp-handshake.js';
import { smtpAuthMethod } from './smtp-probe-plan.js';
import { type SendDeadlineError, SendDeadlines } from './smtp-send-deadlines.js';
import { SmtpSession } from './smtp-session.js';

/**
 * Sending timeouts (SECURITY.md §4.4): connect 15 s, greeting 30 s, commands 60 s, final dot
 * 10 min, whole attempt 15 min. Once open, every bound of a send is wall-clock (a server that
 * drips a reply one byte at a time keeps an inactivity timer quiet): smtp-send-deadlines.ts.
 */
export interface SmtpSenderTimeouts {
  connectMs: number;
  greetingMs: number;
  /** Whole open: resolve, connect, TLS, greeting, EHLO, AUTH. */
  openMs: number;
  /** From writing a command (MAIL FROM, RCPT TO, DATA, RSET) to its whole reply; also socket inactivity. */
  commandMs: number;
  /** From the final dot to its whole reply (RFC 5321 §4.5.3.2: 10 minutes). */
  dataEndMs: number;
  /** One whole send on an open connection, MAIL FROM to the last reply. */
  attemptMs: number;
}

export const DEFAULT_SMTP_SENDER_TIMEOUTS: SmtpSenderTimeouts = {
  connectMs: 15_000,
  greetingMs: 30_000,
  openMs: 90_000,
  commandMs: 60_000,
  dataEndMs: 10 * 60_000,
  attemptMs: 15 * 60_000,
};

const MAX_REPLY_BYTES = 64 * 1024;
// What the server sends is capped per command by SmtpSession's default guard
// (smtp-server-data-guard.ts), not over the connection's life: a pooled connection sends as
// long as its address has mail, and the per-command cap already ties what a server can send to
// what we send.

export interface SmtpSenderDeps {
  resolver: MailTargetResolver;
  trustedCa?: readonly string[];
  clientName?: string;
  timeouts?: Partial<SmtpSenderTimeouts>;
}

/**
 * The sending adapter (issue 9 item 3) over nodemailer's SMTP connection: every open resolves
 * through the network policy and dials the validated IP (M53), verifies TLS against the typed
 * host or the pinned certificate (M54), never downgrades STARTTLS, and authenticates. Each
 * send runs one whole transaction through nodemailer's public `send()` (pipelined envelope,
 * dot-stuffing), holding the final dot until the caller has recorded that it is about to go.
 */
export function createSmtpSender(deps: SmtpSenderDeps): MailSender {
  const timeouts = { ...DEFAULT_SMTP_SENDER_TIMEOUTS, ...deps.timeouts };
  return {
    open: (endpoint, options) => open(deps, timeouts, endpoint, options.signal),
  };
}

async function open(
  deps: SmtpSenderDeps,
  timeouts: SmtpSenderTimeouts,
  endpoint: SenderEndpoint,
  signal: AbortSignal | undefined,
): Promise<OpenResult> {
  const secrets = probeSecretsOf(endpoint.auth);
  const deadline = new ProbeDeadline(Date.now() + timeouts.openMs, signal);
  const sockets: Socket[] = [];
  let step = 'resolve';
  let session: SmtpSession | null = null;
  const fail = (err: unknown, at = step): OpenResult => {
    session?.close();
    for (const s of sockets) s.destroy();
    return { ok: false, failure: smtpFailureFromError(err, at, endpoint.host, secrets) };
  };
  try {
    const target = await deadline.race(
      deps.resolver.resolve(endpoint.host, endpoint.port, 'smtp', { sandbox: endpoint.sandbox === true }),
    );
    step = 'connect';
    const tls = endpointTlsOptions(endpoint.host, endpoint.pinnedCert, deps.trustedCa);
    let socket: Socket = await deadline.race(
      connectTcp({
        address: target.address,
        port: target.port,
        timeoutMs: deadline.bound(timeouts.connectMs),
        deadline,
      }),
    );
    sockets.push(socket);
    // The final dot goes out on its own, after the DB write: Nagle would hold it for the ACK.
    socket.setNoDelay(true);
    if (endpoint.security === 'tls') {
      step = 'tls';
      socket = await deadline.race(
        startTls({ socket, tls, timeoutMs: deadline.bound(timeouts.greetingMs), deadline }),
      );
      sockets.push(socket);
    }
    step = 'greeting';
    const implicit = endpoint.security === 'tls';
    const s = new SmtpSession(
      {
        connection: socket,
        secure: implicit,
        secured: implicit,
        requireTLS: endpoint.security === 'starttls',
        ignoreTLS: endpoint.security === 'none',
        host: target.address,
        port: target.port,
        ...(deps.clientName ? { name: deps.clientName } : {}),
        tls,
        connectionTimeout: Math.max(1, deadline.remaining()),
        greetingTimeout: deadline.bound(timeouts.greetingMs),
        socketTimeout: timeouts.commandMs,
        socketCloseTimeout: 0,
        maxResponseSize: MAX_REPLY_BYTES,
      },
      endpoint.auth,
    );
    session = s;
    deadline.onExpire(() => s.close());
    const started = Date.now();
    try {
      await deadline.race(s.connect());
    } catch (err) {
      const failedCommand = (err as { command?: unknown }).command;
      const timeline = readHandshake(
        s.transcript,
        endpoint.security,
        started,
        false,
        typeof failedCommand === 'string' ? failedCommand : undefined,
      );
      return fail(err, timeline.failedStep ?? 'ehlo');
    }
    const timeline = readHandshake(s.transcript, endpoint.security, started, true);
    const caps = parseEhloReply(timeline.ehlo.reply ?? '');
    step = 'auth';
    const method = smtpAuthMethod(endpoint.auth, caps.authMethods);
    if (method === null) {
      s.close();
      const offered = caps.authMethods.length > 0 ? caps.authMethods.join(' ') : 'none';
      const failure: MailFailure = {
        kind: 'unsupported',
        protocol: 'smtp',
        step: 'auth',
        host: endpoint.host,
        detail: `No usable AUTH mechanism (server offers: ${offered})`,
      };
      return { ok: false, failure };
    }
    await deadline.race(s.login(endpoint.auth, method));
    deadline.dispose();
    return {
      ok: true,
      connection: new SmtpSenderConnection(s, sockets, endpoint.host, secrets, timeouts, {
        size: caps.size,
        smtpUtf8: caps.smtpUtf8,
      }),
    };
  } catch (err) {
    return fail(err);
  } finally {
    deadline.dispose();
  }
}

/** nodemailer's send error/info fields we read. */
interface SendInfo {
  response?: string;
  serverMessageId?: string;
  rejectedErrors?: unknown[];
}

const STEP_OF_COMMAND: Record<string, string> = {
  'MAIL FROM': 'mail_from',
  'RCPT TO': 'rcpt_to',
  DATA: 'data',
};

class SmtpSenderConnection implements SenderConnection {
  private broken = false;
  /** How the connection failed, once it has. */
  private failedWith: { err: unknown } | null = null;
  /** The send in progress is told when the connection fails (see `send`). */
  private onFailure: ((err: unknown) => void) | null = null;

  constructor(
    private readonly session: SmtpSession,
    /** Our sockets (TCP, implicit TLS): destroyed when a deadline fires. */
    private readonly sockets: readonly Socket[],
    private readonly host: string,
    private readonly secrets: string[],
    private readonly timeouts: SmtpSenderTimeouts,
    readonly capabilities: { size: number | null; smtpUtf8: boolean },
  ) {
    // One listener for the connection's life: a per-send `failed.catch(…)` would leave one
    // pending reaction per email on a promise that settles only when the connection dies.
    session.failed.catch((err: unknown) => {
      this.broken = true;
      this.failedWith = { err };
      this.onFailure?.(err);
    });
  }

  get usable(): boolean {
    return !this.broken;
  }

  private failure(err: unknown, step: string): MailFailure {
    return smtpFailureFromError(err, step, this.host, this.secrets);
  }

  private rejectedOf(errors: unknown[] | undefined): RejectedRecipient[] {
    return (errors ?? []).map((e) => ({
      address: String((e as { recipient?: unknown }).recipient ?? ''),
      failure: this.failure(e, 'rcpt_to'),
    }));
  }

  private setSocketTimeout(ms: number): void {
    const socket = this.session.conn._socket;
    if (socket) socket.setTimeout(ms);
  }

  async send(
    envelope: SendEnvelope,
    mime: Buffer,
    hooks: SendHooks,
    signal?: AbortSignal,
  ): Promise<SendResult> {
    if (this.broken) {
      const failure = this.failure(
        Object.assign(new Error('Connection closed unexpectedly'), { code: 'ECONNECTION' }),
        'mail_from',
      );
      return { ok: false, phase: 'before_data_end', failure, rejected: [], broken: true };
    }
    let dataEnd = false;
    let part = 0;
    const body = new Readable({
      read() {
        if (part === 0) {
          part = 1;
          this.push(mime);
        } else if (part === 1) {
          part = 2;
          hooks.beforeDataEnd().then(
            () => {
              dataEnd = true;
              setTimeoutForDot();
              this.push(null);
            },
            (err: unknown) => this.destroy(err instanceof Error ? err : new Error(String(err))),
          );
        }
      },
    });
    const setTimeoutForDot = () => {
      deadlines.dataEnd();
      this.setSocketTimeout(this.timeouts.dataEndMs);
    };
    const onAbort = () => this.session.close();
    signal?.addEventListener('abort', onAbort, { once: true });
    // This send's own wall-clock bounds, gone with it (a pooled connection's next email starts afresh).
    let expired: (err: SendDeadlineError) => void = () => {};
    const deadlines = new SendDeadlines(this.timeouts, (err) => {
      expired(err);
      this.destroy();
    });
    this.session.watcher = deadlines;
    try {
      const info = await new Promise<SendInfo>((resolve, reject) => {
        // The deadline's error first: the destroy it causes would otherwise report "closed".
        expired = reject;
        // nodemailer closes the connection and then fails the send with the server's reply
        // (a refused MAIL FROM): let that reply win over the bare "connection closed".
        const failLater = (err: unknown) => setImmediate(() => reject(err));
        if (this.failedWith) failLater(this.failedWith.err);
        else this.onFailure = failLater;
        this.session.conn.send(
          {
            from: envelope.from,
            to: envelope.to,
            ...(envelope.smtpUtf8 ? { smtputf8: true } : {}),
          } as never,
          body as never,
          (err, result) => (err ? reject(err) : resolve(result as unknown as SendInfo)),
        );
      });
      this.setSocketTimeout(this.timeouts.commandMs);
      const reply = info.response ?? '';
      return {
        ok: true,
        reply,
        queueId: queueIdOf(reply) ?? info.serverMessageId ?? null,
        rejected: this.rejectedOf(info.rejectedErrors),
      };
    } catch (err) {
      const e = err as { command?: unknown; rejectedErrors?: unknown[]; response?: unknown; code?: unknown };
      const command = typeof e.command === 'string' ? e.command : '';
      const step = STEP_OF_COMMAND[command] ?? (dataEnd || part > 0 ? 'data' : 'mail_from');
      const failure = this.failure(err, e.code === 'EENVELOPE' && e.rejectedErrors ? 'rcpt_to' : step);
      // A reply to the command (4xx/5xx) leaves the session usable after RSET; anything else does not.
      const answered = typeof e.response === 'string' && /^[45]\d\d/.test(e.response) && !this.broken;
      if (answered && e.code !== 'ECONNECTION') {
        try {
          this.setSocketTimeout(this.timeouts.commandMs);
          const rset = await this.session.command('RSET');
          if (!rset.startsWith('2')) this.broken = true;
        } catch {
          this.broken = true;
        }
      } else {
        this.broken = true;
        this.session.close();
      }
      return {
        ok: false,
        phase: dataEnd ? 'after_data_end' : 'before_data_end',
        failure,
        rejected: this.rejectedOf(e.rejectedErrors),
        broken: this.broken,
      };
    } finally {
      deadlines.dispose();
      this.session.watcher = null;
      this.onFailure = null;
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Tears the connection down at once (no QUIT: the server is not answering in time). */
  private destroy(): void {
    this.broken = true;
    this.session.close();
    for (const s of this.sockets) s.destroy();
  }

  async close(): Promise<void> {
    if (!this.broken) {
      this.broken = true;
      const quit = this.session.command('QUIT').catch(() => '');
      await Promise.race([quit, new Promise((r) => setTimeout(r, 1_000).unref())]);
    }
    this.session.close();
  }
}

/** `250 2.0.0 Ok: queued as 4Xy…`, `250 OK id=1abc-…`, `250 Message accepted <id>`. */
export function queueIdOf(reply: string): string | null {
  const m =
    /queued as\s+([^\s;,]+)/i.exec(reply) ??
    /\bid=([^\s;,]+)/i.exec(reply) ??
    /<([^<>\s]{1,200})>/.exec(reply);
  return m?.[1]?.slice(0, 200) ?? null;
}
