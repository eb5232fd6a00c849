import type { Provider } from '../../domain/catalogue/catalogue-entry.js';
import { classify, providerOfPreset } from '../../domain/catalogue/index.js';
import type { IncomingSettings, MailSecurity, SmtpSettings } from '../../domain/mailbox/connection.js';
import { CONNECTION_TEST_TIMEOUT_MS } from '../../domain/mailbox/connection-test-timing.js';
import type { CertificateInfo, MailFailure } from '../../domain/mailbox/mail-failure.js';
import type { ProbeResult, ProbeStep } from '../../domain/mailbox/probe.js';
import type { IncomingProber, SmtpProber } from '../../ports/mail-probes.js';

// Defined with the HTTP margin it must keep (issue 8 item 15); re-exported for the callers.
export { CONNECTION_TEST_TIMEOUT_MS } from '../../domain/mailbox/connection-test-timing.js';

export interface DiagnosedStep extends ProbeStep {
  /** Catalogue entry explaining a failed step (M19, M43). */
  diagnosis?: { entryId: string; confidence: string };
}

export interface DirectionResult {
  ok: boolean;
  protocol: 'smtp' | 'pop3' | 'imap';
  steps: DiagnosedStep[];
  certificate?: CertificateInfo;
  failure?: MailFailure;
  diagnosis?: { entryId: string; confidence: string };
}

export interface ConnectionTestResult {
  ok: boolean;
  durationMs: number;
  smtp: DirectionResult;
  incoming: DirectionResult;
}

type Hints = { port: number; security: MailSecurity; provider?: Provider | undefined };

const diagnose = (failure: MailFailure, { provider, ...hints }: Hints) => {
  const c = classify(failure, provider ? { ...hints, provider } : hints);
  return { entryId: c.entry.id, confidence: c.confidence };
};

/** A probe result with every failed step explained from the catalogue (M19, M43). */
export function withDiagnosis(r: ProbeResult, hints: Hints): DirectionResult {
  const steps = r.steps.map((s) =>
    s.outcome === 'failed' && s.failure ? { ...s, diagnosis: diagnose(s.failure, hints) } : s,
  );
  return {
    ok: r.ok,
    protocol: r.protocol,
    steps,
    ...(r.certificate ? { certificate: r.certificate } : {}),
    ...(r.failure ? { failure: r.failure, diagnosis: diagnose(r.failure, hints) } : {}),
  };
}

/** What a prober that ignored its deadline is reported as: a session timeout. */
function timedOut(protocol: 'smtp' | 'pop3' | 'imap'): ProbeResult {
  const failure: MailFailure = { kind: 'timeout', protocol, timeout: 'session', step: 'connect' };
  return {
    ok: false,
    protocol,
    steps: [{ id: 'connect', outcome: 'failed', durationMs: CONNECTION_TEST_TIMEOUT_MS, failure }],
    failure,
  };
}

/**
 * The connection test (M18–M22): SMTP and the incoming protocol probed in parallel, each
 * step diagnosed from the error catalogue, the probes over within 25 s whatever the
 * servers do (each prober honours the deadline; a hard timer backs that up).
 */
export function createConnectionTester(deps: {
  smtp: Pick<SmtpProber, 'probe'>;
  pop3: IncomingProber;
  imap: IncomingProber;
}) {
  return {
    async test(
      // The preset names the provider when the host does not (a plain 535 on Gmail, issue 11).
      settings: { smtp: SmtpSettings; incoming: IncomingSettings; presetId?: string | null },
      timeoutMs = CONNECTION_TEST_TIMEOUT_MS,
    ): Promise<ConnectionTestResult> {
      const started = Date.now();
      const controller = new AbortController();
      const options = { deadline: started + timeoutMs - 250, signal: controller.signal };
      let timer: NodeJS.Timeout | undefined;
      const hardStop = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => {
          controller.abort();
          resolve('timeout');
        }, timeoutMs);
      });
      const incomingProber = settings.incoming.protocol === 'imap' ? deps.imap : deps.pop3;
      const bounded = async (p: Promise<ProbeResult>, protocol: 'smtp' | 'pop3' | 'imap') => {
        const r = await Promise.race([p.catch(() => timedOut(protocol)), hardStop]);
        return r === 'timeout' ? timedOut(protocol) : r;
      };
      try {
        const [smtp, incoming] = await Promise.all([
          bounded(deps.smtp.probe(settings.smtp, options), 'smtp'),
          bounded(incomingProber.probe(settings.incoming, options), settings.incoming.protocol),
        ]);
        return {
          ok: smtp.ok && incoming.ok,
          durationMs: Date.now() - started,
          smtp: withDiagnosis(smtp, { ...settings.smtp, provider: providerOfPreset(settings.presetId) }),
          incoming: withDiagnosis(incoming, {
            ...settings.incoming,
            provider: providerOfPreset(settings.presetId),
          }),
        };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

export type ConnectionTester = ReturnType<typeof createConnectionTester>;
