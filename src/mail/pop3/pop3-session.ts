import type { IncomingSettings } from '../../domain/mailbox/connection.js';
import type { CertificateInfo, MailFailure } from '../../domain/mailbox/mail-failure.js';
import type { ProbeStepId } from '../../domain/mailbox/probe.js';
import type { MailTargetResolver, ResolvedMailTarget } from '../../ports/mail-target-resolver.js';
import { isMailTargetError } from '../net/mail-target-error.js';
import { Pop3Client } from './pop3-client.js';
import { isPop3Error, Pop3Error, pop3Error } from './pop3-errors.js';
import type { Pop3Capabilities } from './pop3-listing.js';
import type { Pop3Limits, Pop3Timeouts } from './pop3-options.js';
import type { BufferMeter } from './pop3-reader.js';

/** What the POP3 adapters (probe, mailbox) need from the composition root. */
export interface Pop3Deps {
  /** Network policy: resolves once, refuses non-public targets (SECURITY.md §1.2). */
  resolver: MailTargetResolver;
  /** Extra trusted CA certificates (PEM), e.g. an operator's internal CA. */
  trustedCa?: readonly string[];
  limits?: Partial<Pop3Limits>;
  timeouts?: Partial<Pop3Timeouts>;
  /** Records the most reply bytes any one connection held (memory tests). */
  meter?: BufferMeter;
}

export interface SessionOptions {
  /** Absolute deadline (ms since epoch) for the whole session. */
  deadline: number;
  signal?: AbortSignal;
}

/** A step's facts for a probe report; the runner adds timing and outcome. */
export interface StepReport {
  reply?: string;
  info?: Record<string, unknown>;
}

/** Runs the named steps of a session; the probe records them, the mailbox just runs them. */
export interface StepRunner {
  run<T>(id: ProbeStepId, fn: () => Promise<T>, report?: (value: T) => StepReport): Promise<T>;
}

const justRun: StepRunner = { run: (_id, fn) => fn() };

/** The steps `openPop3Session` runs for a security mode, in order. */
export function sessionSteps(security: IncomingSettings['security']): ProbeStepId[] {
  if (security === 'tls') return ['resolve', 'connect', 'tls', 'greeting', 'capa', 'auth'];
  if (security === 'starttls') return ['resolve', 'connect', 'greeting', 'capa', 'starttls', 'auth'];
  return ['resolve', 'connect', 'greeting', 'capa', 'auth'];
}

/**
 * Resolve → connect → TLS or STLS → greeting → CAPA → login. In `starttls` mode the
 * plain-text CAPA only decides whether STLS is possible; nothing learnt before the
 * handshake is used after it. Throws Pop3Error (resolver refusals keep their kind).
 */
export async function openPop3Session(
  settings: IncomingSettings,
  deps: Pop3Deps,
  options: SessionOptions,
  steps: StepRunner = justRun,
): Promise<{ client: Pop3Client; certificate?: CertificateInfo }> {
  const target = await steps.run(
    'resolve',
    () => resolveTarget(deps.resolver, settings),
    (t) => ({ info: { address: t.address } }),
  );
  const client = await steps.run(
    'connect',
    () =>
      Pop3Client.dial({
        target: { host: settings.host, address: target.address, port: target.port },
        security: settings.security,
        pinnedCert: settings.pinnedCert,
        trustedCa: deps.trustedCa,
        limits: deps.limits,
        timeouts: deps.timeouts,
        deadline: options.deadline,
        signal: options.signal,
        meter: deps.meter,
      }),
    () => ({ info: { address: target.address, port: target.port } }),
  );
  try {
    let certificate: CertificateInfo | undefined;
    if (settings.security === 'tls') {
      certificate = await steps.run('tls', () => client.startTls(), certificateReport);
    }
    await steps.run(
      'greeting',
      () => client.readGreeting(),
      (reply) => ({ reply }),
    );
    await steps.run('capa', () => client.capa(), capabilityReport);
    if (settings.security === 'starttls') {
      const upgraded = await steps.run(
        'starttls',
        () => client.stls(),
        (r) => ({
          reply: r.reply,
          info: { ...certificateReport(r.certificate).info, ...capabilityReport(r.capabilities).info },
        }),
      );
      certificate = upgraded.certificate;
    }
    await steps.run(
      'auth',
      () => client.login(settings.auth),
      (r) => ({ reply: r.reply, info: { mechanism: r.mechanism } }),
    );
    return { client, certificate };
  } catch (err) {
    client.destroy();
    throw err;
  }
}

async function resolveTarget(
  resolver: MailTargetResolver,
  settings: IncomingSettings,
): Promise<ResolvedMailTarget> {
  try {
    return await resolver.resolve(settings.host, settings.port, 'pop3', {
      sandbox: settings.sandbox === true,
    });
  } catch (err) {
    if (isMailTargetError(err)) throw new Pop3Error({ ...err.failure, protocol: 'pop3' }, { cause: err });
    throw pop3Error('dns', { step: 'resolve', host: settings.host, detail: errorText(err) }, [], err);
  }
}

/** Any thrown value as a MailFailure (non-POP3 errors are bugs or policy errors). */
export function failureOf(err: unknown, step: string): MailFailure {
  if (isPop3Error(err)) return { ...err.failure, step: err.failure.step ?? step };
  if (isMailTargetError(err)) return { ...err.failure, protocol: 'pop3' };
  return { kind: 'protocol', protocol: 'pop3', step, detail: errorText(err) };
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err)).slice(0, 300);

function certificateReport(c: CertificateInfo): StepReport {
  return { info: { subject: c.subject, issuer: c.issuer, validTo: c.validTo, sha256: c.sha256 } };
}

function capabilityReport(caps: Pop3Capabilities | null): StepReport {
  return { info: { capabilities: caps ? [...caps.lines] : null } };
}
