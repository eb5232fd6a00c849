import { createSecureContext } from 'node:tls';
import type { IncomingSettings, MailAuth, SmtpSettings } from '../src/domain/mailbox/connection.js';
import type { ProbeResult } from '../src/domain/mailbox/probe.js';
import { buildTlsOptions, createMailTargetResolver, parseAllowList } from '../src/mail/net/index.js';
import { createPop3Prober } from '../src/mail/pop3/pop3-probe.js';
import { createSmtpProber } from '../src/mail/smtp/smtp-probe.js';
import { testCaPem } from '../test/helpers/tls-fixtures.js';
import { dovecotMissingReason, startDovecot } from '../test/servers/dovecot.js';
import { Pop3FakeServer } from '../test/servers/pop3-fake-server.js';
import { startSmtpSink } from '../test/servers/smtp-sink.js';
import { bareTlsGreetingQuit } from './support/bare-tls.js';
import { type Benchmark, type BenchOutcome, below, figure } from './support/report.js';
import { describeSummary, formatNumber, median, summarize } from './support/stats.js';

const PROBES = 30;
const WARMUP = 3;
const GOAL_MS = 200;
/** smtp-server waits this long before every greeting (not configurable in 3.21). */
const SMTP_SERVER_GREETING_DELAY_MS = 100;

interface Target {
  label: string;
  probe(): Promise<ProbeResult>;
  /** Bare TLS connect + greeting + QUIT to the same listener. */
  baseline(): Promise<number>;
  /** A fixed wait on the server side that no client can avoid (smtp-server's greeting delay). */
  delay: { ms: number; inBaseline: boolean; why: string } | null;
}

/**
 * Issue goal: "A probe against a healthy local server completes in < 200 ms". Our SMTP and
 * POP3 probes (resolver with 127.0.0.1 allow-listed, test CA trusted, implicit TLS) against
 * the loopback test servers, and against Dovecot when installed; baseline: a bare TLS
 * connect + greeting + QUIT to the same server.
 */
export const probeBench: Benchmark = {
  name: 'probe',
  title: 'SMTP and POP3 "Test account" probes against healthy loopback servers',
  timeoutMs: 90_000,
  typicalMs: 15_000,
  async run(options) {
    const { outcome } = options;
    const deps = {
      resolver: createMailTargetResolver({ allowList: parseAllowList('127.0.0.1').entries }),
      trustedCa: [testCaPem()],
    };
    const smtpProber = createSmtpProber(deps);
    const pop3Prober = createPop3Prober(deps);
    const deadline = () => ({ deadline: Date.now() + 10_000 });
    const ca = [testCaPem()];
    const cleanups: Array<() => Promise<void>> = [];
    try {
      const auth: MailAuth = { type: 'password', user: 'bench@example.test', pass: 'bench password 1' };
      const sink = await startSmtpSink({ mode: 'tls', users: [{ user: auth.user, password: auth.pass }] });
      cleanups.push(() => sink.close());
      const smtpSettings: SmtpSettings = {
        host: '127.0.0.1',
        port: sink.port,
        security: 'tls',
        auth,
        address: auth.user,
      };
      const fake = await Pop3FakeServer.start({
        implicitTls: true,
        messages: Array.from({ length: 20 }, (_, i) => Buffer.from(`Subject: m${i}\r\n\r\nbody ${i}\r\n`)),
      });
      cleanups.push(() => fake.close());
      const pop3Settings: IncomingSettings = {
        protocol: 'pop3',
        host: '127.0.0.1',
        port: fake.port,
        security: 'tls',
        auth: { type: 'password', user: 'user', pass: 'secret' },
      };
      const targets: Target[] = [
        {
          label: 'smtp probe (smtp-server sink, implicit TLS)',
          probe: () => smtpProber.probe(smtpSettings, deadline()),
          baseline: () => bareTlsGreetingQuit({ port: sink.port, ca, expect: '220' }),
          delay: {
            ms: SMTP_SERVER_GREETING_DELAY_MS,
            inBaseline: true,
            why: 'smtp-server waits 100 ms before every greeting (probe and baseline both wait once)',
          },
        },
        {
          label: 'pop3 probe (fake POP3 server, implicit TLS)',
          probe: () => pop3Prober.probe(pop3Settings, deadline()),
          baseline: () => bareTlsGreetingQuit({ port: fake.port, ca, expect: '+OK' }),
          delay: null,
        },
      ];

      const missing = dovecotMissingReason();
      if (missing) {
        outcome.notes.push(`Dovecot figures skipped: ${missing}`);
      } else {
        const user = { user: 'bench', password: 'Bench-Probe-77' };
        const dovecot = await startDovecot({
          users: [user],
          messages: { bench: [Buffer.from('Subject: hi\n\nhello\n')] },
        });
        cleanups.push(() => dovecot.stop());
        const dovecotAuth: MailAuth = { type: 'password', user: user.user, pass: user.password };
        targets.push(
          {
            label: 'smtp probe (Dovecot submissions)',
            probe: () =>
              smtpProber.probe(
                {
                  host: '127.0.0.1',
                  port: dovecot.ports.submissions,
                  security: 'tls',
                  auth: dovecotAuth,
                  address: 'bench@example.test',
                },
                deadline(),
              ),
            baseline: () => bareTlsGreetingQuit({ port: dovecot.ports.submissions, ca, expect: '220' }),
            delay: {
              ms: SMTP_SERVER_GREETING_DELAY_MS,
              inBaseline: false,
              why: "Dovecot relays MAIL FROM to the fixture's smtp-server sink, whose 100 ms greeting delay lands in the probe's mail_from step (not in the baseline)",
            },
          },
          {
            label: 'pop3 probe (Dovecot pop3s)',
            probe: () =>
              pop3Prober.probe(
                {
                  protocol: 'pop3',
                  host: '127.0.0.1',
                  port: dovecot.ports.pop3s,
                  security: 'tls',
                  auth: dovecotAuth,
                },
                deadline(),
              ),
            baseline: () => bareTlsGreetingQuit({ port: dovecot.ports.pop3s, ca, expect: '+OK' }),
            delay: null,
          },
        );
      }

      for (const target of targets) {
        options.log(`${target.label}: ${PROBES} probes…`);
        await measureTarget(target, outcome);
      }
      outcome.notes.push(tlsContextNote());
      return outcome;
    } finally {
      for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    }
  },
};

