import type { MailFailureKind } from '../../domain/mailbox/mail-failure.js';
import { cleanServerText, type Pop3Error, parseResponseCode, pop3Error } from './pop3-errors.js';
import type { Pop3Transport } from './pop3-transport.js';

/** A parsed status line. `text` is raw server text: sanitise before showing it. */
export interface Status {
  type: 'ok' | 'err' | 'continue';
  /** What follows the status indicator. */
  text: string;
  /** The whole line, for failure reports. */
  line: string;
}

/**
 * The command layer under Pop3Client: one operation at a time, status-line parsing,
 * per-command deadlines and failures that carry the step, host and sanitised, secret-
 * free server text. Internal to src/mail/pop3.
 */
export class Pop3Commands {
  /** Strings to redact from anything we report (set by login). */
  secrets: string[] = [];
  private lock: Promise<void> = Promise.resolve();

  constructor(
    readonly t: Pop3Transport,
    private readonly host: string,
  ) {}

  /** Runs `fn` alone: later calls wait until it settles. */
  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  }

  /** Takes the lock by hand (a streamed body keeps it until its end). Rejects on a dead connection. */
  async acquire(): Promise<() => void> {
    const previous = this.lock;
    let release!: () => void;
    this.lock = new Promise<void>((r) => {
      release = r;
    });
    await previous;
    const dead = this.t.failure;
    if (dead) {
      release();
      throw dead;
    }
    return release;
  }

  /** Runs a read under the per-command deadline. */
  async timed<T>(fn: () => Promise<T>, kind: 'command' | 'greeting' = 'command'): Promise<T> {
    this.t.startTimer(kind);
    try {
      return await fn();
    } finally {
      this.t.stopTimer();
    }
  }

  /** Reads one status line; anything but +OK, -ERR or "+" kills the connection. */
  async readStatus(options: { discardRest?: boolean } = {}): Promise<Status> {
    const line = (await this.t.reader.readLine(options)).toString('utf8');
    const m = /^(\+OK|-ERR|\+)(?:[ \t]+(.*)|)$/is.exec(line);
    if (!m?.[1]) {
      const err = this.fail('protocol', this.t.currentStep, {
        detail: 'not a POP3 status line',
        response: line.slice(0, 200),
      });
      this.t.fail(err);
      throw err;
    }
    const tag = m[1].toUpperCase();
    return { type: tag === '+OK' ? 'ok' : tag === '-ERR' ? 'err' : 'continue', text: m[2] ?? '', line };
  }

  /** Sends a line and reads its status under the command deadline. */
  async exchange(line: string): Promise<Status> {
    this.t.send(line);
    return this.timed(() => this.readStatus());
  }

  /**
   * Sends a command (`reads` = 2 for multi-line responses) and reads its status; -ERR
   * throws a failure of `errKind` and leaves the connection usable.
   */
  async simple(
    step: string,
    command: string,
    reads = 1,
    errKind: MailFailureKind = 'reply',
  ): Promise<Status> {
    this.t.setStep(step);
    this.t.send(`${command}\r\n`, reads);
    const status = await this.timed(() => this.readStatus());
    if (status.type === 'ok') return status;
    if (status.type === 'err') this.t.reader.expect(1 - reads);
    throw this.unexpected(status, errKind, step);
  }

  /** The failure for a status that is not +OK; a stray continuation also kills the connection. */
  unexpected(status: Status, errKind: MailFailureKind, step: string): Pop3Error {
    if (status.type === 'err') return this.replyError(errKind, step, status);
    const err = this.fail('protocol', step, { detail: 'unexpected continuation', response: status.line });
    this.t.fail(err);
    return err;
  }

  replyError(kind: MailFailureKind, step: string, status: Status): Pop3Error {
    return this.fail(kind, step, { response: status.line, code: parseResponseCode(status.text).code });
  }

  fail(kind: MailFailureKind, step: string | undefined, fields: Record<string, unknown>): Pop3Error {
    return pop3Error(kind, { host: this.host, step, ...fields }, this.secrets);
  }

  /** Server text made safe to show. */
  clean(text: string): string {
    return cleanServerText(text, this.secrets);
  }
}
