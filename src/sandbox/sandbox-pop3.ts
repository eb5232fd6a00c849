import { createServer, type Server, type Socket } from 'node:net';
import type { SandboxStore, StoredMessage } from './sandbox-store.js';

const MAX_LINE = 1024;
const IDLE_MS = 10 * 60_000;

/**
 * A small strict POP3 server (RFC 1939, CAPA RFC 2449, AUTH PLAIN RFC 5034) over the sandbox
 * store: USER/PASS or AUTH PLAIN, STAT, LIST, UIDL, RETR, TOP, DELE, RSET, NOOP, QUIT.
 * Plain text only: it listens on 127.0.0.1 and nowhere else. Deletions apply at QUIT.
 */
export function createSandboxPop3(store: SandboxStore): Server {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.setTimeout(IDLE_MS, () => socket.destroy());
    session(socket, store);
  });
  server.on('close', () => {
    for (const s of sockets) s.destroy();
  });
  return server;
}

function session(socket: Socket, store: SandboxStore) {
  let user: string | null = null;
  let mailbox: string | null = null;
  let messages: StoredMessage[] = [];
  const deleted = new Set<number>();
  let buffer = '';
  let pendingAuthPlain = false;

  const send = (line: string) => socket.write(`${line}\r\n`);
  const ok = (text = '') => send(text ? `+OK ${text}` : '+OK');
  const err = (text: string) => send(`-ERR ${text}`);
  const multi = (head: string, lines: string[]) => {
    socket.write(`+OK ${head}\r\n${lines.map((l) => `${l}\r\n`).join('')}.\r\n`);
  };
  const dotStuff = (raw: Buffer) =>
    raw
      .toString('latin1')
      .replace(/\r?\n/g, '\r\n')
      .replace(/\r\n$/, '')
      .split('\r\n')
      .map((l) => (l.startsWith('.') ? `.${l}` : l));

  const login = (name: string, password: string) => {
    if (!store.signIn(name, password)) {
      err('[AUTH] Authentication failed.');
      return;
    }
    mailbox = name.toLowerCase();
    messages = store.list(mailbox);
    ok(`Logged in (${messages.length} messages).`);
  };

  /** The message number `arg` names (1-based, not deleted), or null after an -ERR. */
  const pick = (arg: string | undefined): StoredMessage | null => {
    const n = Number(arg);
    if (!arg || !/^\d{1,9}$/.test(arg) || n < 1 || n > messages.length || deleted.has(n)) {
      err('No such message');
      return null;
    }
    return messages[n - 1]!;
  };

  const handle = (line: string) => {
    if (pendingAuthPlain) {
      pendingAuthPlain = false;
      if (line === '*') return err('Authentication cancelled');
      return plain(line);
    }
    const [rawVerb = '', ...args] = line.split(' ');
    const verb = rawVerb.toUpperCase();
    if (verb === 'QUIT') {
      if (mailbox) for (const n of deleted) store.remove(messages[n - 1]!);
      ok('Bye');
      socket.end();
      return;
    }
    if (verb === 'NOOP') return ok();
    if (verb === 'CAPA')
      return multi('Capability list follows', [
        'USER',
        'UIDL',
        'TOP',
        'SASL PLAIN',
        'RESP-CODES',
        'AUTH-RESP-CODE',
      ]);
    if (!mailbox) {
      if (verb === 'USER' && args[0]) {
        user = args[0];
        return ok();
      }
      if (verb === 'PASS' && user) return login(user, args.join(' '));
      if (verb === 'AUTH' && args[0]?.toUpperCase() === 'PLAIN') {
        if (args[1]) return plain(args[1]);
        pendingAuthPlain = true;
        return send('+ ');
      }
      return err('Not logged in');
    }
    const live = () => messages.map((m, i) => ({ m, n: i + 1 })).filter((x) => !deleted.has(x.n));
    switch (verb) {
      case 'STAT': {
        const l = live();
        return ok(`${l.length} ${l.reduce((s, x) => s + x.m.size, 0)}`);
      }
      case 'LIST':
      case 'UIDL': {
        const value = (x: { m: StoredMessage; n: number }) => (verb === 'LIST' ? x.m.size : x.m.uid);
        if (args[0]) {
          const m = pick(args[0]);
          return m ? ok(`${args[0]} ${verb === 'LIST' ? m.size : m.uid}`) : undefined;
        }
        return multi(
          'listing follows',
          live().map((x) => `${x.n} ${value(x)}`),
        );
      }
      case 'RETR': {
        const m = pick(args[0]);
        if (!m) return;
        return multi(`${m.size} octets`, dotStuff(store.read(m)));
      }
      case 'TOP': {
        const m = pick(args[0]);
        if (!m) return;
        const n = Number(args[1]);
        if (!/^\d{1,6}$/.test(args[1] ?? '')) return err('Bad line count');
        const lines = dotStuff(store.read(m));
        const blank = lines.indexOf('');
        const end = blank === -1 ? lines.length : blank + 1 + n;
        return multi('top of message follows', lines.slice(0, end));
      }
      case 'DELE': {
        const m = pick(args[0]);
        if (!m) return;
        deleted.add(Number(args[0]));
        return ok('Marked to be deleted');
      }
      case 'RSET':
        deleted.clear();
        return ok();
      default:
        return err('Unknown command');
    }
  };

  const plain = (b64: string) => {
    const parts = Buffer.from(b64, 'base64').toString('utf8').split('\u0000');
    if (parts.length !== 3) return err('[AUTH] Invalid PLAIN response');
    return login(parts[1]!, parts[2]!);
  };

  socket.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('latin1');
    if (buffer.length > MAX_LINE * 4 && !buffer.includes('\n')) {
      err('Line too long');
      socket.destroy();
      return;
    }
    for (let i = buffer.indexOf('\n'); i !== -1; i = buffer.indexOf('\n')) {
      const line = Buffer.from(buffer.slice(0, i).replace(/\r$/, ''), 'latin1').toString('utf8');
      buffer = buffer.slice(i + 1);
      if (line.length > MAX_LINE) {
        err('Line too long');
        socket.destroy();
        return;
      }
      handle(line);
      if (socket.destroyed || socket.writableEnded) return;
    }
  });
  ok(`mailroom sandbox POP3 ready <${process.pid}.${Date.now()}@piaskownica>`);
}
