import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { createSecureContext, TLSSocket } from 'node:tls';
import { type FixtureCert, fixtureCert } from '../helpers/tls-fixtures.js';

/** One accepted client, driven by a scenario: write bytes, read CRLF lines, start TLS. */
export interface RawSmtpConnection {
  write(data: string | Buffer): void;
  /** Writes `data` in chunks, honouring backpressure; stops early once the client is gone. */
  writeMany(chunks: Iterable<string>): Promise<void>;
  /** Next line without CRLF, or null once the client closed. */
  readLine(): Promise<string | null>;
  /** Server side of a TLS handshake over the current socket (after a STARTTLS reply). */
  startTls(cert?: FixtureCert): Promise<void>;
  /** Sends a TCP RST (the client sees ECONNRESET). */
  reset(): void;
  readonly isOpen: boolean;
  readonly closed: Promise<void>;
}

export type RawSmtpScenario = (conn: RawSmtpConnection) => Promise<void>;

export interface RawSmtpServer {
  port: number;
  /** Every byte clients sent in plain text (before any TLS), all connections in order. */
  plaintext(): Buffer;
  /** Lines the scenario read after TLS (decrypted), for asserting on what crossed inside TLS. */
  secureLines: string[];
  connections(): number;
  /** Resolves true once every accepted client socket has closed, false after `timeoutMs`. */
  allClosed(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * A byte-exact scripted SMTP server on 127.0.0.1 (port 0) for hostile behaviour nodemailer's
 * smtp-server cannot produce: stripped STARTTLS, STARTTLS response injection, no or
 * dripping greeting, endless lines and continuation replies (SECURITY.md §7 cases 29–32).
 */
export async function startRawSmtpServer(scenario: RawSmtpScenario): Promise<RawSmtpServer> {
  const plaintext: Buffer[] = [];
  const secureLines: string[] = [];
  const sockets = new Set<Socket>();
  let count = 0;
  const server: Server = createServer((socket) => {
    count++;
    sockets.add(socket);
    socket.on('error', () => {});
    const conn = wrap(socket, plaintext, secureLines);
    socket.on('close', () => sockets.delete(socket));
    scenario(conn)
      .catch(() => {})
      .finally(() => {
        if (conn.isOpen) socket.end();
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    plaintext: () => Buffer.concat(plaintext),
    secureLines,
    connections: () => count,
    async allClosed(timeoutMs) {
      const until = Date.now() + timeoutMs;
      while (sockets.size > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      return sockets.size === 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function wrap(raw: Socket, plaintext: Buffer[], secureLines: string[]): RawSmtpConnection {
  let socket: Socket = raw;
  let secure = false;
  let buffer = '';
  const lines: string[] = [];
  let waiter: ((line: string | null) => void) | null = null;
  let open = true;
  const closed = new Promise<void>((resolve) => raw.once('close', () => resolve()));
  closed.then(() => {
    open = false;
    waiter?.(null);
    waiter = null;
  });
  const onData = (chunk: Buffer): void => {
    if (!secure) plaintext.push(Buffer.from(chunk));
    buffer += chunk.toString('latin1');
    const parts = buffer.split('\r\n');
    buffer = parts.pop() ?? '';
    for (const part of parts) {
      if (secure) secureLines.push(part);
      if (waiter) {
        const w = waiter;
        waiter = null;
        w(part);
      } else lines.push(part);
    }
  };
  raw.on('data', onData);
  return {
    get isOpen() {
      return open && !socket.destroyed;
    },
    closed,
    write(data) {
      if (open && !socket.destroyed) socket.write(data);
    },
    async writeMany(chunks) {
      for (const chunk of chunks) {
        if (!open || socket.destroyed) return;
        if (!socket.write(chunk)) {
          await Promise.race([new Promise((r) => socket.once('drain', r)), closed]);
        }
      }
    },
    readLine() {
      const line = lines.shift();
      if (line !== undefined) return Promise.resolve(line);
      if (!open) return Promise.resolve(null);
      return new Promise((resolve) => {
        waiter = resolve;
      });
    },
    reset() {
      raw.resetAndDestroy();
    },
    startTls(cert = 'localhost') {
      raw.removeListener('data', onData);
      buffer = '';
      lines.length = 0;
      const tlsSocket = new TLSSocket(raw, {
        isServer: true,
        secureContext: createSecureContext(fixtureCert(cert)),
      });
      tlsSocket.on('error', () => raw.destroy());
      socket = tlsSocket;
      secure = true;
      tlsSocket.on('data', onData);
      return Promise.race([
        new Promise<void>((resolve) => tlsSocket.once('secure', () => resolve())),
        closed.then(() => {
          throw new Error('closed during TLS handshake');
        }),
      ]);
    },
  };
}

/** EHLO replies the scenarios use: with STARTTLS, without it (stripped), and after TLS. */
export const RAW_EHLO = {
  withStartTls: '250-raw.localhost\r\n250-PIPELINING\r\n250-STARTTLS\r\n250 AUTH PLAIN LOGIN\r\n',
  stripped: '250-raw.localhost\r\n250-PIPELINING\r\n250 AUTH PLAIN LOGIN\r\n',
  secure: '250-raw.localhost\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 AUTH PLAIN LOGIN\r\n',
};
const EHLO_WITH_STARTTLS = RAW_EHLO.withStartTls;
const EHLO_STRIPPED = RAW_EHLO.stripped;
const EHLO_SECURE = RAW_EHLO.secure;

/** Answers the usual commands after the greeting until QUIT or close; `ehlo` is the EHLO reply. */
export async function serveCommands(conn: RawSmtpConnection, ehlo: string): Promise<void> {
  for (;;) {
    const line = await conn.readLine();
    if (line === null) return;
    const verb = line.split(' ')[0]?.toUpperCase() ?? '';
    if (verb === 'EHLO') conn.write(ehlo);
    else if (verb === 'AUTH') conn.write('235 2.7.0 Authentication successful\r\n');
    else if (verb === 'MAIL' || verb === 'RCPT' || verb === 'RSET') conn.write('250 2.0.0 OK\r\n');
    else if (verb === 'QUIT') {
      conn.write('221 2.0.0 Bye\r\n');
      return;
    } else conn.write('502 5.5.1 Unrecognized command\r\n');
  }
}

/** Case 29: the capability list arrives without STARTTLS and the command is refused. */
export const stripStartTls: RawSmtpScenario = async (conn) => {
  conn.write('220 raw.localhost ESMTP\r\n');
  await serveCommands(conn, EHLO_STRIPPED);
};

/**
 * Case 30: the STARTTLS reply carries extra plaintext in the same packet (`injected`); after
 * the handshake the server behaves normally. Anything the client took from the injection
 * would show up as an extra capability or a desynchronised reply.
 */
export function startTlsInjection(injected = '250-EVIL'): RawSmtpScenario {
  return async (conn) => {
    conn.write('220 raw.localhost ESMTP\r\n');
    for (;;) {
      const line = await conn.readLine();
      if (line === null) return;
      const verb = line.split(' ')[0]?.toUpperCase() ?? '';
      if (verb === 'EHLO') conn.write(EHLO_WITH_STARTTLS);
      else if (verb === 'STARTTLS') {
        conn.write(`220 2.0.0 Ready to start TLS\r\n${injected}`);
        await conn.startTls();
        await serveCommands(conn, EHLO_SECURE);
        return;
      } else conn.write('530 5.7.0 Must issue a STARTTLS command first\r\n');
    }
  };
}

/** Case 32: accepts and never greets. */
export const noGreeting: RawSmtpScenario = async (conn) => {
  await conn.closed;
};

/** Case 32: the greeting drips one byte every `intervalMs` (keeps inactivity timers happy). */
export function slowDripGreeting(intervalMs: number): RawSmtpScenario {
  return async (conn) => {
    const greeting = '220 raw.localhost ESMTP slowly, very slowly, one byte at a time\r\n';
    for (const byte of greeting) {
      if (!conn.isOpen) return;
      conn.write(byte);
      await new Promise((r) => setTimeout(r, intervalMs));
    }
    await serveCommands(conn, EHLO_SECURE);
  };
}

/** Case 32: answers EHLO with `bytes` of data and no CRLF. */
export function hugeLine(bytes = 10 * 1024 * 1024): RawSmtpScenario {
  return async (conn) => {
    conn.write('220 raw.localhost ESMTP\r\n');
    await conn.readLine();
    const chunk = `250-${'x'.repeat(64 * 1024 - 4)}`;
    await conn.writeMany(
      (function* () {
        for (let sent = 0; sent < bytes; sent += chunk.length) yield chunk;
      })(),
    );
    await conn.closed;
  };
}

/** Case 32: answers EHLO with `lines` continuation lines and never the final one. */
export function endlessContinuation(lines = 100_000): RawSmtpScenario {
  return async (conn) => {
    conn.write('220 raw.localhost ESMTP\r\n');
    await conn.readLine();
    const batch = '250-XEXTENSION-PADDING\r\n'.repeat(1000);
    await conn.writeMany(
      (function* () {
        for (let sent = 0; sent < lines; sent += 1000) yield batch;
      })(),
    );
    await conn.closed;
  };
}

/** A well-behaved plaintext server on a port that should speak implicit TLS (or vice versa). */
export const plainServer: RawSmtpScenario = async (conn) => {
  conn.write('220 raw.localhost ESMTP\r\n');
  await serveCommands(conn, EHLO_SECURE);
};
