import { DotDecoder } from './pop3-dot-decoder.js';
import { type Pop3Error, pop3Error } from './pop3-errors.js';

const LF = 0x0a;
const CR = 0x0d;
const DOT = 0x2e;
/** Bytes we hold while a pipelined response waits for its reader. */
const MAX_QUEUED_BYTES = 1024 * 1024;

/** One response being read. `feed` returns the unread rest once the response is complete. */
interface Consumer {
  feed(chunk: Buffer): Buffer | null;
  fail(err: Pop3Error): void;
  /** Drop bytes that follow the response instead of keeping them (STLS, RFC 2595 §4). */
  discardRest?: boolean;
}

export interface ReaderOptions {
  /** One status line, CRLF included. */
  maxReplyBytes: number;
  /** A fatal framing problem (cap hit, unsolicited data): the owner must drop the connection. */
  onFatal(err: Pop3Error): void;
  /** Told how many response bytes the reader holds whenever that grows (a memory meter). */
  meter?: BufferMeter;
}

/** Caps for one multi-line reply; `what` names it in the error ("CAPA reply", "listing"). */
export interface MultiLineCap {
  what: string;
  maxLineBytes: number;
  maxLines: number;
  maxBytes: number;
}

/** Records the most bytes one connection's reader held at once. */
export interface BufferMeter {
  peakBytes: number;
}

/**
 * Frames the bytes of one POP3 connection into responses: status lines, multi-line
 * listings and streamed bodies. It never decodes text and never copies a body. Bytes
 * that arrive when no response is expected are a protocol error: POP3 has no unsolicited
 * responses, and keeping such bytes would let them answer our next command.
 */
export class Pop3Reader {
  private queue: Buffer[] = [];
  private queuedBytes = 0;
  private consumer: Consumer | null = null;
  private failure: Pop3Error | null = null;
  private expected = 0;
  /** Bytes the current read holds (lines collected so far, a partial line). */
  private consumerBytes = 0;

  constructor(private readonly opts: ReaderOptions) {}

  /** Announces `n` more reads due (negative: fewer, e.g. no body after -ERR). */
  expect(n = 1): void {
    this.expected = Math.max(0, this.expected + n);
    if (this.expected === 0 && this.queue.length > 0 && !this.consumer) {
      this.fatal(pop3Error('protocol', { detail: 'server sent more than one response' }));
    }
  }

  push(chunk: Buffer): void {
    if (this.failure || chunk.length === 0) return;
    if (this.consumer) {
      this.feed(chunk);
      return;
    }
    if (this.expected === 0) {
      this.fatal(pop3Error('protocol', { detail: 'server sent data nobody asked for' }));
      return;
    }
    this.queue.push(chunk);
    this.queuedBytes += chunk.length;
    this.measure();
    if (this.queuedBytes > MAX_QUEUED_BYTES) {
      this.fatal(pop3Error('limit', { detail: 'too much unread data from the server' }));
    }
  }

  /** Rejects the current read and every later one with `err`. */
  fail(err: Pop3Error): void {
    if (this.failure) return;
    this.failure = err;
    this.queue = [];
    this.queuedBytes = 0;
    this.consumerBytes = 0;
    const c = this.consumer;
    this.consumer = null;
    c?.fail(err);
  }

