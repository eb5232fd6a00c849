import type { TLSSocket } from 'node:tls';
import SMTPConnection, {
  type SMTPConnectionCustomAuthContext,
  type SMTPConnectionOptions,
} from 'nodemailer/lib/smtp-connection';
import type { MailAuth } from '../../domain/mailbox/connection.js';
import {
  DEFAULT_SERVER_DATA_CAPS,
  guardServerData,
  type ServerDataCaps,
  ServerDataGuard,
} from './smtp-server-data-guard.js';

/** One line of the SMTP dialogue as nodemailer saw it (client commands come pre-masked for AUTH). */
export interface TranscriptEntry {
  dir: 'C' | 'S';
  text: string;
  at: number;
}

// Bounds what a hostile server can make us keep: each reply is already capped by
// maxResponseSize; this caps how many we remember.
const MAX_TRANSCRIPT_ENTRIES = 64;

/** The private pair nodemailer's own `reset()` uses; see `command()`. */
interface SmtpConnectionInternals {
  _sendCommand(command: string): void;
  _responseActions: Array<(reply: string) => void>;
}

/**
 * One nodemailer SMTPConnection with what a probe needs around it: a transcript (from
 * nodemailer's transaction log, kept in memory, never printed), an `error` listener for the
 * connection's whole life (SECURITY.md §4.2), and a `failed` promise that rejects once the
 * connection errors or ends so every awaited step can race it.
 */
export class SmtpSession {
  readonly conn: SMTPConnection;
  readonly transcript: TranscriptEntry[] = [];
  readonly failed: Promise<never>;
  /** What the server sent since our last command and in all (SECURITY.md §4.2 caps). */
  readonly serverData: ServerDataGuard;
  /** Told of every command written and every whole reply read (a send's deadlines, while it runs). */
  watcher: { commandWritten(text: string): void; replied(): void } | null = null;
  private lastError: Error | null = null;

  constructor(
    options: SMTPConnectionOptions,
    auth: MailAuth,
    serverDataCaps: ServerDataCaps = DEFAULT_SERVER_DATA_CAPS,
  ) {
    this.serverData = new ServerDataGuard(serverDataCaps);
    let rejectFailed: (err: Error) => void = () => {};
    this.failed = new Promise<never>((_resolve, reject) => {
      rejectFailed = reject;
    });
    this.failed.catch(() => {});
    const record = (dir: 'C' | 'S') => (_entry: unknown, message?: unknown) => {
      if (typeof message !== 'string' || this.transcript.length >= MAX_TRANSCRIPT_ENTRIES) return;
      this.transcript.push({ dir, text: message, at: Date.now() });
    };
    const onServer = record('S');
    const onClient = record('C');
    const ignore = (): void => {};
    this.conn = new SMTPConnection({
      ...options,
      transactionLog: true,
      debug: false,
      logger: {
        // transactionLog lines arrive at debug level tagged tnx=server|client; nothing else is kept.
        debug: (entry: { tnx?: unknown } | undefined, message?: unknown) => {
          // Logged once per whole reply (partial lines are held back until complete).
          if (entry?.tnx === 'server') {
            this.watcher?.replied();
            onServer(entry, message);
          } else if (entry?.tnx === 'client') {
            // Logged as each command is written (the message body is not a command).
            this.serverData.commandWritten();
            this.watcher?.commandWritten(typeof message === 'string' ? message : '');
            onClient(entry, message);
          }
        },
        trace: ignore,
        info: ignore,
        warn: ignore,
        error: ignore,
        fatal: ignore,
      },
      customAuth:
        auth.type === 'oauth2' ? { [XOAUTH2_ONCE]: xoauth2Handler(auth.user, auth.accessToken) } : {},
    });
    guardServerData(this.conn, this.serverData);
    this.conn.on('error', (err: Error) => {
      this.lastError = err;
      rejectFailed(err);
    });
    this.conn.on('end', () => {
      rejectFailed(
        this.lastError ?? Object.assign(new Error('Connection closed unexpectedly'), { code: 'ECONNECTION' }),
      );
    });
  }

