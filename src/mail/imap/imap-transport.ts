import type { Socket } from 'node:net';
import { type ConnectionOptions, type TLSSocket, connect as tlsConnect } from 'node:tls';
import type { ImapTransport, ImapTransportSocket } from 'imapflow';
import type { ProbeDeadline } from '../probe/probe-deadline.js';

/** When things happened inside imapflow's `connect()`, as seen from the transport. */
export interface ImapTransportMarks {
  greetingAt?: number;
  upgradeStartedAt?: number;
  upgradedAt?: number;
  /** The TLS socket after STARTTLS, for the negotiated certificate. */
  upgraded?: TLSSocket;
}

/**
 * An imapflow transport over a socket we already dialled (the validated IP, M53) and, for
 * implicit TLS, already secured: imapflow never resolves or dials anything itself. STARTTLS
 * runs with our TLS policy (M54). It also marks when the first server bytes (the greeting)
 * arrived and when the upgrade started and finished, so the probe can time those steps.
 */
export function createProbeTransport(opts: {
  socket: Socket;
  tls: ConnectionOptions;
  deadline: ProbeDeadline;
  marks: ImapTransportMarks;
}): ImapTransport {
  const { marks } = opts;
  const markFirstData = (socket: Socket): void => {
    socket.once('data', () => {
      marks.greetingAt ??= Date.now();
    });
  };
  return {
    connect(_options, onConnect) {
      // imapflow stores the returned socket before it may be told it is connected.
      setImmediate(() => {
        onConnect();
        // Added after imapflow piped the socket, so the listener never takes bytes from it.
        markFirstData(opts.socket);
      });
      return opts.socket as ImapTransportSocket;
    },
    upgrade(plain, _options, onSecure) {
      marks.upgradeStartedAt = Date.now();
      const secure = tlsConnect({ ...opts.tls, socket: plain as Socket }, () => {
        marks.upgradedAt = Date.now();
        onSecure();
      });
      secure.on('error', () => {});
      opts.deadline.onExpire(() => secure.destroy());
      marks.upgraded = secure;
      return secure as ImapTransportSocket;
    },
  };
}
