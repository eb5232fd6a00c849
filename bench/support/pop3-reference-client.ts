import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

export interface ReferenceResult {
  messages: number;
  /** Body bytes received (between status line and terminator; still dot-stuffed). */
  bodyBytes: number;
  /** Connect (and TLS) through the PASS reply, ms. */
  setupMs: number;
}

const TERMINATOR = Buffer.from('\r\n.\r\n');
const CRLF = Buffer.from('\r\n');

/**
 * The minimal reference loop of the ingestion benchmark: one raw socket, USER/PASS, UIDL,
 * then RETR 1..N **sequentially** (one command in flight, like our client), each response
 * found by scanning for `\r\n.\r\n` with Buffer.indexOf in a growing buffer. No dot-unstuffing,
 * no limits, no deadlines beyond one overall timer: the floor a client could reach.
 * `window` > 1 keeps that many RETRs in flight (RFC 2449 PIPELINING): a diagnostic only.
 */
export async function referenceIngest(options: {
  port: number;
  tls: boolean;
  ca: string[];
  user: string;
  pass: string;
  timeoutMs?: number;
  window?: number;
}): Promise<ReferenceResult> {
  const window = options.window ?? 1;
  const started = performance.now();
  const socket: Socket = options.tls
    ? tlsConnect({ host: '127.0.0.1', port: options.port, ca: options.ca, servername: 'localhost' })
    : netConnect({ host: '127.0.0.1', port: options.port });
  const wire = new Wire(socket, options.timeoutMs ?? 60_000);
  try {
    expectOk(await wire.line(), 'greeting');
    socket.write(`USER ${options.user}\r\n`);
    expectOk(await wire.line(), 'USER');
    socket.write(`PASS ${options.pass}\r\n`);
    expectOk(await wire.line(), 'PASS');
    const setupMs = performance.now() - started;
    socket.write('UIDL\r\n');
    const listing = await wire.multi();
    let messages = 0;
    for (let at = listing.indexOf(CRLF); at >= 0; at = listing.indexOf(CRLF, at + 2)) messages++;
    let bodyBytes = 0;
    let sent = 0;
    for (let n = 1; n <= messages; n++) {
      let batch = '';
      while (sent < messages && sent < n - 1 + window) batch += `RETR ${++sent}\r\n`;
      if (batch) socket.write(batch);
      bodyBytes += (await wire.multi()).length;
    }
    socket.write('QUIT\r\n');
    expectOk(await wire.line(), 'QUIT');
    return { messages, bodyBytes, setupMs };
  } finally {
    wire.close();
  }
}

function expectOk(line: Buffer, step: string): void {
  if (!line.subarray(0, 3).equals(Buffer.from('+OK'))) throw new Error(`${step}: ${line.toString('latin1')}`);
}

/** A growable receive buffer with one waiter at a time. */
class Wire {
  private buf = Buffer.allocUnsafe(256 * 1024);
  private len = 0;
  private waiter: (() => void) | null = null;
  private failure: Error | null = null;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly socket: Socket,
    timeoutMs: number,
  ) {
    socket.on('data', (chunk: Buffer) => {
      if (this.len + chunk.length > this.buf.length) {
        const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + chunk.length));
        this.buf.copy(bigger, 0, 0, this.len);
        this.buf = bigger;
      }
      chunk.copy(this.buf, this.len);
      this.len += chunk.length;
      this.waiter?.();
    });
    const fail = (err: Error) => {
      this.failure ??= err;
      this.waiter?.();
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed')));
    this.timer = setTimeout(() => {
      fail(new Error('reference session timed out'));
      socket.destroy();
    }, timeoutMs);
  }

  /** One status line (without CRLF). */
  line(): Promise<Buffer> {
    return this.take((from) => {
      const end = this.buf.subarray(0, this.len).indexOf(CRLF, from);
      return end < 0 ? null : { end, consumed: end + 2 };
    });
  }

  /** A multi-line response: checks +OK, returns the body up to and including the CRLF before ".". */
  async multi(): Promise<Buffer> {
    let statusEnd = -1;
    const block = await this.take((from) => {
      const view = this.buf.subarray(0, this.len);
      if (statusEnd < 0) {
        statusEnd = view.indexOf(CRLF);
        if (statusEnd < 0) return null;
        from = statusEnd;
      }
      const at = view.indexOf(TERMINATOR, Math.max(from, statusEnd));
      return at < 0 ? null : { end: at + 2, consumed: at + TERMINATOR.length };
    });
    expectOk(block, 'multi-line');
    return block.subarray(statusEnd + 2);
  }

  close(): void {
    clearTimeout(this.timer);
    this.socket.destroy();
  }

  /** Waits until `find` locates a complete item, copies it out and consumes it. */
  private async take(find: (scanFrom: number) => { end: number; consumed: number } | null): Promise<Buffer> {
    let scanFrom = 0;
    for (;;) {
      if (this.failure) throw this.failure;
      const found = find(scanFrom);
      if (found) {
        const item = Buffer.from(this.buf.subarray(0, found.end));
        this.buf.copy(this.buf, 0, found.consumed, this.len);
        this.len -= found.consumed;
        return item;
      }
      // The terminator may straddle chunks: rescan only the last few bytes next time.
      scanFrom = Math.max(0, this.len - TERMINATOR.length);
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
      });
      this.waiter = null;
    }
  }
}
