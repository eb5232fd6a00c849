import { isIP, type Socket } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import type { ImapFlow, ImapFlowOptions } from 'imapflow';
import type { IncomingSettings, MailSecurity } from '../../domain/mailbox/connection.js';
import type { CertificateInfo } from '../../domain/mailbox/mail-failure.js';
import type { ProbeResult, ProbeStepId } from '../../domain/mailbox/probe.js';
import type { FindMessage, IncomingProber, ProbeOptions } from '../../ports/mail-probes.js';
import type { MailTargetResolver, ResolvedMailTarget } from '../../ports/mail-target-resolver.js';
import { describeCertificate, fetchPresentedCertificate } from '../net/tls-options.js';
import { ProbeDeadline } from '../probe/probe-deadline.js';
import { ProbeRecorder, probeSecretsOf } from '../probe/probe-recorder.js';
import { dialProbeTarget, endpointTlsOptions, tlsInfo } from '../probe/probe-sockets.js';
import { imapFailureFromError } from './imap-error.js';
import { fetchImapStartTlsCertificate } from './imap-starttls-certificate.js';
import { createProbeTransport, type ImapTransportMarks } from './imap-transport.js';
import { loadImapFlow } from './load-imapflow.js';

/** Per-step timeouts; every one is further cut to what is left of the probe deadline. */
export interface ImapProbeTimeouts {
  connectMs: number;
  /** Greeting (and the TLS handshake of implicit TLS). */
  greetingMs: number;
  /** Socket inactivity while a command waits for its answer. */
  socketMs: number;
  /** Reading the presented certificate after a certificate failure. */
  certificateMs: number;
}

export const DEFAULT_IMAP_PROBE_TIMEOUTS: ImapProbeTimeouts = {
  connectMs: 10_000,
  greetingMs: 10_000,
  socketMs: 15_000,
  certificateMs: 5_000,
};

export interface ImapProberDeps {
  resolver: MailTargetResolver;
  trustedCa?: readonly string[];
  timeouts?: Partial<ImapProbeTimeouts>;
}

/** The steps of an IMAP probe for one security mode, in order (M18). */
export function imapProbePlan(security: MailSecurity, finding = false): ProbeStepId[] {
  const handshake: ProbeStepId[] =
    security === 'tls'
      ? ['tls', 'greeting']
      : security === 'starttls'
        ? ['greeting', 'starttls', 'tls']
        : ['greeting'];
  return [
    'resolve',
    'connect',
    ...handshake,
    'auth',
    'select',
    ...(finding ? ['find' as const] : []),
    'quit',
  ];
}

/**
 * IMAP "Test account" probe (M18): resolve through the network policy, dial the validated IP,
 * TLS verified against the typed host (STARTTLS required when chosen), LOGIN/AUTHENTICATE
 * (password or XOAUTH2), EXAMINE INBOX (read-only: UIDVALIDITY, UIDNEXT, EXISTS), LOGOUT.
 * imapflow's logger is off, so nothing it knows (credentials included) is ever printed.
 */
export function createImapProber(deps: ImapProberDeps): IncomingProber {
  const timeouts = { ...DEFAULT_IMAP_PROBE_TIMEOUTS, ...deps.timeouts };
  return {
    probe: (settings, options) => new ImapProbeRun(deps, timeouts, settings, options, options.find).run(),
  };
}

class ProbeStopped extends Error {}

class ImapProbeRun {
  private readonly rec: ProbeRecorder;
  private readonly deadline: ProbeDeadline;
  private readonly secrets: string[];
  private readonly tlsOptions: ConnectionOptions;
  private certificate: CertificateInfo | undefined;
  private step: ProbeStepId = 'resolve';
  private stepStart = Date.now();
  private target: ResolvedMailTarget | undefined;
  private client: ImapFlow | undefined;
  private readonly sockets: Socket[] = [];

  constructor(
    private readonly deps: ImapProberDeps,
    private readonly timeouts: ImapProbeTimeouts,
    private readonly settings: IncomingSettings,
    options: ProbeOptions,
    private readonly find?: FindMessage,
  ) {
    this.secrets = probeSecretsOf(settings.auth);
    this.rec = new ProbeRecorder('imap', imapProbePlan(settings.security, !!find), this.secrets);
    this.deadline = new ProbeDeadline(options.deadline, options.signal);
    this.tlsOptions = endpointTlsOptions(settings.host, settings.pinnedCert, deps.trustedCa);
  }

