const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;
const CRLF_DOT = Buffer.from('\r\n.', 'latin1');
const CR_MARK = -1;

// Decoder states (numbers, to keep the hot loop cheap).
/** Inside a line. */
const MID = 0;
/** The next byte starts a line. */
const LINE_START = 1;
/** The last byte seen was a CR inside a line (already emitted). */
const AFTER_CR = 2;
/** A line started with '.', withheld: stuffing or the terminator. */
const DOT_SEEN = 3;
/** A line started with ".\r", both withheld: the terminator if LF follows. */
const DOT_CR = 4;

/**
 * Decodes a POP3 multi-line body (RFC 1939 §3) chunk by chunk, byte-exact: lines keep
 * their CRLF, a leading '.' is removed from every line that has one, and `CRLF.CRLF`
 * ends the body, wherever the TCP chunks split it. Scanning uses `indexOf("\r\n.")`, so
 * the cost is linear and bodies are emitted as slices of the input, never concatenated.
 * A line boundary is CRLF only: a bare LF is body content (RFC 1939 lines end in CRLF).
 */
export class DotDecoder {
  private state = LINE_START;
  private finished = false;

  get done(): boolean {
    return this.finished;
  }

  /**
   * Feeds one chunk. Body bytes go to `emit` (at most one Buffer per chunk: a slice of
   * the input when nothing was unstuffed, else one compacted copy). Returns null while
   * the body continues, or, once the terminator is found, the bytes that followed it.
   */
  write(buf: Buffer, emit: (part: Buffer) => void): Buffer | null {
    if (this.finished) return buf;
    this.ranges.length = 0;
    const rest = this.scan(buf);
    const r = this.ranges;
    if (r.length === 2 && r[0] !== CR_MARK) emit(buf.subarray(r[0], r[1]));
    else if (r.length > 0) emit(this.compact(buf));
    return rest;
  }

  /** Body byte ranges [from, to) of the current chunk; CR_MARK pairs stand for a lone CR. */
  private readonly ranges: number[] = [];

  private take(from: number, to: number): void {
    if (to > from) this.ranges.push(from, to);
  }

  private compact(buf: Buffer): Buffer {
    const r = this.ranges;
    let size = 0;
    for (let x = 0; x < r.length; x += 2)
      size += r[x] === CR_MARK ? 1 : (r[x + 1] as number) - (r[x] as number);
    const out = Buffer.allocUnsafe(size);
    let pos = 0;
    for (let x = 0; x < r.length; x += 2) {
      const from = r[x] as number;
      if (from === CR_MARK) out[pos++] = CR;
      else pos += buf.copy(out, pos, from, r[x + 1]);
    }
    return out;
  }

  private scan(buf: Buffer): Buffer | null {
    const len = buf.length;
    let i = 0;
    let from = 0;
    if (len === 0) return null;

    if (this.state === AFTER_CR) {
      if (buf[0] === LF) {
        this.state = LINE_START;
        i = 1;
      } else this.state = MID;
    }
    if (this.state === LINE_START) {
      if (i >= len) {
        this.take(from, i);
        return null;
      }
      if (buf[i] === DOT) {
        this.take(from, i);
        i++;
        from = i;
        this.state = DOT_SEEN;
      } else this.state = MID;
    }
    if (this.state === DOT_SEEN) {
      if (i >= len) return null;
      if (buf[i] === CR) {
        i++;
        from = i;
        this.state = DOT_CR;
      } else this.state = MID; // the withheld dot was stuffing: dropped
    }
    if (this.state === DOT_CR) {
      if (i >= len) return null;
      if (buf[i] === LF) return this.end(buf, i + 1);
      // ".\r" + something else: a stuffed line starting with CR; give the CR back.
      this.ranges.push(CR_MARK, CR_MARK);
      this.state = MID;
    }

    for (;;) {
      const j = buf.indexOf(CRLF_DOT, i);
      if (j === -1) break;
      this.take(from, j + 2);
      const k = j + 3; // first byte after the line-leading dot
      if (k >= len) {
        this.state = DOT_SEEN;
        return null;
      }
      if (buf[k] === CR) {
        if (k + 1 >= len) {
          this.state = DOT_CR;
          return null;
        }
        if (buf[k + 1] === LF) return this.end(buf, k + 2);
      }
      from = k;
      i = k;
    }
    this.take(from, len);
    // Only bytes at or after `i` are plain line content, so only they can form a line end.
    if (len - i >= 2 && buf[len - 2] === CR && buf[len - 1] === LF) this.state = LINE_START;
    else if (len - i >= 1 && buf[len - 1] === CR) this.state = AFTER_CR;
    else this.state = MID;
    return null;
  }

  private end(buf: Buffer, at: number): Buffer {
    this.finished = true;
    return buf.subarray(at);
  }
}

/** Dot-stuffs a raw message for the wire and appends the terminator (used by test servers). */
export function dotStuff(raw: Buffer): Buffer {
  const hits: number[] = [];
  if (raw[0] === DOT) hits.push(0);
  for (let i = raw.indexOf(CRLF_DOT); i !== -1; i = raw.indexOf(CRLF_DOT, i + 2)) hits.push(i + 2);
  const endsWithCrlf = raw.length >= 2 && raw[raw.length - 2] === CR && raw[raw.length - 1] === LF;
  const tail = endsWithCrlf || raw.length === 0 ? '.\r\n' : '\r\n.\r\n';
  const out = Buffer.allocUnsafe(raw.length + hits.length + tail.length);
  let pos = 0;
  let from = 0;
  for (const at of hits) {
    pos += raw.copy(out, pos, from, at);
    out[pos++] = DOT;
    from = at;
  }
  pos += raw.copy(out, pos, from);
  out.write(tail, pos, 'latin1');
  return out;
}
