/** Which wall-clock bound of a send fired (smtp-error.ts reads it as a timeout). */
export type SendDeadlineType = 'COMMAND_DEADLINE' | 'DATA_END_DEADLINE' | 'ATTEMPT_DEADLINE';

/** A send cut short by one of its wall-clock bounds; shaped like nodemailer's timeout errors. */
export class SendDeadlineError extends Error {
  readonly code = 'ETIMEDOUT';

  constructor(
    readonly timeoutType: SendDeadlineType,
    ms: number,
    /** The command whose reply did not come (`MAIL FROM`, `RCPT TO`, `DATA`, `RSET`), if any. */
    readonly command?: string,
  ) {
    super(
      timeoutType === 'ATTEMPT_DEADLINE'
        ? `The send did not finish within ${ms} ms`
        : `No complete reply ${command ? `to ${command} ` : 'to the end of the data '}within ${ms} ms`,
    );
    this.name = 'SendDeadlineError';
  }
}

export interface SendDeadlineLimits {
  /** From writing a command to its whole reply. */
  commandMs: number;
  /** From the final dot to its whole reply. */
  dataEndMs: number;
  /** The whole send, from MAIL FROM to the last reply (RSET after a refusal included). */
  attemptMs: number;
}

interface Awaited {
  due: number;
  type: SendDeadlineType;
  ms: number;
  command?: string;
}

const COMMAND_NAME = /^(MAIL FROM|RCPT TO|DATA|RSET|QUIT|NOOP|\.)/i;

/**
 * The wall-clock bounds of one send (SECURITY.md §4.2 "slow drip", §4.4). Socket inactivity
 * timers restart on every byte, so a server dripping a reply keeps them quiet for ever; these
 * restart only on a whole reply. Each command written gets its own due time (pipelined commands
 * queue up, replies come in order), the final dot gets `dataEndMs`, and the whole send
 * `attemptMs`. When one fires, `onExpire` gets the error (the caller fails the send with it
 * and destroys the connection). One per send: `dispose` before the connection is pooled again.
 */
export class SendDeadlines {
  private readonly awaiting: Awaited[] = [];
  private replyTimer: NodeJS.Timeout | null = null;
  private readonly attemptTimer: NodeJS.Timeout;
  private done = false;

  constructor(
    private readonly limits: SendDeadlineLimits,
    private readonly onExpire: (err: SendDeadlineError) => void,
  ) {
    this.attemptTimer = setTimeout(
      // Named after the command still waiting, if any, so the failure names its step.
      () => this.fire(new SendDeadlineError('ATTEMPT_DEADLINE', limits.attemptMs, this.awaiting[0]?.command)),
      limits.attemptMs,
    );
  }

  /** A command went out (nodemailer's transaction log): its reply is due within `commandMs`. */
  commandWritten(text: string): void {
    const name = COMMAND_NAME.exec(text)?.[1]?.toUpperCase();
    const command = name === '.' ? undefined : name;
    this.expect('COMMAND_DEADLINE', this.limits.commandMs, command);
  }

  /** The final dot is about to go out: its reply is due within `dataEndMs`. */
  dataEnd(): void {
    this.expect('DATA_END_DEADLINE', this.limits.dataEndMs);
  }

  /** A whole reply arrived: it answers the oldest command still waiting. */
  replied(): void {
    this.awaiting.shift();
    this.arm();
  }

  dispose(): void {
    this.done = true;
    clearTimeout(this.attemptTimer);
    if (this.replyTimer) clearTimeout(this.replyTimer);
    this.replyTimer = null;
    this.awaiting.length = 0;
  }

  private expect(type: SendDeadlineType, ms: number, command?: string): void {
    if (this.done) return;
    this.awaiting.push({ due: Date.now() + ms, type, ms, ...(command ? { command } : {}) });
    if (this.awaiting.length === 1) this.arm();
  }

  private arm(): void {
    if (this.replyTimer) clearTimeout(this.replyTimer);
    this.replyTimer = null;
    const head = this.awaiting[0];
    if (!head || this.done) return;
    this.replyTimer = setTimeout(
      () => this.fire(new SendDeadlineError(head.type, head.ms, head.command)),
      Math.max(0, head.due - Date.now()),
    );
  }

  private fire(err: SendDeadlineError): void {
    if (this.done) return;
    this.dispose();
    this.onExpire(err);
  }
}