  /** Reads one line (status or continuation) without its line end. */
  readLine(options: { discardRest?: boolean } = {}): Promise<Buffer> {
    const max = this.opts.maxReplyBytes;
    const hold = (n: number): void => this.hold(n);
    return new Promise((resolve, reject) => {
      const parts: Buffer[] = [];
      let size = 0;
      this.start({
        discardRest: options.discardRest,
        fail: reject,
        feed(chunk) {
          const nl = chunk.indexOf(LF);
          const take = nl === -1 ? chunk.length : nl + 1;
          size += take;
          if (size > max) throw pop3Error('limit', { detail: `server reply line longer than ${max} bytes` });
          if (nl === -1) {
            parts.push(chunk);
            hold(size);
            return null;
          }
          parts.push(chunk.subarray(0, take));
          resolve(stripLineEnd(parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts)));
          return chunk.subarray(take);
        },
      });
    });
  }

  /**
   * Reads the lines of a multi-line reply (CAPA, LIST, UIDL), unstuffed, without line
   * ends, refusing it once it passes any of `cap`'s bounds.
   */
  readLines(cap: MultiLineCap): Promise<Buffer[]> {
    const { what, maxLineBytes, maxLines, maxBytes } = cap;
    const hold = (n: number): void => this.hold(n);
    return new Promise((resolve, reject) => {
      const lines: Buffer[] = [];
      let partial: Buffer[] = [];
      let partialSize = 0;
      let total = 0;
      this.start({
        fail: reject,
        feed(chunk) {
          let pos = 0;
          for (;;) {
            const nl = chunk.indexOf(LF, pos);
            const end = nl === -1 ? chunk.length : nl + 1;
            partialSize += end - pos;
            total += end - pos;
            if (partialSize > maxLineBytes)
              throw pop3Error('limit', { detail: `${what} line longer than ${maxLineBytes} bytes` });
            if (total > maxBytes)
              throw pop3Error('limit', { detail: `${what} longer than ${maxBytes} bytes` });
            if (nl === -1) {
              if (end > pos) partial.push(chunk.subarray(pos));
              hold(total);
              return null;
            }
            const piece = chunk.subarray(pos, end);
            const raw = partial.length === 0 ? piece : Buffer.concat([...partial, piece]);
            partial = [];
            partialSize = 0;
            pos = end;
            const line = stripLineEnd(raw);
            if (line.length === 1 && line[0] === DOT) {
              resolve(lines);
              return chunk.subarray(pos);
            }
            lines.push(line[0] === DOT ? line.subarray(1) : line);
            if (lines.length > maxLines)
              throw pop3Error('limit', { detail: `${what} longer than ${maxLines} lines` });
          }
        },
      });
    });
  }

  /**
   * Streams a multi-line body (RETR/TOP) to `emit`: raw bytes, CRLF kept, dot-unstuffed,
   * terminator removed. `onChunk` sees every wire chunk (deadline refresh). Throws a
   * `limit` failure (`tooLarge`'s, when given) once the body exceeds `maxBytes`.
   */
  readBody(
    emit: (part: Buffer) => void,
    maxBytes: number,
    onChunk?: () => void,
    tooLarge?: () => Pop3Error,
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      const decoder = new DotDecoder();
      let size = 0;
      const sink = (part: Buffer): void => {
        size += part.length;
        if (size > maxBytes) {
          // Exactly the first `maxBytes` reach `emit`, however the wire was chunked: a stopped
          // body's prefix is the same at every try (its header digest names it, see pop3-body).
          const room = maxBytes - (size - part.length);
          if (room > 0) emit(part.subarray(0, room));
          throw tooLarge?.() ?? pop3Error('limit', { detail: `message larger than ${maxBytes} bytes` });
        }
        emit(part);
      };
      this.start({
        fail: reject,
        feed(chunk) {
          onChunk?.();
          const rest = decoder.write(chunk, sink);
          if (rest !== null) resolve();
          return rest;
        },
      });
    });
  }

  private start(consumer: Consumer): void {
    if (this.failure) {
      consumer.fail(this.failure);
      return;
    }
    if (this.consumer) throw new Error('Pop3Reader: a read is already in progress');
    this.consumer = consumer;
    while (this.consumer === consumer && this.queue.length > 0) {
      const chunk = this.queue.shift() as Buffer;
      this.queuedBytes -= chunk.length;
      this.feed(chunk);
    }
  }

  private feed(chunk: Buffer): void {
    const consumer = this.consumer as Consumer;
    let rest: Buffer | null;
    try {
      rest = consumer.feed(chunk);
    } catch (err) {
      this.fatal(err as Pop3Error);
      return;
    }
    if (rest === null) return;
    this.consumer = null;
    this.consumerBytes = 0;
    this.expected = Math.max(0, this.expected - 1);
    if (rest.length === 0 || consumer.discardRest) return;
    if (this.expected === 0) {
      this.fatal(pop3Error('protocol', { detail: 'server sent more than one response' }));
      return;
    }
    this.queue.unshift(rest);
    this.queuedBytes += rest.length;
  }

  private hold(consumerBytes: number): void {
    this.consumerBytes = consumerBytes;
    this.measure();
  }

  private measure(): void {
    const meter = this.opts.meter;
    if (!meter) return;
    meter.peakBytes = Math.max(meter.peakBytes, this.queuedBytes + this.consumerBytes);
  }

  private fatal(err: Pop3Error): void {
    this.opts.onFatal(err);
    this.fail(err);
  }
}

/** Removes a trailing LF and the CR before it, if any. */
function stripLineEnd(line: Buffer): Buffer {
  let end = line.length;
  if (end > 0 && line[end - 1] === LF) end--;
  if (end > 0 && line[end - 1] === CR) end--;
  return line.subarray(0, end);
}
