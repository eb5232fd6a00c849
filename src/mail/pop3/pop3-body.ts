import { Readable } from 'node:stream';
import type { Pop3Transport } from './pop3-transport.js';

/**
 * Streams the multi-line body whose +OK was just read. `push() === false` pauses the
 * socket (and its no-progress deadline) until the consumer reads again; destroying the
 * stream early destroys the connection, since the rest of the body would still arrive.
 * `release` (the command lock) is called once the body is complete or failed. The stream
 * emits `sourcePaused` each time it pauses the socket (tests observe back-pressure by it).
 */
export function streamBody(t: Pop3Transport, maxBytes: number, release: () => void): Readable {
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
      maxBytes,
      () => t.refreshTimer(),
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

/** Reads the body whose +OK was just read into one Buffer. */
export async function bufferBody(t: Pop3Transport, maxBytes: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  t.startTimer();
  try {
    await t.reader.readBody(
      (p) => parts.push(p),
      maxBytes,
      () => t.refreshTimer(),
    );
  } finally {
    t.stopTimer();
  }
  return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
}
