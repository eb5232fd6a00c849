import { createServer, type Server, type Socket } from 'node:net';
import { createSecureContext, type SecureContext, TLSSocket } from 'node:tls';
import { type FixtureCert, fixtureCert } from '../helpers/tls-fixtures.js';
import { FakePop3Session, type Responder } from './pop3-fake-session.js';

/** A message in the fake mailbox: raw bytes as stored, and the UIDL id to announce. */
export interface FakeMessage {
  raw: Buffer;
  /** Sent verbatim (latin1), so tests can announce hostile ids. Default `uid-<n>`. */
  uid?: string;
  /** The size LIST claims; default the raw length. */
  listSize?: number;
}

/** Behaviour of the scripted server; every misbehaviour is opt-in. */
export interface Pop3FakeOptions {
  messages?: Array<Buffer | FakeMessage>;
  /** Implicit TLS from the first byte (port-995 style). */
  implicitTls?: boolean;
  /** STLS: offered and working (`ok`, default), `absent` from CAPA, `refuse`d with -ERR, or `inject`: extra bytes after +OK in the same packet. */
  stls?: 'ok' | 'absent' | 'refuse' | 'inject';
  /** Certificate per connection (index clamps to the last): a swap between connections. */
  certs?: FixtureCert[];
  user?: string;
  pass?: string;
  accessToken?: string;
  /** XOAUTH2 decided by this (e.g. an OAuth test server's live tokens) instead of `user`/`accessToken`. */
  acceptAccessToken?: (user: string, accessToken: string) => boolean;
  /** Text after `-ERR ` when a login fails; with `alwaysRefuseLogin` every login fails. */
  loginError?: string;
  alwaysRefuseLogin?: boolean;
  /** Greeting text after `+OK`; null = never greet. */
  greeting?: string | null;
  /** Slow drip: every write goes out `bytes` at a time, one piece every `everyMs`. */
  drip?: { bytes: number; everyMs: number };
  /** Replaces the computed CAPA lines; `capa: false` answers CAPA with -ERR. */
  capabilities?: string[];
  capa?: boolean;
  /** UIDL answered with -ERR. */
  noUidl?: boolean;
  /** Announce PIPELINING in CAPA. */
  pipelining?: boolean;
  /** Verbs whose multi-line response never gets its terminating ".". */
  unterminated?: string[];
  /** Close the connection on this verb, optionally after sending `afterBytes` of the response. */
  closeOn?: { verb: string; afterBytes?: number };
  /** Split a response into separate TCP writes at these offsets (with a pause between them). */
  split?: (verb: string, response: Buffer, call: number) => number[] | undefined;
  /** Gmail-like: after a clean QUIT, messages RETR'd in that session are never listed again. */
  hideRetrievedAfterQuit?: boolean;
  /** Replace the handling of any verb (upper case), or `GREETING` for the connect phase. */
  respond?: Record<string, Responder>;
}

/** What one connection sent us, split by whether it was inside TLS. */
export interface FakeConnectionRecord {
  index: number;
  chunks: Array<{ secure: boolean; data: Buffer }>;
  /** Command lines as received (UTF-8, without CRLF). */
  commands: Array<{ secure: boolean; line: string }>;
  tlsErrors: string[];
  closed: boolean;
}

/**
 * A scripted POP3 server on 127.0.0.1 (port 0) for protocol tests: plain, implicit TLS
 * or STLS, with mailbox contents from the test, a byte-exact record of everything it
 * received, and misbehaviour on demand (see Pop3FakeOptions).
 */
export class Pop3FakeServer {
  readonly host = '127.0.0.1';
  readonly connections: FakeConnectionRecord[] = [];
  /** Live session objects, by connection index (to misbehave from a test). */
  readonly sessions: FakePop3Session[] = [];
  /** The mailbox; QUIT removes messages marked deleted, as a real server does. */
  messages: FakeMessage[];
  private readonly sockets = new Set<Socket>();
  private readonly contexts = new Map<FixtureCert, SecureContext>();

  private constructor(
    private readonly server: Server,
    readonly options: Pop3FakeOptions,
  ) {
    this.messages = (options.messages ?? []).map((m, i) =>
      Buffer.isBuffer(m) ? { raw: m, uid: `uid-${i + 1}` } : { uid: `uid-${i + 1}`, ...m },
    );
  }

  static async start(options: Pop3FakeOptions = {}): Promise<Pop3FakeServer> {
    let fake: Pop3FakeServer | null = null;
    const server = createServer((socket) => fake?.accept(socket));
    fake = new Pop3FakeServer(server, options);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return fake;
  }

  get port(): number {
    const addr = this.server.address();
    if (!addr || typeof addr === 'string') throw new Error('fake POP3 server is not listening');
    return addr.port;
  }

  /** Every byte received on every connection, in order (TLS parts decrypted). */
  received(): Buffer {
    return Buffer.concat(this.connections.flatMap((c) => c.chunks.map((x) => x.data)));
  }

  /** Bytes received outside TLS only: what an on-path attacker could read. */
  receivedInPlaintext(): Buffer {
    return Buffer.concat(
      this.connections.flatMap((c) => c.chunks.filter((x) => !x.secure).map((x) => x.data)),
    );
  }

  /** All command lines of all connections. */
  commandLines(): string[] {
    return this.connections.flatMap((c) => c.commands.map((x) => x.line));
  }

  /** Server-side TLS wrapper with this connection's certificate. */
  wrapTls(socket: Socket, connectionIndex: number): TLSSocket {
    const certs = this.options.certs ?? ['localhost'];
    const name = certs[Math.min(connectionIndex, certs.length - 1)] ?? 'localhost';
    let context = this.contexts.get(name);
    if (!context) {
      context = createSecureContext(fixtureCert(name));
      this.contexts.set(name, context);
    }
    const secure = new TLSSocket(socket, { isServer: true, secureContext: context });
    this.sockets.add(secure);
    secure.on('close', () => this.sockets.delete(secure));
    return secure;
  }

  /** Stops listening and destroys every connection. */
  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    const record: FakeConnectionRecord = {
      index: this.connections.length,
      chunks: [],
      commands: [],
      tlsErrors: [],
      closed: false,
    };
    this.connections.push(record);
    const session = new FakePop3Session(this, socket, record);
    this.sessions.push(session);
    session.begin();
  }
}
