import type { Socket } from 'node:net';

const MAX_BUFFER = 64 * 1024;

/**
 * Minimal CRLF line reader for the short plaintext dialogues the certificate helpers run
 * (greeting, EHLO/CAPABILITY, STARTTLS) on a socket nothing else reads. Bounded: a line
 * longer than 64 KB, a close or an error rejects. `detach()` stops reading so the socket
 * can be handed to `tls.connect`; bytes left over are dropped (RFC 3207 §6).
 */
export class LineReader {
  private buffer = '';
  private lines: string[] = [];
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
    if (line !== undefined) return Promise.resolve(line);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  /** Reads one SMTP reply (all continuation lines); resolves the whole text. */
  async smtpReply(maxLines = 200): Promise<string> {
    const lines: string[] = [];
    for (let i = 0; i < maxLines; i++) {
      const line = await this.nextLine();
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
  }

  private push(chunk: Buffer): void {
    this.buffer += chunk.toString('latin1');
    const parts = this.buffer.split('\n');
    this.buffer = parts.pop() ?? '';
    if (this.buffer.length > MAX_BUFFER) {
      this.fail(new Error('Line too long'));
      return;
    }
    for (const part of parts) this.lines.push(part.replace(/\r$/, ''));
    const waiter = this.waiter;
    const line = this.lines.shift();
    if (waiter && line !== undefined) {
      this.waiter = null;
      waiter.resolve(line);
    } else if (line !== undefined) this.lines.unshift(line);
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.reject(err);
  }
}
