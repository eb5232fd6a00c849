import {
  type AddressInfo,
  createServer as createNetServer,
  connect as netConnect,
  type Server,
  type Socket,
} from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { type FixtureCert, fixtureCert } from '../helpers/tls-fixtures.js';

/** A test user: password for PLAIN/LOGIN, accessToken for XOAUTH2. */
export interface SmtpSinkUser {
  user: string;
  password?: string;
  accessToken?: string;
}

/**
 * Scripted replies, each a full reply line such as `535 5.7.8 Username and Password not
 * accepted. gsmtp`. A scripted reply replaces the normal answer to that command.
 */
export interface SmtpSinkScript {
  auth?: string;
  mailFrom?: string;
  rcptTo?: string;
  data?: string;
  /** The first N RCPT TO get `451 4.7.1 Greylisting in action, try again later`. */
  greylist?: number;
}

export interface SmtpSinkOptions {
  /** `plain`: no TLS at all; `tls`: implicit TLS (465-like); `starttls` (default, 587-like). */
  mode?: 'plain' | 'tls' | 'starttls';
  /** Certificate presented (default the CA-signed `localhost`). */
  cert?: FixtureCert;
  users?: SmtpSinkUser[];
  /** Default PLAIN, LOGIN, XOAUTH2. */
  authMethods?: string[];
  /** XOAUTH2 decided by this (e.g. an OAuth test server's live tokens) instead of `users`. */
  acceptAccessToken?: (user: string, accessToken: string) => boolean;
  /** Accept mail without AUTH (e.g. as the relay behind Dovecot's submission service). */
  authOptional?: boolean;
  script?: SmtpSinkScript;
  /** STARTTLS still works but is not advertised (smtp-server's hideSTARTTLS). */
  hideStartTls?: boolean;
  disabledCommands?: string[];
  /** Leave SMTPUTF8 out of the EHLO reply. */
  hideSmtpUtf8?: boolean;
  /** SIZE advertised. */
  size?: number;
  /** Called with every accepted message (e.g. to deliver it into a POP3 fake's mailbox). */
  onMessage?: (message: SmtpSinkMessage) => void;
  /** Waits this long before the 250 after the data (a slow provider). */
  dataReplyDelayMs?: number;
  /** smtp-server's socket inactivity timeout (default 5 s, so stray clients cannot hold tests). */
  socketTimeoutMs?: number;
}

export interface SmtpSinkMessage {
  from: string;
  to: string[];
  raw: Buffer;
  user?: string;
}

export interface SmtpSinkAuthAttempt {
  method: string;
  username: string;
  password?: string;
  accessToken?: string;
  accepted: boolean;
}

export interface SmtpSink {
  host: '127.0.0.1';
  /** The port clients use (a recording proxy in front of smtp-server). */
  port: number;
  messages: SmtpSinkMessage[];
  authAttempts: SmtpSinkAuthAttempt[];
  /** `C: …` / `S: …` lines as smtp-server logs them (it redacts AUTH payloads itself). */
  transcript: string[];
  /** Every byte clients sent, as it crossed the wire (TLS records stay ciphertext). */
  clientBytes(): Buffer;
  /** Connections accepted so far. */
  connections(): number;
  setScript(script: SmtpSinkScript): void;
  close(): Promise<void>;
}

/** Builds the error smtp-server turns into the scripted reply `NNN text`. */
function scripted(reply: string): Error & { responseCode: number } {
  const match = /^(\d{3})\s?(.*)$/.exec(reply);
  if (!match) throw new Error(`Bad scripted reply: ${reply}`);
  return Object.assign(new Error(match[2] ?? ''), { responseCode: Number(match[1]) });
}

/**
 * An `smtp-server` sink on 127.0.0.1 (port 0) for probe and send tests: plain, implicit TLS
 * or STARTTLS with the fixture certificates, PLAIN/LOGIN/XOAUTH2 users, scripted replies per
 * command, and a recording of messages, AUTH attempts, the transcript and raw client bytes.
 * Note: smtp-server always waits 100 ms before its greeting (not configurable in 3.21).
 */