  async run(): Promise<ProbeResult> {
    try {
      if (this.settings.protocol !== 'imap')
        throw new Error(`IMAP prober called for ${this.settings.protocol}`);
      await this.steps();
    } catch (err) {
      if (!(err instanceof ProbeStopped)) await this.failStep(this.step, this.stepStart, err);
    } finally {
      this.deadline.dispose();
      this.client?.close();
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
      protocol: 'imap',
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

    const client = await this.login(socket, target);
    this.begin('select');
    const box = await deadline.race(client.mailboxOpen('INBOX', { readOnly: true }));
    this.rec.ok('select', this.stepStart, {
      info: {
        mailbox: 'INBOX',
        uidValidity: String(box.uidValidity),
        uidNext: box.uidNext,
        exists: box.exists,
      },
    });

    if (this.find) {
      this.begin('find');
      // HEADER search runs on the server: nothing but the matching UIDs comes back.
      const uids = await deadline.race(
        client.search({ header: { 'message-id': this.find.messageId } }, { uid: true }),
      );
      this.rec.ok('find', this.stepStart, { info: { found: Array.isArray(uids) && uids.length > 0 } });
    }

    this.begin('quit');
    await deadline.race(client.logout());
    this.rec.ok('quit', this.stepStart);
  }

  /** Greeting → (STARTTLS → TLS) → login, run by imapflow's connect() and timed by the transport. */
  private async login(socket: Socket, target: ResolvedMailTarget): Promise<ImapFlow> {
    const { settings, deadline } = this;
    const marks: ImapTransportMarks = {};
    const options: ImapFlowOptions = {
      host: target.address,
      port: target.port,
      secure: settings.security === 'tls',
      doSTARTTLS: settings.security === 'starttls' ? true : settings.security === 'none' ? false : undefined,
      tls: this.tlsOptions,
      transport: createProbeTransport({ socket, tls: this.tlsOptions, deadline, marks }),
      auth:
        settings.auth.type === 'password'
          ? { user: settings.auth.user, pass: settings.auth.pass }
          : { user: settings.auth.user, accessToken: settings.auth.accessToken },
      // Never print anything: imapflow's logs can carry commands and server text.
      logger: false,
      emitLogs: false,
      logRaw: false,
      // ID is sent to the server; say no more than the product name.
      clientInfo: { name: 'mailroom', version: false, vendor: false, 'support-url': false },
      disableAutoIdle: true,
      disableCompression: true,
      disableAutoEnable: true,
      connectionTimeout: deadline.bound(this.timeouts.connectMs),
      greetingTimeout: deadline.bound(this.timeouts.greetingMs),
      socketTimeout: this.timeouts.socketMs,
      // A probe reads a greeting, capabilities and one SELECT: anything big is hostile.
      // Tokens too: each costs ~100 bytes of heap, so 2 MiB of "1 " would be ~100 MB
      // with imapflow's default of a million (issue 8 item 13).
      maxLineLength: 64 * 1024,
      maxLiteralSize: 1024 * 1024,
      maxResponseSize: 2 * 1024 * 1024,
      maxResponseTokens: 20_000,
    };
    if (isIP(settings.host) === 0) options.servername = settings.host;
    const client = new (await loadImapFlow()).ImapFlow(options);
    this.client = client;
    // For the client's whole life (SECURITY.md §4.2): a late socket error must not crash us.
    client.on('error', () => {});
    deadline.onExpire(() => client.close());

    const startedAt = Date.now();
    this.begin('greeting');
    let error: unknown = null;
    try {
      await deadline.race(client.connect());
    } catch (err) {
      error = err;
    }
    const greetingAt = marks.greetingAt;
    const greetingReply = client.greeting ? `* OK ${client.greeting}` : undefined;
    const reply = greetingReply !== undefined ? { reply: greetingReply } : {};
    const failedAt = this.failedStep(error, marks);
    if (failedAt === 'greeting') return this.stop('greeting', startedAt, error);
    this.rec.ok('greeting', startedAt, { endedAt: greetingAt ?? Date.now(), ...reply });
    let authStart = greetingAt ?? startedAt;
    if (settings.security === 'starttls') {
      const upgradeStart = marks.upgradeStartedAt ?? Date.now();
      if (failedAt === 'starttls') return this.stop('starttls', authStart, error);
      this.rec.ok('starttls', authStart, { endedAt: upgradeStart });
      if (failedAt === 'tls') return this.stop('tls', upgradeStart, error);
      if (marks.upgraded) this.certificate = describeCertificate(marks.upgraded.getPeerCertificate());
      this.rec.ok('tls', upgradeStart, {
        endedAt: marks.upgradedAt ?? Date.now(),
        ...(marks.upgraded ? { info: tlsInfo(marks.upgraded) } : {}),
      });
      authStart = marks.upgradedAt ?? Date.now();
    }
    if (failedAt === 'auth') return this.stop('auth', authStart, error);
    const capabilities = [...client.capabilities.keys()].slice(0, 60);
    this.rec.ok('auth', authStart, {
      info: { method: settings.auth.type === 'oauth2' ? 'XOAUTH2' : 'password', capabilities },
    });
    return client;
  }

  private failedStep(error: unknown, marks: ImapTransportMarks): ProbeStepId | null {
    if (error === null) return null;
    if ((error as { authenticationFailed?: unknown }).authenticationFailed === true) return 'auth';
    if (marks.greetingAt === undefined) return 'greeting';
    if (this.settings.security === 'starttls') {
      if (marks.upgradeStartedAt === undefined) return 'starttls';
      if (marks.upgradedAt === undefined) return 'tls';
    }
    return 'auth';
  }

  private async stop(step: ProbeStepId, startedAt: number, error: unknown): Promise<never> {
    await this.failStep(step, startedAt, error);
    throw new ProbeStopped();
  }

  private async failStep(step: ProbeStepId, startedAt: number, err: unknown): Promise<void> {
    const failure = imapFailureFromError(err, step, this.settings.host, this.secrets);
    if (failure.kind === 'certificate' && this.target) {
      const presented = await this.presentedCertificate(this.target);
      if (presented) {
        failure.certificate = presented;
        this.certificate = presented;
      }
    }
    this.rec.fail(step, startedAt, failure);
  }

  private presentedCertificate(target: ResolvedMailTarget): Promise<CertificateInfo | null> {
    // Inside what is left of the probe (M22): with too little left, report without it.
    const timeoutMs = Math.min(this.timeouts.certificateMs, this.deadline.remaining());
    if (timeoutMs < 100) return Promise.resolve(null);
    const base = { address: target.address, port: target.port, servername: this.settings.host, timeoutMs };
    return this.settings.security === 'starttls'
      ? fetchImapStartTlsCertificate(base)
      : fetchPresentedCertificate(base);
  }
}
