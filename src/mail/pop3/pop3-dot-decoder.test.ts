import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DotDecoder, dotStuff } from './pop3-dot-decoder.js';

/** Feeds `wire` in the given pieces; returns the decoded body and what followed the terminator. */
function decode(pieces: Buffer[]): { body: Buffer; rest: Buffer | null } {
  const decoder = new DotDecoder();
  const parts: Buffer[] = [];
  let rest: Buffer | null = null;
  for (const piece of pieces) {
    if (rest !== null) {
      rest = Buffer.concat([rest, piece]);
      continue;
    }
    rest = decoder.write(piece, (p) => parts.push(Buffer.from(p)));
  }
  return { body: Buffer.concat(parts), rest };
}

const splitAt = (buf: Buffer, points: number[]): Buffer[] => {
  const out: Buffer[] = [];
  let from = 0;
  for (const p of [...points, buf.length]) {
    out.push(buf.subarray(from, p));
    from = p;
  }
  return out;
};

const b = (s: string): Buffer => Buffer.from(s, 'latin1');

// Bodies chosen to put dots, CRs and the terminator near every boundary.
const SAMPLES: Buffer[] = [
  b(''),
  b('\r\n'),
  b('.\r\n'),
  b('..\r\n'),
  b('.\r\r\n'),
  b('Subject: x\r\n\r\n.hidden\r\n..two\r\n.\r\nend\r\n'),
  b('a\r\n.\rb\r\n'),
  b('line\rwith bare CR\r\n.\r.\r\n'),
  b('bare\n.dot after LF stays\r\n'),
  Buffer.concat([
    b('Content-Type: text/plain; charset=koi8-r\r\n\r\n'),
    Buffer.from([0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4, 0x0d, 0x0a]),
  ]),
  Buffer.from([0x00, 0xff, 0x2e, 0x0d, 0x0a, 0x2e, 0x2e, 0x0d, 0x0a, 0x80, 0x0d, 0x0a]),
];

describe('DotDecoder', () => {
  it('removes stuffing dots and the terminator, keeping CRLF and 8-bit bytes', () => {
    const wire = b('Subject: a\r\n\r\n..leading dot\r\n...two\r\n\xe9t\xe9\r\n.\r\n');
    const { body, rest } = decode([wire]);
    expect(body.toString('latin1')).toBe('Subject: a\r\n\r\n.leading dot\r\n..two\r\n\xe9t\xe9\r\n');
    expect(rest?.length).toBe(0);
  });

  it('returns the bytes after the terminator (next response in the same chunk)', () => {
    const { body, rest } = decode([b('x\r\n.\r\n+OK next\r\n')]);
    expect(body.toString('latin1')).toBe('x\r\n');
    expect(rest?.toString('latin1')).toBe('+OK next\r\n');
  });

  it('is not fooled by a dot line that is not the terminator', () => {
    expect(decode([b('.x\r\n.\rz\r\n.\r\n')]).body.toString('latin1')).toBe('x\r\n\rz\r\n');
  });

  it('waits for more input while the terminator is incomplete', () => {
    expect(decode([b('abc\r\n.\r')]).rest).toBeNull();
    expect(decode([b('abc\r\n.')]).rest).toBeNull();
    expect(decode([b('abc\r\n')]).rest).toBeNull();
  });

  it('decodes every sample identically for every single split point', () => {
    for (const raw of SAMPLES) {
      const wire = Buffer.concat([dotStuff(raw), b('+OK after')]);
      for (let p = 0; p <= wire.length; p++) {
        const { body, rest } = decode(splitAt(wire, [p]));
        expect(body.equals(raw), `split at ${p} of ${JSON.stringify(wire.toString('latin1'))}`).toBe(true);
        expect(rest?.toString('latin1')).toBe('+OK after');
      }
    }
  });

  it('decodes every sample identically for every pair of split points', () => {
    for (const raw of SAMPLES) {
      const wire = dotStuff(raw);
      for (let p = 0; p <= wire.length; p++) {
        for (let q = p; q <= wire.length; q++) {
          const { body, rest } = decode(splitAt(wire, [p, q]));
          expect(body.equals(raw)).toBe(true);
          expect(rest?.length).toBe(0);
        }
      }
    }
  });

  it('decodes one byte at a time', () => {
    for (const raw of SAMPLES) {
      const wire = dotStuff(raw);
      const pieces = [...wire].map((byte) => Buffer.from([byte]));
      expect(decode(pieces).body.equals(raw)).toBe(true);
    }
  });

  it('round-trips arbitrary CRLF messages under arbitrary chunking (property)', () => {
    const lineArb = fc
      .array(fc.constantFrom(0x2e, 0x2e, 0x0d, 0x0a, 0x41, 0x00, 0xff, 0x20), { maxLength: 12 })
      .map((bytes) => Buffer.from(bytes));
    fc.assert(
      fc.property(
        fc.array(lineArb, { maxLength: 12 }),
        fc.array(fc.nat(200), { maxLength: 6 }),
        (lines, cuts) => {
          // RFC 1939 messages are CRLF lines; a bare CR/LF inside a line is content.
          const raw = Buffer.concat(lines.flatMap((l) => [l, b('\r\n')]));
          const wire = dotStuff(raw);
          const points = [...new Set(cuts.map((c) => c % (wire.length + 1)))].sort((x, y) => x - y);
          const { body, rest } = decode(splitAt(wire, points));
          expect(body.equals(raw)).toBe(true);
          expect(rest?.length).toBe(0);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('handles a long body where every line is stuffed', () => {
    const raw = Buffer.from('.x\r\n'.repeat(500_000), 'latin1'); // 2 MB, every line stuffed
    const wire = dotStuff(raw);
    const pieces = splitAt(
      wire,
      Array.from({ length: Math.floor(wire.length / 65536) }, (_, i) => (i + 1) * 65536),
    );
    const { body } = decode(pieces);
    expect(body.equals(raw)).toBe(true);
  });
});

describe('dotStuff', () => {
  it('stuffs leading dots and appends CRLF before the terminator when missing', () => {
    expect(dotStuff(b('.a\r\nb')).toString('latin1')).toBe('..a\r\nb\r\n.\r\n');
    expect(dotStuff(b('')).toString('latin1')).toBe('.\r\n');
  });
});
