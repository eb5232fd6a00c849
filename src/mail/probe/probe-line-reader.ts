import type { Socket } from 'node:net';

/**
 * Longest line, and most bytes held at once (unread lines with their terminators plus a
 * partial one): a flood of bare CRLF counts 2 bytes a line, not 0.
 */
const MAX_LINE = 8 * 1024;
const MAX_HELD = 32 * 1024;
/** Most unread lines held at once (a dialogue here is a few dozen). */
export const MAX_HELD_LINES = 4_096;
/** Most bytes in one multi-line SMTP reply, CRLFs included. */
const MAX_SMTP_REPLY = 16 * 1024;

/**
 * Minimal CRLF line reader for the short plaintext dialogues the certificate helpers run
 * (greeting, EHLO/CAPABILITY, STARTTLS) on a socket nothing else reads. Bounded: a line
 * longer than 8 KiB, more than 32 KiB or 4,096 lines unread, a reply over 16 KiB, a close or
 * an error rejects; once refused, further bytes are dropped. `detach()` stops reading so the
 * socket can be handed to `tls.connect`; bytes left over are dropped (RFC 3207 §6).
 */
export class LineReader {
  private buffer = '';
  /** Unread lines as received, `\r` included (their size is `length + 1`). */
  private lines: string[] = [];
  private heldBytes = 0;
  private failure: Error | null = null;
  private waiter: { resolve: (line: string) => void; reject: (err: Error) => void } | null = null;
  private readonly onData = (chunk: Buffer): void => this.push(chunk);
  private readonly onEnd = (): void => this.fail(new Error('Connection closed'));
  private readonly onError = (err: Error): void => this.fail(err);

  constructor(private readonly socket: Socket) {
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', this.onEnd);
    socket.on('error', this.onError);
  }

  nextLine(): Promise<string> {
    const line = this.take();
    if (line !== undefined) return Promise.resolve(line);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  /** Reads one SMTP reply (all continuation lines); resolves the whole text. */
  async smtpReply(maxLines = 200): Promise<string> {
    const lines: string[] = [];
    let size = 0;
    for (let i = 0; i < maxLines; i++) {
      const line = await this.nextLine();
      size += line.length + 2;
      if (size > MAX_SMTP_REPLY) throw new Error('SMTP reply too long');
      lines.push(line);
      if (!/^\d{3}-/.test(line)) return lines.join('\n');
    }
    throw new Error('SMTP reply too long');
  }

  detach(): void {
    this.socket.removeListener('data', this.onData);
    this.socket.removeListener('end', this.onEnd);
    this.socket.removeListener('close', this.onEnd);
    // The error listener stays: a late error on this socket must never go unhandled.
    this.buffer = '';
    this.lines = [];
    this.heldBytes = 0;
  }

  private push(chunk: Buffer): void {
    if (this.failure) return;
    this.buffer += chunk.toString('latin1');
    const parts = this.buffer.split('\n');
    this.buffer = parts.pop() ?? '';
    if (this.buffer.length > MAX_LINE || parts.some((p) => p.length > MAX_LINE)) {
      this.refuse('Line too long');
      return;
    }
    // Checked before anything is kept: the lines held never pass either cap, even for a moment.
    const bytes = parts.reduce((sum, part) => sum + part.length + 1, 0);
    if (
      this.heldBytes + bytes + this.buffer.length > MAX_HELD ||
      this.lines.length + parts.length > MAX_HELD_LINES
    ) {
      this.refuse('Too much unread data from the server');
      return;
    }
    this.lines.push(...parts);
    this.heldBytes += bytes;
    const waiter = this.waiter;
    if (!waiter || this.lines.length === 0) return;
    this.waiter = null;
    waiter.resolve(this.take() as string);
  }

  /** The oldest unread line without its terminator, and its bytes no longer held. */
  private take(): string | undefined {
    const part = this.lines.shift();
    if (part === undefined) return undefined;
    this.heldBytes -= part.length + 1;
    return part.replace(/\r$/, '');
  }

  /** Unread lines held now (the count bound tests check). */
  get heldLines(): number {
    return this.lines.length;
  }

  /** Bytes held now (unread lines and a partial line): the memory bound tests check. */
  get held(): number {
    return this.heldBytes + this.buffer.length;
  }

  /** Over a cap: drop everything held, then fail. */
  private refuse(message: string): void {
    this.buffer = '';
    this.lines = [];
    this.heldBytes = 0;
    this.fail(new Error(message));
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.reject(err);
  }
}
