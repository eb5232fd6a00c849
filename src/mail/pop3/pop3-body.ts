import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { listedSizeAllowance } from '../../domain/mailbox/listed-size.js';
import { type Pop3Error, pop3Error } from './pop3-errors.js';
import type { Pop3Transport } from './pop3-transport.js';

/** What one body may deliver, and the failure once it delivers more (default: too large). */
export interface BodyCap {
  maxBytes: number;
  tooLarge?: () => Pop3Error;
}

/**
 * The cap of one body: the message cap, and for a RETR whose LIST size is known also that size
 * plus slack (`listedSizeAllowance`), so a server cannot make us hold more than it announced
 * (a batch is planned on those sizes). Past it the failure carries `outgrown`: the caller can
 * set that message aside instead of fetching it again at every poll.
 */
export function bodyCap(maxMessageBytes: number, retr?: { seq: number; listed: number }): BodyCap {
  if (!retr) return { maxBytes: maxMessageBytes };
  const { seq, listed } = retr;
  const allowed = Math.min(maxMessageBytes, listedSizeAllowance(listed));
  return {
    maxBytes: allowed,
    tooLarge: () => {
      const err = pop3Error('limit', {
        detail: `message ${seq} sent more than the ${listed} bytes LIST announced (stopped at ${allowed})`,
      });
      err.outgrown = { seq, listed, allowed };
      return err;
    },
  };
}

/**
 * Streams the multi-line body whose +OK was just read. `push() === false` pauses the
 * socket (and its no-progress deadline) until the consumer reads again; destroying the
 * stream early destroys the connection, since the rest of the body would still arrive.
 * `release` (the command lock) is called once the body is complete or failed. The stream
 * emits `sourcePaused` each time it pauses the socket (tests observe back-pressure by it).
 */
export function streamBody(t: Pop3Transport, cap: BodyCap, release: () => void): Readable {
  let finished = false;
  const stream = new Readable({
    highWaterMark: 64 * 1024,
    read: () => {
      if (!finished) t.resume();
    },
    destroy: (err, cb) => {
      if (!finished) t.destroy('message stream destroyed before its end');
      cb(err);
    },
  });
  t.startTimer();
  t.reader
    .readBody(
      (part) => {
        if (stream.push(part)) return;
        t.pause();
        stream.emit('sourcePaused');
      },
      cap.maxBytes,
      () => t.refreshTimer(),
      cap.tooLarge,
    )
    .then(
      () => {
        finished = true;
        t.stopTimer();
        t.flow();
        release();
        stream.push(null);
      },
      (err: unknown) => {
        finished = true;
        release();
        stream.destroy(err as Error);
      },
    );
  return stream;
}

/**
 * Reads the body whose +OK was just read into one Buffer. A body stopped past its listed size
 * leaves its header digest on `outgrown` (how a message without a usable UIDL is recognised
 * by TOP at later polls, never fetched again).
 */
export async function bufferBody(t: Pop3Transport, cap: BodyCap): Promise<Buffer> {
  const parts: Buffer[] = [];
  t.startTimer();
  try {
    await t.reader.readBody(
      (p) => parts.push(p),
      cap.maxBytes,
      () => t.refreshTimer(),
      cap.tooLarge,
    );
  } catch (err) {
    const outgrown = (err as Pop3Error).outgrown;
    const digest = outgrown && headerDigest(Buffer.concat(parts));
    if (outgrown && digest) outgrown.headerSha256 = digest;
    throw err;
  } finally {
    t.stopTimer();
  }
  return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
}

/**
 * SHA-256 (hex) of a message's header section: its bytes up to and including the first empty
 * line (CRLF CRLF), or null when the bytes hold no complete header section. The same for a
 * RETR prefix and a TOP n 0 of the same message.
 */
export function headerDigest(bytes: Buffer): string | null {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) return null;
  return createHash('sha256')
    .update(bytes.subarray(0, end + 4))
    .digest('hex');
}
