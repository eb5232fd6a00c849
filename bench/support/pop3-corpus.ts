import { createRandom } from './stats.js';

/** A mailbox to ingest: maildir files (LF endings) and what RETR must yield for each. */
export interface Pop3Corpus {
  /** As written into `Maildir/new/` (LF line endings, as Dovecot's docs allow). */
  files: Buffer[];
  /** Per message, indexed by its `X-Bench-Id`: the file with CRLF endings (RETR after dot-unstuffing). */
  expected: Buffer[];
  /** Sum of `expected` sizes. */
  totalBytes: number;
  /** What crosses the wire between status line and terminator: CRLF and dot-stuffed. */
  stuffedBytes: number;
  eightBitMessages: number;
  dotLines: number;
}

const WORDS = [
  'order',
  'invoice',
  'delivery',
  'meeting',
  'contract',
  'question',
  'thanks',
  'regards',
  'project',
  'update',
  'schedule',
  'payment',
  'attached',
  'please',
  'confirm',
  'tomorrow',
  'client',
  'office',
  'report',
  'price',
];
// UTF-8 Polish text and raw ISO-8859-2 bytes: 8-bit bodies must pass through untouched.
const UTF8_LINE = Buffer.from(
  'Zażółć gęślą jaźń — płatność za fakturę nr 17/2025 została zaksięgowana.',
  'utf8',
);
const LATIN2_LINE = Buffer.from([
  0x5a, 0x61, 0xbf, 0xf3, 0xb3, 0xe6, 0x20, 0x67, 0xea, 0xb6, 0x6c, 0xb1, 0x20, 0x6a, 0x61, 0x9f, 0xf1,
]);

const ID_HEADER = 'X-Bench-Id: ';

/**
 * 2,000 messages totalling ~7.5 MB on the wire (the STACK-NOTES ingestion workload): mostly 1–3 KB,
 * some up to ~10 KB, a few up to ~60 KB; one in four 8-bit (UTF-8 or ISO-8859-2); bodies
 * with lines starting with '.', a line that is only '.', and one that is '..'. Deterministic.
 */
export function buildPop3Corpus(count = 2_000, targetBytes = 7_500_000): Pop3Corpus {
  // Sizes are drawn for the LF files; CRLF adds ~2.6 %, so aim a little lower.
  const targetLfBytes = targetBytes / 1.026;
  const rnd = createRandom(424_242);
  const rawSizes = Array.from({ length: count }, () => {
    const r = rnd.next();
    if (r < 0.75) return 800 + rnd.int(2_200);
    if (r < 0.97) return 3_000 + rnd.int(7_000);
    return 10_000 + rnd.int(50_000);
  });
  const scale = targetLfBytes / rawSizes.reduce((s, x) => s + x, 0);
  const files: Buffer[] = [];
  const expected: Buffer[] = [];
  let eightBitMessages = 0;
  let dotLines = 0;
  for (let id = 0; id < count; id++) {
    const size = Math.max(400, Math.round(rawSizes[id]! * scale));
    const flavour = id % 8 === 3 ? 'utf8' : id % 8 === 7 ? 'latin2' : 'ascii';
    if (flavour !== 'ascii') eightBitMessages++;
    const header = [
      `Return-Path: <sender${id % 97}@client.example>`,
      `From: Client ${id % 97} <sender${id % 97}@client.example>`,
      'To: Bench <bench@example.test>',
      `Subject: Re: ${rnd.pick(WORDS)} ${rnd.pick(WORDS)} #${id}`,
      `Date: Mon, 6 Jan 2025 ${String(8 + (id % 10)).padStart(2, '0')}:${String(id % 60).padStart(2, '0')}:00 +0100`,
      `Message-ID: <bench-${id}@client.example>`,
      `${ID_HEADER}${id}`,
      'MIME-Version: 1.0',
      `Content-Type: text/plain; charset=${flavour === 'latin2' ? 'iso-8859-2' : 'utf-8'}`,
      `Content-Transfer-Encoding: ${flavour === 'ascii' ? '7bit' : '8bit'}`,
      '',
      '',
    ].join('\n');
    const parts: Buffer[] = [Buffer.from(header)];
    let length = parts[0]!.length;
    let line = 0;
    while (length < size) {
      let text: Buffer;
      if (line % 23 === 5) {
        text = Buffer.from(`.${rnd.pick(WORDS)} starts with a dot`);
        dotLines++;
      } else if (line % 97 === 40) {
        text = Buffer.from(line % 2 === 0 ? '.' : '..');
        dotLines++;
      } else if (flavour === 'utf8' && line % 5 === 2) text = UTF8_LINE;
      else if (flavour === 'latin2' && line % 5 === 2) text = LATIN2_LINE;
      else text = Buffer.from(Array.from({ length: 6 + rnd.int(8) }, () => rnd.pick(WORDS)).join(' '));
      parts.push(text, Buffer.from('\n'));
      length += text.length + 1;
      line++;
    }
    const file = Buffer.concat(parts);
    files.push(file);
    expected.push(toCrlf(file));
  }
  const totalBytes = expected.reduce((s, b) => s + b.length, 0);
  const stuffedBytes = totalBytes + dotLines;
  return { files, expected, totalBytes, stuffedBytes, eightBitMessages, dotLines };
}

function toCrlf(lf: Buffer): Buffer {
  const out: number[] = [];
  for (const byte of lf) {
    if (byte === 0x0a) out.push(0x0d);
    out.push(byte);
  }
  return Buffer.from(out);
}

/** The `X-Bench-Id` of a retrieved message (headers only), or -1. */
export function benchIdOf(message: Buffer): number {
  const headerEnd = message.indexOf('\r\n\r\n');
  const at = message.indexOf(`\r\n${ID_HEADER}`);
  if (at < 0 || (headerEnd >= 0 && at > headerEnd)) return -1;
  const start = at + 2 + ID_HEADER.length;
  const end = message.indexOf('\r\n', start);
  const id = Number(message.subarray(start, end).toString('latin1'));
  return Number.isInteger(id) ? id : -1;
}
