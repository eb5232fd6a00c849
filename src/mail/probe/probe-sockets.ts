import { isIP, connect as netConnect, type Socket } from 'node:net';
import { type ConnectionOptions, type TLSSocket, connect as tlsConnect } from 'node:tls';
import type { MailProtocol, MailSecurity, PinnedCertificate } from '../../domain/mailbox/connection.js';
import type { CertificateInfo } from '../../domain/mailbox/mail-failure.js';
import type { ProbeStepId } from '../../domain/mailbox/probe.js';
import type { MailTargetResolver, ResolvedMailTarget } from '../../ports/mail-target-resolver.js';
import { buildTlsOptions, describeCertificate } from '../net/tls-options.js';
import type { ProbeDeadline } from './probe-deadline.js';
import type { ProbeRecorder } from './probe-recorder.js';

/** Raised when a socket step's own timeout fires (as opposed to the whole-probe deadline). */
export class SocketStepTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
  readonly timeoutType: 'CONNECT_TIMEOUT' | 'TLS_TIMEOUT';

  constructor(timeoutType: 'CONNECT_TIMEOUT' | 'TLS_TIMEOUT') {
    super(timeoutType === 'CONNECT_TIMEOUT' ? 'Connection timeout' : 'TLS handshake timed out');
    this.name = 'SocketStepTimeoutError';
    this.timeoutType = timeoutType;
  }
}

// Errors that arrive after a step settled (a reset during teardown, case 39) must never reach
// the process as an unhandled 'error' event: every socket we create keeps this for its life.
const swallowLateError = (): void => {};

/**
 * Dials the validated address (never a name: nothing re-resolves after the policy check,
 * M53). The socket is destroyed when the probe deadline fires.
 */
export function connectTcp(opts: {
  address: string;
  port: number;
  timeoutMs: number;
  deadline: ProbeDeadline;
}): Promise<Socket> {
  const socket = netConnect({ host: opts.address, port: opts.port });
  socket.on('error', swallowLateError);
  opts.deadline.onExpire(() => socket.destroy());
  return settleOnce<Socket>(socket, 'connect', opts.timeoutMs, 'CONNECT_TIMEOUT');
}

/** TLS over an already connected socket (implicit TLS right after connect, or after STARTTLS). */
export function startTls(opts: {
  socket: Socket;
  tls: ConnectionOptions;
  timeoutMs: number;
  deadline: ProbeDeadline;
}): Promise<TLSSocket> {
  const secure = tlsConnect({ ...opts.tls, socket: opts.socket });
  secure.on('error', swallowLateError);
  opts.deadline.onExpire(() => secure.destroy());
  return settleOnce<TLSSocket>(secure, 'secureConnect', opts.timeoutMs, 'TLS_TIMEOUT');
}

/**
 * TLS options for one endpoint: verification on, pin honoured (M54). SNI carries the typed
 * name; for a typed IP literal there is no SNI and Node checks the certificate against the IP.
 */
export function endpointTlsOptions(
  host: string,
  pinnedCert: PinnedCertificate | null | undefined,
  trustedCa: readonly string[] | undefined,
): ConnectionOptions {
  const options = buildTlsOptions({ servername: host, pinnedCert: pinnedCert ?? null, trustedCa });
  if (isIP(host) !== 0) {
    delete options.servername;
    options.host = host;
  }
  return options;
}

function settleOnce<T extends Socket>(
  socket: T,
  event: 'connect' | 'secureConnect',
  timeoutMs: number,
  timeoutType: 'CONNECT_TIMEOUT' | 'TLS_TIMEOUT',
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const done = (err: Error | null): void => {
      clearTimeout(timer);
      socket.removeListener(event, onReady);
      socket.removeListener('error', onError);
      socket.removeListener('close', onClose);
      if (err) {
        socket.destroy();
        reject(err);
      } else resolve(socket);
    };
    const onReady = (): void => done(null);
    const onError = (err: Error): void => done(err);
    const onClose = (): void =>
      done(Object.assign(new Error('Connection closed unexpectedly'), { code: 'ECONNRESET' }));
    const timer = setTimeout(() => done(new SocketStepTimeoutError(timeoutType)), timeoutMs);
    socket.once(event, onReady);
    socket.once('error', onError);
    socket.once('close', onClose);
  });
}

export function tlsInfo(socket: TLSSocket): Record<string, unknown> {
  return { protocol: socket.getProtocol(), cipher: socket.getCipher()?.name };
}

/**
 * The first steps every probe shares: resolve through the network policy, connect to the
 * validated IP, and (security `tls`) the implicit TLS handshake verified against the typed
 * host. Each step is recorded; `begin` marks the step so a failure is reported on it.
 */
export async function dialProbeTarget(p: {
  protocol: MailProtocol;
  host: string;
  port: number;
  security: MailSecurity;
  /** The demo workspace's mailbox: the sandbox's ports are allowed (decision 0010). */
  sandbox?: boolean;
  resolver: MailTargetResolver;
  deadline: ProbeDeadline;
  rec: ProbeRecorder;
  timeouts: { connectMs: number; greetingMs: number };
  tlsOptions: ConnectionOptions;
  /** Every socket opened, for the caller to destroy. */
  sockets: Socket[];
  begin(step: ProbeStepId): number;
  /** Called as soon as the target is known (a later certificate failure needs it). */
  onTarget(target: ResolvedMailTarget): void;
}): Promise<{ target: ResolvedMailTarget; socket: Socket; certificate?: CertificateInfo }> {
  const { deadline, rec } = p;
  let started = p.begin('resolve');
  const target = await deadline.race(
    p.resolver.resolve(p.host, p.port, p.protocol, { sandbox: p.sandbox === true }),
  );
  p.onTarget(target);
  rec.ok('resolve', started, { info: { address: target.address, family: target.family } });

  started = p.begin('connect');
  const timeoutMs = deadline.bound(p.timeouts.connectMs);
  const raw = await deadline.race(
    connectTcp({ address: target.address, port: target.port, timeoutMs, deadline }),
  );
  p.sockets.push(raw);
  rec.ok('connect', started, { info: { address: target.address, port: target.port } });
  if (p.security !== 'tls') return { target, socket: raw };

  started = p.begin('tls');
  const tlsTimeout = deadline.bound(p.timeouts.greetingMs);
  const secure = await deadline.race(
    startTls({ socket: raw, tls: p.tlsOptions, timeoutMs: tlsTimeout, deadline }),
  );
  p.sockets.push(secure);
  const certificate = describeCertificate(secure.getPeerCertificate());
  rec.ok('tls', started, { info: tlsInfo(secure) });
  return { target, socket: secure, certificate };
}