  /** Greeting, EHLO and (when required) STARTTLS + EHLO again: resolves once nodemailer is ready. */
  connect(): Promise<void> {
    const connected = new Promise<void>((resolve, reject) => {
      this.conn.connect((err?: Error) => (err ? reject(err) : resolve()));
    });
    return Promise.race([connected, this.failed]);
  }

  login(auth: MailAuth, method: 'PLAIN' | 'LOGIN' | 'XOAUTH2'): Promise<void> {
    const loggedIn = new Promise<void>((resolve, reject) => {
      const data =
        auth.type === 'password'
          ? { method, user: auth.user, pass: auth.pass }
          : { method: XOAUTH2_ONCE, user: auth.user };
      this.conn.login(data, (err) => (err ? reject(err) : resolve()));
    });
    return Promise.race([loggedIn, this.failed]);
  }

  /**
   * Sends one command and resolves with the server's whole reply. SMTPConnection's public API
   * has no way to send MAIL FROM/RCPT TO without DATA (`send()` always pipelines DATA), so this
   * uses the same two internals as its public `reset()`; a guard fails loudly if they change.
   */
  command(command: string): Promise<string> {
    if (/[\r\n\0]/.test(command)) return Promise.reject(new Error('Refusing a command with CR, LF or NUL'));
    const internals = this.conn as unknown as Partial<SmtpConnectionInternals>;
    if (typeof internals._sendCommand !== 'function' || !Array.isArray(internals._responseActions)) {
      return Promise.reject(
        new Error('nodemailer SMTPConnection internals changed: cannot send probe commands'),
      );
    }
    const replied = new Promise<string>((resolve) => {
      internals._responseActions?.push(resolve);
      internals._sendCommand?.(command);
    });
    return Promise.race([replied, this.failed]);
  }

  /**
   * One whole mail transaction through nodemailer's public `send()` (MAIL, RCPT, DATA with
   * dot-stuffing); resolves with the server's final reply. `smtputf8` only when offered.
   */
  send(
    envelope: { from: string; to: string[]; use8BitMime?: boolean },
    raw: Buffer,
    smtputf8 = false,
  ): Promise<{ response: string; messageSize?: number }> {
    const sent = new Promise<{ response: string; messageSize?: number }>((resolve, reject) => {
      this.conn.send({ ...envelope, ...(smtputf8 ? { smtputf8: true } : {}) } as never, raw, (err, info) =>
        err
          ? reject(err)
          : resolve({
              response: info.response,
              ...(info.messageSize ? { messageSize: info.messageSize } : {}),
            }),
      );
    });
    return Promise.race([sent, this.failed]);
  }

  /** The TLS socket after STARTTLS or implicit TLS, for the negotiated certificate. */
  tlsSocket(): TLSSocket | null {
    const socket = this.conn._socket;
    return socket && 'getPeerCertificate' in socket ? (socket as TLSSocket) : null;
  }

  close(): void {
    this.conn.close();
  }
}

// Our XOAUTH2 runs as a custom mechanism under its own name: asking nodemailer for 'XOAUTH2'
// without its token generator makes it silently pick PLAIN instead.
const XOAUTH2_ONCE = 'X-MAILROOM-XOAUTH2';

/**
 * XOAUTH2 sent exactly once (nodemailer's built-in retries the same token after a 334 error
 * challenge, sending it twice). On failure the server sends a base64 JSON challenge (334);
 * the empty reply fetches the final 5xx, which becomes the error's response.
 */
function xoauth2Handler(user: string, accessToken: string) {
  const token = Buffer.from(`user=${user}\x01auth=Bearer ${accessToken}\x01\x01`, 'utf8').toString('base64');
  return async (ctx: SMTPConnectionCustomAuthContext): Promise<void> => {
    const first = await ctx.sendCommand(`AUTH XOAUTH2 ${token}`);
    const final = first.status === 334 ? await ctx.sendCommand('') : first;
    if (final.status >= 200 && final.status < 300) ctx.resolve();
    else ctx.reject(new Error('Invalid login'));
  };
}
