import type { Socket } from 'node:net';
import type SMTPConnection from 'nodemailer/lib/smtp-connection';

/** The code on the error a tripped guard destroys the socket with (nodemailer keeps it as `originalCode`). */
export const SERVER_DATA_LIMIT_CODE = 'ESERVERDATA';

/** What a server may send us: per command window and (optionally) over the whole connection. */
export interface ServerDataCaps {
  /** Bytes received since our last command was written (the greeting counts from the connect). */
  perCommandBytes: number;
  /** Bytes received over the connection's life; unset = no cap beyond the per-command one. */
  sessionBytes?: number;
}

/**
 * Why 256 KiB a command: nodemailer already caps one reply (maxResponseSize: 16 KiB in the
 * probe, 64 KiB when sending), but not blank lines, which it queues one entry each and skips
 * one per event-loop turn: a server sending CRLF after `220` grew the process by ~220 MB in
 * 30 s (bench/hostile/smtp-blank-lines.ts). The most a real server sends between two of our
 * commands is the answer to a pipelined envelope: 100 recipients (RECIPIENTS_MAX) × a 512-byte
 * reply line (RFC 5321 §4.5.3.1.5) + MAIL, DATA and one reply at the 64 KiB cap ≈ 116 KiB; a
 * multi-line EHLO is a few kB. Reset at every command, so a pooled connection sending
 * thousands of messages is never refused, and what a server can make us queue stays below
 * two windows (the next command waits for the reply behind the queued lines).
 */
export const DEFAULT_SERVER_DATA_CAPS: ServerDataCaps = { perCommandBytes: 256 * 1024 };

/** The socket was destroyed because the server sent more than a cap allows. */
export class ServerDataLimitError extends Error {
  readonly code = SERVER_DATA_LIMIT_CODE;

  constructor(
    readonly limitBytes: number,
    readonly scope: 'command' | 'session',
  ) {
    super(
      scope === 'command'
        ? `The server sent more than ${limitBytes} bytes without a command of ours to answer`
        : `The server sent more than ${limitBytes} bytes over the connection`,
    );
    this.name = 'ServerDataLimitError';
  }
}

/** Counts what the server sends; `received` returns the error once a count passes its cap. */
export class ServerDataGuard {
  private sinceCommand = 0;
  private total = 0;
  private tripped: ServerDataLimitError | null = null;

  constructor(readonly caps: ServerDataCaps) {}

  /** Bytes received since our last command (for tests). */
  get windowBytes(): number {
    return this.sinceCommand;
  }

  /** Our command went out: the server's answer to it starts a new window. */
  commandWritten(): void {
    this.sinceCommand = 0;
  }

  received(bytes: number): ServerDataLimitError | null {
    if (this.tripped) return this.tripped;
    this.sinceCommand += bytes;
    this.total += bytes;
    const { perCommandBytes, sessionBytes } = this.caps;
    if (this.sinceCommand > perCommandBytes)
      this.tripped = new ServerDataLimitError(perCommandBytes, 'command');
    else if (sessionBytes !== undefined && this.total > sessionBytes) {
      this.tripped = new ServerDataLimitError(sessionBytes, 'session');
    }
    return this.tripped;
  }
}

/** The nodemailer internals the guard sits on; see `guardServerData`. */
interface DataInternals {
  _onSocketData?: (chunk: Buffer) => void;
  _socket?: Socket | false;
}

/**
 * Puts `guard` between nodemailer and every socket it reads: before a chunk reaches its line
 * parser it is counted, and a chunk past a cap destroys the socket with ServerDataLimitError
 * instead (nodemailer reports it as the connection's error). Must run before `connect()`.
 * It wraps nodemailer's one data handler rather than adding a 'data' listener of ours: that
 * handler is what nodemailer attaches to our socket, to the TLS socket we give it, and to the
 * TLS socket it creates itself for STARTTLS (which we never hold, and under which our plain
 * socket carries only ciphertext), and a listener added before nodemailer's would switch the
 * socket to flowing mode and drop what arrives before nodemailer attaches.
 */
export function guardServerData(conn: SMTPConnection, guard: ServerDataGuard): void {
  const internals = conn as unknown as DataInternals;
  const original = internals._onSocketData;
  if (typeof original !== 'function') {
    throw new Error('nodemailer SMTPConnection internals changed: cannot cap what the server sends');
  }
  internals._onSocketData = (chunk: Buffer): void => {
    const err = guard.received(chunk.length);
    if (!err) {
      original(chunk);
      return;
    }
    const socket = internals._socket;
    if (socket && !socket.destroyed) socket.destroy(err);
  };
}
