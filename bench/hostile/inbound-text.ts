/**
 * Small hostile emails against the synchronous reading of received mail (classification,
 * reply splitting, HTML sanitizing): each input at size n and 2n, the milliseconds of each and
 * their ratio (≈2 linear, ≈4 quadratic). Run it before and after a change in the same load.
 *   node --import tsx bench/hostile/inbound-text.ts [scale] [filter]
 * `scale` multiplies every size (default 1; the defaults keep the old code under a few seconds).
 */
import { classifyInbound } from '../../src/domain/inbound/classify-inbound.js';
import type { ParsedMessage } from '../../src/domain/inbound/parsed-message.js';
import { readReceived } from '../../src/domain/inbound/read-received.js';
import { splitReplyText } from '../../src/domain/inbound/reply-text.js';
import { sanitizeReceivedHtml } from '../../src/domain/inbound/sanitize-received-html.js';
import { parseMessage } from '../../src/services/inbound/process-parse.js';

const scale = Number(process.argv[2] ?? 1);
const filter = process.argv[3] ?? '';

/** An Exchange NDR stamp is all it takes for the bounce reading to run over the whole text. */
const ndr = (text: string) =>
  parseMessage(
    Buffer.from(`From: x@evil.example\r\nSubject: hello\r\nX-MS-Exchange-Message-Is-NDR:\r\n\r\n${text}`),
  );
const withSubject = (subject: string) =>
  parseMessage(
    Buffer.from(`From: Mail Delivery System <mailer-daemon@evil.example>\r\nSubject: ${subject}\r\n\r\nx`),
  );

/** Each case: a name, its size n, and what to time at a size (a message is parsed before the clock starts). */
type Case = [name: string, n: number, prepare: (n: number) => Run | Promise<Run>];
type Run = () => unknown;
const classify = (make: (n: number) => Promise<ParsedMessage>) => (n: number) =>
  make(n).then((m) => () => classifyInbound(m));
const sync = (run: (n: number) => unknown) => (n: number) => () => run(n);
const CASES: Case[] = [
  ['classify: blank lines', 25_000, classify((n) => ndr('\n'.repeat(n)))],
  ['classify: CRLF blank lines', 25_000, classify((n) => ndr('\r\n'.repeat(n)))],
  ['classify: spaces', 50_000, classify((n) => ndr(' '.repeat(n)))],
  ['classify: "message-id:" + newlines', 25_000, classify((n) => ndr(`message-id:${'\n'.repeat(n)}`))],
  [
    'classify: copy marker + blank lines',
    25_000,
    classify((n) => ndr(`original message follows\n${'\n'.repeat(n)}`)),
  ],
  ['classify: "message-id: <" lines', 10_000, classify((n) => ndr('message-id: <\n'.repeat(n)))],
  ['classify: "450 " + spaces', 50_000, classify((n) => ndr(`450${' '.repeat(n)}`))],
  ['classify: "a@" repeated', 25_000, classify((n) => ndr('a@'.repeat(n)))],
  ['classify: "a@b." repeated', 25_000, classify((n) => ndr(`a@${'b.'.repeat(n)}`))],
  [
    'classify: "Re" + spaces in the subject',
    10_000,
    classify((n) => withSubject(`Re${' '.repeat(n)}Undelivered Mail Returned to Sender`)),
  ],
  ['split: one line of "x on at "', 256, sync((n) => splitReplyText('x on at '.repeat(n)))],
  ['split: one line of dd.mm "x" <', 128, sync((n) => splitReplyText('01.01.2026 10:00 "x" <'.repeat(n)))],
  ['split: newlines', 4_000, sync((n) => splitReplyText('\n'.repeat(n)))],
  ['split: CRLF', 4_000, sync((n) => splitReplyText('\r\n'.repeat(n)))],
  ['split: "From: " + spaces', 8_000, sync((n) => splitReplyText(`From: ${' '.repeat(n)}`))],
  ['split: tabs', 8_000, sync((n) => splitReplyText('\t'.repeat(n)))],
  ['split: " \\n" lines', 4_000, sync((n) => splitReplyText(' \n'.repeat(n)))],
  ['split: ">\\n" lines', 4_000, sync((n) => splitReplyText('>\n'.repeat(n)))],
  ['split: "a\\n\\n" paragraphs', 4_000, sync((n) => splitReplyText('a\n\n'.repeat(n)))],
  ['split: "-- \\n" lines', 4_000, sync((n) => splitReplyText('-- \n'.repeat(n)))],
  ['sanitize: <b> nested', 10_000, sync((n) => sanitizeReceivedHtml('<b>'.repeat(n)))],
  ['sanitize: <div> nested', 5_000, sync((n) => sanitizeReceivedHtml('<div>'.repeat(n)))],
  [
    'sanitize: <blockquote type=cite>',
    3_000,
    sync((n) => sanitizeReceivedHtml('<blockquote type="cite">'.repeat(n))),
  ],
  ['sanitize: <table><tr><td> nested', 3_000, sync((n) => sanitizeReceivedHtml('<table><tr><td>'.repeat(n)))],
  ['sanitize: <p> (auto-closed)', 20_000, sync((n) => sanitizeReceivedHtml('<p>a'.repeat(n)))],
  [
    'sanitize: 256 <b> then </i>',
    50_000,
    sync((n) => sanitizeReceivedHtml(`${'<b>'.repeat(256)}${'</i>'.repeat(n)}`)),
  ],
  [
    'sanitize: 256 <b> then <i></i>',
    25_000,
    sync((n) => sanitizeReceivedHtml(`${'<b>'.repeat(256)}${'<i></i>'.repeat(n)}`)),
  ],
  ['sanitize: <noscript>', 5_000, sync((n) => sanitizeReceivedHtml('<noscript>'.repeat(n)))],
  ['sanitize: <iframe>', 5_000, sync((n) => sanitizeReceivedHtml('<iframe>'.repeat(n)))],
  ['sanitize: <!--', 5_000, sync((n) => sanitizeReceivedHtml('<!--'.repeat(n)))],
  ['sanitize: <a ', 5_000, sync((n) => sanitizeReceivedHtml('<a '.repeat(n)))],
  ['read: <b> nested', 10_000, sync((n) => readReceived('x', '<b>'.repeat(n)))],
  ['read: gmail_quote divs', 3_000, sync((n) => readReceived('x', '<div class="gmail_quote">'.repeat(n)))],
];

// Load sanitize-html and warm the patterns up before any clock starts.
sanitizeReceivedHtml('<p>x</p>');
splitReplyText('x');
for (const [name, base, prepare] of CASES) {
  if (!name.includes(filter)) continue;
  const n = Math.round(base * scale);
  const ms: number[] = [];
  for (const size of [n, 2 * n]) {
    const run = await prepare(size);
    const t0 = performance.now();
    run();
    ms.push(performance.now() - t0);
  }
  console.log(
    `${name.padEnd(40)} n=${String(n).padStart(7)}: ${ms[0]!.toFixed(0).padStart(6)} ms  2n: ${ms[1]!.toFixed(0).padStart(6)} ms  ratio ${(ms[1]! / Math.max(ms[0]!, 1)).toFixed(1)}`,
  );
}
process.exit(0);
