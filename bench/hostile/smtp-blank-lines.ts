/**
 * A hostile SMTP server that floods blank lines (CRLF) instead of answering, against the
 * probe and the sending path: prints how long until our side gave up, the process's peak RSS,
 * the outcome (failure kind and code) and how many flood bytes the server got onto its socket.
 * One run per process (maxRSS is a peak). The run is cut after `limitS` seconds (default 30,
 * the probe's deadline; the sender would otherwise wait up to 90 s to open or 10 min for the
 * reply to the final dot, and the flood keeps its inactivity timer from firing).
 *   node --import tsx bench/hostile/smtp-blank-lines.ts probe [limitS]           flood after 220
 *   node --import tsx bench/hostile/smtp-blank-lines.ts probe-starttls [limitS]  flood after STARTTLS
 *   node --import tsx bench/hostile/smtp-blank-lines.ts send-ehlo [limitS]       sender open, flood for EHLO
 *   node --import tsx bench/hostile/smtp-blank-lines.ts send-data [limitS]       flood for the final dot
 */
import { createSmtpProber } from '../../src/mail/smtp/smtp-probe.js';
import { createSmtpSender } from '../../src/mail/smtp/smtp-sender.js';
import { testCaPem } from '../../test/helpers/tls-fixtures.js';
import { createLoopbackResolver } from '../../test/servers/loopback-resolver.js';
import { blankLineFlood, type FloodPoint } from '../../test/servers/smtp-flood.js';
import { startRawSmtpServer } from '../../test/servers/smtp-raw-server.js';

const MODES: Record<string, FloodPoint> = {
  probe: 'greeting',
  'probe-starttls': 'starttls-ehlo',
  'send-ehlo': 'ehlo',
  'send-data': 'data',
};
const mode = process.argv[2] ?? 'probe';
const at = MODES[mode];
if (!at) throw new Error(`mode is one of ${Object.keys(MODES).join(', ')}`);
const limitMs = Number(process.argv[3] ?? 30) * 1000;

const flood = blankLineFlood(at);
const server = await startRawSmtpServer(flood.scenario);
const resolver = createLoopbackResolver();
const auth = { type: 'password' as const, user: 'alice', pass: 'secret' };
const rssBefore = process.resourceUsage().maxRSS;
const started = performance.now();
const stop = AbortSignal.timeout(limitMs);

async function run(): Promise<string> {
  const kindOf = (f: { kind?: string; code?: string } | undefined): string =>
    `${f?.kind ?? '?'}${f?.code ? ` (${f.code})` : ''}`;
  if (mode.startsWith('probe')) {
    const prober = createSmtpProber({ resolver, trustedCa: [testCaPem()] });
    const r = await prober.probe(
      {
        host: 'localhost',
        port: server.port,
        security: mode === 'probe' ? 'none' : 'starttls',
        address: 'alice@example.test',
        auth,
      },
      { deadline: Date.now() + limitMs, signal: stop },
    );
    return r.ok ? 'ok' : `refused: ${kindOf(r.failure)} at ${r.failure?.step}`;
  }
  const sender = createSmtpSender({ resolver });
  const opened = await sender.open(
    { host: '127.0.0.1', port: server.port, security: 'none', pinnedCert: null, auth },
    { signal: stop },
  );
  if (!opened.ok) return `refused: ${kindOf(opened.failure)} at ${opened.failure.step}`;
  const sent = await opened.connection.send(
    { from: 'alice@example.test', to: ['bob@example.test'], smtpUtf8: false },
    Buffer.from('Subject: hi\r\n\r\nhello\r\n'),
    { beforeDataEnd: async () => {} },
    stop,
  );
  await opened.connection.close();
  return sent.ok ? 'sent' : `refused: ${kindOf(sent.failure)} at ${sent.failure.step}`;
}

const outcome = await run();
const ms = performance.now() - started;
const rss = process.resourceUsage().maxRSS;
console.log(
  `${mode}: ${outcome}${stop.aborted ? ' (cut at the limit)' : ''}; ${ms.toFixed(0)} ms; peak RSS ${(rss / 1024).toFixed(0)} MB (+${((rss - rssBefore) / 1024).toFixed(0)} MB); flood written by the server ${(flood.sent() / 1024 / 1024).toFixed(1)} MiB`,
);
await server.close();
process.exit(0);