export async function startSmtpSink(opts: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const mode = opts.mode ?? 'starttls';
  const users = opts.users ?? [];
  let script: SmtpSinkScript = { ...opts.script };
  let greylisted = 0;
  const messages: SmtpSinkMessage[] = [];
  const authAttempts: SmtpSinkAuthAttempt[] = [];
  const transcript: string[] = [];
  const captureLine = (_entry: unknown, message?: unknown, ...args: unknown[]): void => {
    if (typeof message === 'string' && /^[CS]:/.test(message)) transcript.push([message, ...args].join(' '));
  };
  const ignore = (): void => {};

  const options: SMTPServerOptions = {
    ...(mode === 'plain' ? {} : fixtureCert(opts.cert ?? 'localhost')),
    secure: mode === 'tls',
    name: 'sink.localhost',
    authMethods: opts.authMethods ?? ['PLAIN', 'LOGIN', 'XOAUTH2'],
    disabledCommands: [...(opts.disabledCommands ?? []), ...(mode === 'plain' ? ['STARTTLS'] : [])],
    allowInsecureAuth: mode === 'plain',
    authOptional: opts.authOptional ?? false,
    hideSTARTTLS: opts.hideStartTls ?? false,
    hideSMTPUTF8: opts.hideSmtpUtf8 ?? false,
    hideENHANCEDSTATUSCODES: true,
    disableReverseLookup: true,
    useXClient: false,
    useXForward: false,
    socketTimeout: opts.socketTimeoutMs ?? 5_000,
    closeTimeout: 200,
    logger: { debug: captureLine, info: ignore, warn: ignore, error: ignore, trace: ignore, fatal: ignore },
    ...(opts.size !== undefined ? { size: opts.size } : {}),
    onAuth(auth, _session, callback) {
      const attempt: SmtpSinkAuthAttempt = {
        method: auth.method,
        username: auth.username ?? '',
        accepted: false,
      };
      if (typeof auth.password === 'string') attempt.password = auth.password;
      if (typeof auth.accessToken === 'string') attempt.accessToken = auth.accessToken;
      authAttempts.push(attempt);
      if (script.auth) return callback(scripted(script.auth));
      const user = users.find((u) => u.user === auth.username);
      const ok =
        auth.method === 'XOAUTH2'
          ? opts.acceptAccessToken
            ? opts.acceptAccessToken(auth.username ?? '', auth.accessToken ?? '')
            : user?.accessToken !== undefined && user.accessToken === auth.accessToken
          : user?.password !== undefined && user.password === auth.password;
      attempt.accepted = ok;
      if (ok) return callback(null, { user: auth.username });
      if (auth.method === 'XOAUTH2') {
        return callback(null, {
          data: { status: '401', schemes: 'bearer', scope: 'https://mail.example.test/' },
        });
      }
      return callback(scripted('535 Authentication credentials invalid'));
    },
    onMailFrom(_address, _session, callback) {
      callback(script.mailFrom ? scripted(script.mailFrom) : null);
    },
    onRcptTo(_address, _session, callback) {
      if (script.greylist !== undefined && greylisted < script.greylist) {
        greylisted++;
        return callback(scripted('451 4.7.1 Greylisting in action, try again later'));
      }
      callback(script.rcptTo ? scripted(script.rcptTo) : null);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (script.data) return callback(scripted(script.data));
        const message: SmtpSinkMessage = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
        };
        const user = session.user;
        if (typeof user === 'string') message.user = user;
        messages.push(message);
        opts.onMessage?.(message);
        if (opts.dataReplyDelayMs) setTimeout(() => callback(null), opts.dataReplyDelayMs);
        else callback(null);
      });
    },
  };
  const server = new SMTPServer(options);
  server.on('error', ignore);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const upstreamPort = (server.server.address() as AddressInfo).port;

  const proxy = await startRecordingProxy(upstreamPort);
  return {
    host: '127.0.0.1',
    port: proxy.port,
    messages,
    authAttempts,
    transcript,
    clientBytes: () => Buffer.concat(proxy.received),
    connections: () => proxy.connections(),
    setScript(next) {
      script = { ...next };
      greylisted = 0;
    },
    async close() {
      await proxy.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A TCP relay that records what clients send, so tests can assert on the wire bytes. */
async function startRecordingProxy(upstreamPort: number): Promise<{
  port: number;
  received: Buffer[];
  connections(): number;
  close(): Promise<void>;
}> {
  const received: Buffer[] = [];
  const sockets = new Set<Socket>();
  let count = 0;
  const server: Server = createNetServer((client) => {
    count++;
    const upstream = netConnect({ host: '127.0.0.1', port: upstreamPort });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => sockets.delete(s));
    }
    client.on('data', (chunk: Buffer) => {
      received.push(Buffer.from(chunk));
      upstream.write(chunk);
    });
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    received,
    connections: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
