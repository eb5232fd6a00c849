import { SMTPServer } from 'smtp-server';
import type { SandboxStore } from './sandbox-store.js';
import { SANDBOX_HOST_NAME } from './sandbox-world.js';

/** What the SMTP side hands on: one accepted message and its envelope. */
export interface AcceptedMessage {
  user: string;
  from: string;
  to: string[];
  raw: Buffer;
}

export const SANDBOX_MAX_MESSAGE_BYTES = 30 * 1024 * 1024;

/** Test hooks: a smaller cap, and a look at how many DATA bytes one message holds. */
export interface SandboxSmtpLimits {
  maxMessageBytes?: number;
  onHeld?: (bytes: number) => void;
}

/**
 * SMTP submission with AUTH PLAIN/LOGIN (smtp-server), plain text on 127.0.0.1 only. Every
 * accepted message goes to `accept`, which stores it; nothing is ever relayed anywhere.
 */
export function createSandboxSmtp(
  store: SandboxStore,
  accept: (m: AcceptedMessage) => void,
  /** A temporary refusal (451 4.3.0) for this message, or null to accept it. */
  deferral: (m: AcceptedMessage) => string | null = () => null,
  limits: SandboxSmtpLimits = {},
): SMTPServer {
  const maxBytes = limits.maxMessageBytes ?? SANDBOX_MAX_MESSAGE_BYTES;
  const ignore = (): void => {};
  const server = new SMTPServer({
    name: SANDBOX_HOST_NAME,
    banner: 'mailroom sandbox: mail never leaves this computer',
    authMethods: ['PLAIN', 'LOGIN'],
    allowInsecureAuth: true,
    authOptional: false,
    disabledCommands: ['STARTTLS'],
    hideSTARTTLS: true,
    // smtp-server builds a TLS context even with STARTTLS off; without a `ca` of its own Node
    // parses its ~140 bundled root certificates for it (~20 ms of CPU alone, 45–80 ms while
    // PGlite's WebAssembly compiles on the other core) right before mailroom listens (issue 12
    // item 2). A server context uses `ca` only to check client certificates, which it never asks
    // for; outgoing TLS connections still get the root certificates when they first need them.
    ca: [],
    disableReverseLookup: true,
    useXClient: false,
    useXForward: false,
    size: maxBytes,
    maxClients: 50,
    socketTimeout: 60_000,
    closeTimeout: 1_000,
    logger: { debug: ignore, info: ignore, warn: ignore, error: ignore, trace: ignore, fatal: ignore },
    onAuth(auth, _session, callback) {
      if (auth.method !== 'XOAUTH2' && store.signIn(auth.username ?? '', auth.password ?? ''))
        return callback(null, { user: (auth.username ?? '').toLowerCase() });
      callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let held = 0;
      let over = false;
      // smtp-server keeps streaming DATA past its `size` (it only flags `sizeExceeded`), so the
      // chunks are dropped once over the cap: a client sending gigabytes before the dot must
      // not make the sandbox hold them for a 552 it answers anyway.
      stream.on('data', (chunk: Buffer) => {
        if (over) return;
        held += chunk.length;
        if (held > maxBytes || (stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
          over = true;
          chunks.length = 0;
          held = 0;
        } else chunks.push(chunk);
        limits.onHeld?.(held);
      });
      stream.on('end', () => {
        if (over || (stream as unknown as { sizeExceeded?: boolean }).sizeExceeded)
          return callback(
            Object.assign(new Error('5.3.4 Message too big for the sandbox'), { responseCode: 552 }),
          );
        try {
          const message = {
            user: typeof session.user === 'string' ? session.user : '',
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks),
          };
          const later = deferral(message);
          if (later) return callback(Object.assign(new Error(`4.3.0 ${later}`), { responseCode: 451 }));
          accept(message);
          callback(null, 'Queued in the mailroom sandbox');
        } catch (err) {
          callback(Object.assign(new Error(`4.3.0 ${(err as Error).message}`), { responseCode: 451 }));
        }
      });
    },
  });
  server.on('error', ignore);
  return server;
}
