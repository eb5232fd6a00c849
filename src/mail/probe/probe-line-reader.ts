import type { Socket } from 'node:net';

/** Longest line, and most bytes held at once (unread lines plus a partial one). */
const MAX_LINE = 8 * 1024;
const MAX_HELD = 32 * 1024;
/** Most bytes in one multi-line SMTP reply. */
const MAX_SMTP_REPLY = 16 * 1024;

/**
 * Minimal CRLF line reader for the short plaintext dialogues the certificate helpers run
 * (greeting, EHLO/CAPABILITY, STARTTLS) on a socket nothing else reads. Bounded: a line
 * longer than 8 KiB, more than 32 KiB unread, a reply over 16 KiB, a close or an error rejects. `detach()` stops reading so the socket
 * can be handed to `tls.connect`; bytes left over are dropped (RFC 3207 §6).
 */
export class LineReader {
  private buffer = '';
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
    const line = this.lines.shift();
    if (line !== undefined) {
      this.heldBytes -= line.length;
      return Promise.resolve(line);
    }
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
      size += line.length;
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
    this.buffer += chunk.toString('latin1');
    const parts = this.buffer.split('\n');
    this.buffer = parts.pop() ?? '';
    if (this.buffer.length > MAX_LINE || parts.some((p) => p.length > MAX_LINE)) {
      this.refuse('Line too long');
      return;
    }
    for (const part of parts) {
      const line = part.replace(/\r$/, '');
      this.lines.push(line);
      this.heldBytes += line.length;
    }
    if (this.heldBytes + this.buffer.length > MAX_HELD) {
      this.refuse('Too much unread data from the server');
      return;
    }
    const waiter = this.waiter;
    const line = this.lines.shift();
    if (waiter && line !== undefined) {
      this.waiter = null;
      this.heldBytes -= line.length;
      waiter.resolve(line);
    } else if (line !== undefined) this.lines.unshift(line);
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
