import type { Socket } from 'node:net';
import type { ConnectionOptions, PeerCertificate } from 'node:tls';
import type { SmtpSettings } from '../../domain/mailbox/connection.js';
import type { CertificateInfo, MailFailure } from '../../domain/mailbox/mail-failure.js';
import type { ProbeResult, ProbeStepId } from '../../domain/mailbox/probe.js';
import type { OutgoingTestMessage, ProbeOptions, SmtpProber } from '../../ports/mail-probes.js';
import type { MailTargetResolver, ResolvedMailTarget } from '../../ports/mail-target-resolver.js';
import { composeTestMessage } from '../message/compose-test-message.js';
import { describeCertificate, fetchPresentedCertificate } from '../net/tls-options.js';
import { ProbeDeadline } from '../probe/probe-deadline.js';
import { ProbeRecorder, probeSecretsOf } from '../probe/probe-recorder.js';
import { dialProbeTarget, endpointTlsOptions, tlsInfo } from '../probe/probe-sockets.js';
import { parseEhloReply, type SmtpCapabilities } from './smtp-capabilities.js';
import { parseSmtpReply, smtpFailureFromError } from './smtp-error.js';
import { readHandshake } from './smtp-handshake.js';
import {
  DEFAULT_SMTP_PROBE_TIMEOUTS,
  type SmtpProbeTimeouts,
  smtpAuthMethod,
  smtpProbePlan,
} from './smtp-probe-plan.js';
import { DEFAULT_SERVER_DATA_CAPS } from './smtp-server-data-guard.js';
import { SmtpSession } from './smtp-session.js';
import { fetchSmtpStartTlsCertificate } from './smtp-starttls-certificate.js';

// One reply (greeting, the whole multi-line EHLO) is a few hundred bytes; a longer one is
// hostile (case 32). nodemailer holds at most this per reply, the transcript 64 replies.
const MAX_REPLY_BYTES = 16 * 1024;
// A probe's whole dialogue (greeting, two EHLOs, a handful of one-line replies) is a few kB:
// 1 MiB over the session on top of the per-command cap (smtp-server-data-guard.ts).
const SERVER_DATA_CAPS = { ...DEFAULT_SERVER_DATA_CAPS, sessionBytes: 1024 * 1024 };

export interface SmtpProberDeps {
  resolver: MailTargetResolver;
  /** Extra trusted CA certificates (PEM). */
  trustedCa?: readonly string[];
  /** EHLO name (from config); nodemailer's default otherwise. */
  clientName?: string;
  timeouts?: Partial<SmtpProbeTimeouts>;
}

/**
 * SMTP "Test account" probe (M18, M19, M22, M53–M55): resolve through the network policy,
 * dial the validated IP, TLS verified against the typed host (STARTTLS required, never
 * opportunistic), EHLO, AUTH, `MAIL FROM`/`RCPT TO` with the mailbox address, RSET, QUIT.
 * Nothing is sent. Each step is timed and reported; the whole probe ends by the deadline.
 */
export function createSmtpProber(deps: SmtpProberDeps): SmtpProber {
  const timeouts = { ...DEFAULT_SMTP_PROBE_TIMEOUTS, ...deps.timeouts };
  return {
    probe: (settings, options) => new SmtpProbeRun(deps, timeouts, settings, options).run(),
    sendTest: (settings, message, options) =>
      new SmtpProbeRun(deps, timeouts, settings, options, message).run(),
  };
}

class ProbeStopped extends Error {}

class SmtpProbeRun {
  private readonly rec: ProbeRecorder;
  private readonly deadline: ProbeDeadline;
  private readonly secrets: string[];
  private readonly tlsOptions: ConnectionOptions;
  private certificate: CertificateInfo | undefined;
  private step: ProbeStepId = 'resolve';
  private stepStart = Date.now();
  private target: ResolvedMailTarget | undefined;
  private session: SmtpSession | undefined;
  private readonly sockets: Socket[] = [];