async function measureTarget(target: Target, outcome: BenchOutcome): Promise<void> {
  const probeMs: number[] = [];
  const baseMs: number[] = [];
  const stepMs = new Map<string, number[]>();
  const probeOnce = async (keep: boolean) => {
    const started = performance.now();
    const result = await target.probe();
    const elapsed = performance.now() - started;
    // A failing probe is fast and proves nothing: every one must succeed.
    if (!result.ok) throw new Error(`${target.label} failed: ${JSON.stringify(result.failure)}`);
    if (!keep) return;
    probeMs.push(elapsed);
    for (const s of result.steps) stepMs.set(s.id, [...(stepMs.get(s.id) ?? []), s.durationMs]);
  };
  const baselineOnce = async (keep: boolean) => {
    const elapsed = await target.baseline();
    if (keep) baseMs.push(elapsed);
  };
  for (let i = 0; i < WARMUP; i++) {
    await probeOnce(false);
    await baselineOnce(false);
  }
  for (let i = 0; i < PROBES; i++) {
    // Alternate which goes first, so neither always runs on a freshly idle server.
    if (i % 2 === 0) {
      await probeOnce(true);
      await baselineOnce(true);
    } else {
      await baselineOnce(true);
      await probeOnce(true);
    }
  }
  const ours = summarize(probeMs);
  const base = summarize(baseMs);
  const baselineLabel = 'bare TLS connect + greeting + QUIT to the same listener';
  outcome.figures.push(
    figure({
      name: `${target.label} median`,
      ours: ours.p50,
      baseline: base.p50,
      baselineLabel,
      goal: below(GOAL_MS),
    }),
    figure({
      name: `${target.label} p95`,
      ours: ours.p95,
      baseline: base.p95,
      baselineLabel,
      goal: below(GOAL_MS),
    }),
  );
  if (target.delay) {
    const d = target.delay;
    outcome.figures.push(
      figure({
        name: `${target.label} median minus ${d.ms} ms server delay`,
        ours: ours.p50 - d.ms,
        baseline: base.p50 - (d.inBaseline ? d.ms : 0),
        baselineLabel,
      }),
    );
    outcome.notes.push(`${target.label}: ${d.why}.`);
  }
  const steps = [...stepMs.entries()]
    .map(([id, xs]) => `${id} ${formatNumber(summarize(xs).p50)}`)
    .join(', ');
  outcome.notes.push(
    `${target.label}: probe ${describeSummary(ours)}; baseline ${describeSummary(base)}`,
    `    median per step (ms): ${steps}`,
  );
}

/**
 * What one connection pays to build its TLS context from our TLS policy's options: with a
 * `ca` list Node parses every anchor into a fresh SecureContext on each connect.
 */
function tlsContextNote(): string {
  const options = buildTlsOptions({ servername: 'localhost', trustedCa: [testCaPem()] });
  if (!options.ca) return 'TLS: buildTlsOptions() passes no `ca` list (nothing re-parsed per connection).';
  const anchors = Array.isArray(options.ca) ? options.ca.length : 1;
  const xs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    createSecureContext({ ca: options.ca, minVersion: options.minVersion });
    xs.push(performance.now() - started);
  }
  return (
    `TLS: buildTlsOptions() hands tls.connect a \`ca\` list of ${anchors} anchors (Node's roots + NODE_EXTRA_CA_CERTS + ` +
    `trusted CAs); Node builds a new SecureContext from it on every connection: ${formatNumber(median(xs))} ms each ` +
    '(median of 5), which is most of the probes\' "tls" step.'
  );
}

export default probeBench;