  constructor(
    private readonly deps: SmtpProberDeps,
    private readonly timeouts: SmtpProbeTimeouts,
    private readonly settings: SmtpSettings,
    options: ProbeOptions,
    private readonly message?: OutgoingTestMessage,
  ) {
    this.secrets = probeSecretsOf(settings.auth);
    this.rec = new ProbeRecorder('smtp', smtpProbePlan(settings.security, !!message), this.secrets);
    this.deadline = new ProbeDeadline(options.deadline, options.signal);
    this.tlsOptions = endpointTlsOptions(settings.host, settings.pinnedCert, deps.trustedCa);
  }

  async run(): Promise<ProbeResult> {
    try {
      await this.steps();
    } catch (err) {
      if (!(err instanceof ProbeStopped)) await this.failStep(this.step, this.stepStart, err);
    } finally {
      this.deadline.dispose();
      this.session?.close();
      for (const socket of this.sockets) socket.destroy();
    }
    return this.rec.result(this.certificate);
  }

  private begin(step: ProbeStepId): void {
    this.step = step;
    this.stepStart = Date.now();
  }

  private async steps(): Promise<void> {
    const { settings, deadline } = this;
    const dialed = await dialProbeTarget({
      protocol: 'smtp',
      host: settings.host,
      port: settings.port,
      security: settings.security,
      sandbox: settings.sandbox === true,
      resolver: this.deps.resolver,
      deadline,
      rec: this.rec,
      timeouts: this.timeouts,
      tlsOptions: this.tlsOptions,
      sockets: this.sockets,
      begin: (step) => {
        this.begin(step);
        return this.stepStart;
      },
      onTarget: (t) => {
        this.target = t;
      },
    });
    const { target, socket } = dialed;
    if (dialed.certificate) this.certificate = dialed.certificate;

    const caps = await this.handshake(socket, target);
    await this.authenticate(caps);
    await this.envelope('mail_from', `MAIL FROM:<${settings.address}>`, caps);
    await this.envelope('rcpt_to', `RCPT TO:<${settings.address}>`, caps);
    if (this.message) await this.data(this.message, caps);
    await this.quit();
  }

  /**
   * Sends the message (M23). The envelope was just checked step by step; RSET clears it so
   * nodemailer's public `send()` runs the whole transaction (MAIL, RCPT, DATA, dot-stuffing)
   * rather than our code writing DATA by hand.
   */
  private async data(message: OutgoingTestMessage, caps: SmtpCapabilities): Promise<void> {
    this.begin('data');
    const session = this.session!;
    const raw = await composeTestMessage(this.settings.address, message);
    await this.deadline.race(session.command('RSET'));
    const international = /[^\x00-\x7f]/.test(this.settings.address);
    try {
      const info = await this.deadline.race(
        session.send(
          {
            from: this.settings.address,
            to: [this.settings.address],
            ...(international ? { use8BitMime: true } : {}),
          },
          raw,
          international && caps.smtpUtf8,
        ),
      );
      this.rec.ok('data', this.stepStart, {
        reply: info.response,
        info: { bytes: raw.length, ...(info.messageSize ? { messageSize: info.messageSize } : {}) },
      });
    } catch (err) {
      const reply = (err as { response?: unknown }).response;
      await this.failStep('data', this.stepStart, err, typeof reply === 'string' ? reply : undefined);
      throw new ProbeStopped();
    }
  }

  /** Greeting → (STARTTLS → TLS) → EHLO, run by nodemailer and split into steps afterwards. */
  private async handshake(socket: Socket, target: ResolvedMailTarget): Promise<SmtpCapabilities> {
    const { settings, deadline } = this;
    const implicit = settings.security === 'tls';
    const session = new SmtpSession(
      {
        connection: socket,
        secure: implicit,
        secured: implicit,
        requireTLS: settings.security === 'starttls',
        ignoreTLS: settings.security === 'none',
        host: target.address,
        port: target.port,
        ...(this.deps.clientName ? { name: this.deps.clientName } : {}),
        tls: this.tlsOptions,
        connectionTimeout: Math.max(1, deadline.remaining()),
        greetingTimeout: deadline.bound(this.timeouts.greetingMs),
        socketTimeout: this.timeouts.socketMs,
        socketCloseTimeout: 0,
        maxResponseSize: MAX_REPLY_BYTES,
      },
      settings.auth,
      SERVER_DATA_CAPS,
    );
    this.session = session;
    deadline.onExpire(() => session.close());
    const startedAt = Date.now();
    let error: unknown = null;
    try {
      await deadline.race(session.connect());
    } catch (err) {
      error = err;
    }
    const failedCommand = (error as { command?: unknown } | null)?.command;
    const timeline = readHandshake(
      session.transcript,
      settings.security,
      startedAt,
      error === null,
      typeof failedCommand === 'string' ? failedCommand : undefined,
    );
    const order = [
      ['greeting', timeline.greeting],
      ['starttls', timeline.starttls],
      ['tls', timeline.tls],
      ['ehlo', timeline.ehlo],
    ] as const;
    for (const [id, timing] of order) {
      if (!timing) continue;
      if (id === timeline.failedStep) {
        await this.failStep(id, timing.startedAt, error, timing.reply);
        throw new ProbeStopped();
      }
      if (!timing.done) continue;
      const info =
        id === 'starttls' && timeline.starttls
          ? { advertised: timeline.starttls.advertised }
          : id === 'ehlo'
            ? capabilitiesInfo(parseEhloReply(timing.reply ?? ''))
            : id === 'tls'
              ? this.negotiatedTls(session)
              : undefined;
      this.rec.ok(id, timing.startedAt, {
        endedAt: timing.endedAt,
        ...(timing.reply !== undefined ? { reply: timing.reply } : {}),
        ...(info ? { info } : {}),
      });
    }
    this.begin('auth');
    return parseEhloReply(timeline.ehlo.reply ?? '');
  }

  private negotiatedTls(session: SmtpSession): Record<string, unknown> | undefined {
    const secure = session.tlsSocket();
    if (!secure) return undefined;
    // null once the socket is destroyed (the EHLO inside TLS failed): keep the certificate
    // from before, or none, rather than fail the report on it.
    const peer = secure.getPeerCertificate() as PeerCertificate | null;
    if (peer) this.certificate = describeCertificate(peer);
    return tlsInfo(secure);
  }

  private async authenticate(caps: SmtpCapabilities): Promise<void> {
    const { auth } = this.settings;
    const session = this.session!;
    this.begin('auth');
    const method = smtpAuthMethod(auth, caps.authMethods);
    if (method === null) {
      const offered = caps.authMethods.length > 0 ? caps.authMethods.join(' ') : 'none';
      this.rec.fail('auth', this.stepStart, {
        ...this.baseFailure('auth'),
        kind: 'unsupported',
        detail: `No usable AUTH mechanism (server offers: ${offered})`,
      });
      throw new ProbeStopped();
    }
    await this.deadline.race(session.login(auth, method));
    this.rec.ok('auth', this.stepStart, { reply: lastServerReply(session), info: { method } });
  }

  private async envelope(
    step: 'mail_from' | 'rcpt_to',
    command: string,
    caps: SmtpCapabilities,
  ): Promise<void> {
    this.begin(step);
    const address = this.settings.address;
    // M55: the address goes into a protocol command; the domain validated it, this is the backstop.
    if (address.length > 254 || !/^[^\s<>\x00-\x1f\x7f]+@[^\s<>@\x00-\x1f\x7f]+$/.test(address)) {
      this.rec.fail(step, this.stepStart, { ...this.baseFailure(step), detail: 'Invalid mailbox address' });
      throw new ProbeStopped();
    }
    const international = /[^\x00-\x7f]/.test(address);
    if (international && !caps.smtpUtf8) {
      this.rec.fail(step, this.stepStart, {
        ...this.baseFailure(step),
        kind: 'unsupported',
        code: 'SMTPUTF8',
        detail: 'The address is internationalised but the server does not offer SMTPUTF8',
      });
      throw new ProbeStopped();
    }
    const suffix = step === 'mail_from' && international ? ' SMTPUTF8' : '';
    const reply = await this.deadline.race(this.session!.command(command + suffix));
    if (!reply.startsWith('2')) {
      const failure = smtpFailureFromError(
        { code: 'EENVELOPE', response: reply, command: command.split(':')[0] },
        step,
        this.settings.host,
        this.secrets,
      );
      this.rec.fail(step, this.stepStart, failure, { reply });
      throw new ProbeStopped();
    }
    this.rec.ok(step, this.stepStart, { reply });
  }

  private async quit(): Promise<void> {
    this.begin('quit');
    const session = this.session!;
    // After a sent message there is no envelope left to reset.
    const rset = this.message ? null : await this.deadline.race(session.command('RSET'));
    let quit: string;
    try {
      quit = await this.deadline.race(session.command('QUIT'));
    } catch (err) {
      // A server that hangs up on QUIT without a 221 still ended the session as asked.
      if ((err as { code?: unknown }).code !== 'ECONNECTION') throw err;
      quit = '';
    }
    const info = {
      ...(rset !== null ? { rset: this.rec.clean(rset) } : {}),
      ...(quit ? {} : { closedWithoutReply: true }),
    };
    this.rec.ok('quit', this.stepStart, { ...(quit ? { reply: quit } : {}), info });
  }

  private baseFailure(step: ProbeStepId): MailFailure {
    return { kind: 'protocol', protocol: 'smtp', step, host: this.settings.host };
  }

  /** Maps and records a failure; for certificate failures also reads the presented certificate. */
  private async failStep(step: ProbeStepId, startedAt: number, err: unknown, reply?: string): Promise<void> {
    const failure = smtpFailureFromError(err, step, this.settings.host, this.secrets);
    if (failure.kind === 'certificate' && this.target) {
      const presented = await this.presentedCertificate(this.target);
      if (presented) {
        failure.certificate = presented;
        this.certificate = presented;
      }
    }
    const parsed = reply ? parseSmtpReply(reply) : null;
    if (parsed && failure.responseCode === undefined && parsed.code >= 400) {
      failure.responseCode = parsed.code;
      if (parsed.enhancedCode) failure.enhancedCode = parsed.enhancedCode;
      failure.response = reply;
    }
    this.rec.fail(step, startedAt, failure, reply !== undefined ? { reply } : {});
  }

  private presentedCertificate(target: ResolvedMailTarget): Promise<CertificateInfo | null> {
    // Inside what is left of the probe (M22): with too little left, report without it.
    const timeoutMs = Math.min(this.timeouts.certificateMs, this.deadline.remaining());
    if (timeoutMs < 100) return Promise.resolve(null);
    const servername = this.settings.host;
    if (this.settings.security === 'starttls') {
      const clientName = this.deps.clientName ?? this.session?.conn.name ?? 'localhost';
      return fetchSmtpStartTlsCertificate({
        address: target.address,
        port: target.port,
        servername,
        clientName,
        timeoutMs,
      });
    }
    return fetchPresentedCertificate({ address: target.address, port: target.port, servername, timeoutMs });
  }
}

function lastServerReply(session: SmtpSession): string | undefined {
  for (let i = session.transcript.length - 1; i >= 0; i--) {
    const entry = session.transcript[i];
    if (entry?.dir === 'S') return entry.text;
  }
  return undefined;
}

function capabilitiesInfo(caps: SmtpCapabilities): Record<string, unknown> {
  return { ...caps };
}
