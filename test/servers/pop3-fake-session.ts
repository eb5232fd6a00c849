import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { dotStuff } from '../../src/mail/pop3/pop3-dot-decoder.js';
import type { FakeConnectionRecord, FakeMessage, Pop3FakeServer } from './pop3-fake-server.js';

/** Custom handling of one verb; write with `session.send`/`session.writeRaw`. */
export type Responder = (session: FakePop3Session, arg: string) => void | Promise<void>;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const XOAUTH2_ERROR = Buffer.from(
  '{"status":"401","schemes":"bearer","scope":"https://mail.google.com/"}',
).toString('base64');
/** What `stls: 'inject'` appends to its +OK: a forged CAPA answer, in plaintext. */
export const STLS_INJECTION = '+OK injected\r\nEVIL-CAPABILITY\r\nUSER\r\n.\r\n';

/** One connection of the fake server: a line-based POP3 state machine. */
export class FakePop3Session {
  private socket: Socket | TLSSocket;
  private secure = false;
  private inbuf: Buffer = Buffer.alloc(0);
  private readonly lines: string[] = [];
  private busy = false;
  private out: Buffer[] = [];
  private writing: Promise<void> = Promise.resolve();
  private state: 'auth' | 'transaction' = 'auth';
  private user: string | null = null;
  private continuation: ((line: string) => void) | null = null;
  private box: FakeMessage[] = [];
  private readonly deleted = new Set<number>();
  private readonly retrieved = new Set<number>();
  private readonly calls = new Map<string, number>();
  private verb = '';
  closed = false;

  constructor(
    private readonly server: Pop3FakeServer,
    private readonly raw: Socket,
    private readonly record: FakeConnectionRecord,
  ) {
    this.socket = raw;
    raw.on('error', () => undefined);
    raw.on('close', () => {
      this.closed = true;
      record.closed = true;
    });
  }

  private get opts() {
    return this.server.options;
  }

  begin(): void {
    if (this.opts.implicitTls) this.startTls();
    else this.raw.on('data', this.onData);
    void this.greet();
  }

  /** Queues response bytes; they go out together when the current batch of commands is done. */
  send(data: string | Buffer): void {
    this.out.push(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  /** Writes now (honouring drip), resolving when the socket accepted the bytes. */
  writeRaw(data: string | Buffer): Promise<void> {
    const buf = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
    this.writing = this.writing.then(async () => {
      const drip = this.opts.drip;
      if (!drip) return this.write(buf);
      for (let i = 0; i < buf.length && !this.closed; i += drip.bytes) {
        await this.write(buf.subarray(i, i + drip.bytes));
        await sleep(drip.everyMs);
      }
    });
    return this.writing;
  }

  /** Sends a TCP RST: the client's socket emits ECONNRESET. */
  reset(): void {
    this.closed = true;
    this.raw.resetAndDestroy();
  }

  /** Writes bytes beneath TLS (corrupting the record layer): the client's TLS socket errors. */
  corruptTls(): void {
    this.raw.write(Buffer.alloc(64, 0x17));
  }

  /** Ends the connection abruptly. */
  destroy(): void {
    this.closed = true;
    this.socket.destroy();
    this.raw.destroy();
  }

  private write(buf: Buffer): Promise<void> {
    if (this.closed || buf.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      if (this.socket.write(buf)) resolve();
      else {
        const done = (): void => {
          this.socket.off('drain', done);
          this.socket.off('close', done);
          resolve();
        };
        this.socket.on('drain', done);
        this.socket.on('close', done);
      }
    });
  }

  private async greet(): Promise<void> {
    const custom = this.opts.respond?.GREETING;
    if (custom) return void (await custom(this, ''));
    if (this.opts.greeting === null) return;
    await this.writeRaw(`+OK ${this.opts.greeting ?? 'mailroom fake POP3 ready'}\r\n`);
  }

  private readonly onData = (chunk: Buffer): void => {
    this.record.chunks.push({ secure: this.secure, data: chunk });
    this.inbuf = this.inbuf.length ? Buffer.concat([this.inbuf, chunk]) : chunk;
    for (let nl = this.inbuf.indexOf(10); nl !== -1; nl = this.inbuf.indexOf(10)) {
      const line = this.inbuf.subarray(0, nl).toString('utf8').replace(/\r$/, '');
      this.inbuf = this.inbuf.subarray(nl + 1);
      this.record.commands.push({ secure: this.secure, line });
      this.lines.push(line);
    }
    void this.drain();
  };

  private async drain(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    // Lines may arrive while a (dripping) flush is in progress: loop until none are left.
    while (this.lines.length > 0 && !this.closed) {
      while (this.lines.length > 0 && !this.closed) {
        const line = this.lines.shift() as string;
        await this.handle(line);
      }
      await this.flush();
    }
    this.busy = false;
  }

  private async flush(): Promise<void> {
    const out = Buffer.concat(this.out);
    this.out = [];
    await this.writeRaw(out);
  }

  private async handle(line: string): Promise<void> {
    if (this.continuation) {
      const next = this.continuation;
      this.continuation = null;
      return next(line);
    }
    const space = line.indexOf(' ');
    const verb = (space === -1 ? line : line.slice(0, space)).toUpperCase();
    const arg = space === -1 ? '' : line.slice(space + 1);
    this.verb = verb;
    const call = this.calls.get(verb) ?? 0;
    this.calls.set(verb, call + 1);
    const close = this.opts.closeOn;
    if (close && close.verb === verb && close.afterBytes === undefined) return this.destroy();

    const before = this.out.length;
    const custom = this.opts.respond?.[verb];
    if (custom) await custom(this, arg);
    else await this.dispatch(verb, arg);

    const response = Buffer.concat(this.out.splice(before));
    if (close && close.verb === verb) {
      await this.flush();
      await this.writeRaw(response.subarray(0, close.afterBytes));
      await this.writing;
      return this.destroy();
    }
    const points = this.opts.split?.(verb, response, call);
    if (!points?.length) return void this.out.push(response);
    await this.flush();
    let from = 0;
    for (const at of [...points, response.length]) {
      await this.writeRaw(response.subarray(from, at));
      await this.writing;
      from = at;
      await sleep(10);
    }
  }

  private async dispatch(verb: string, arg: string): Promise<void> {
    if (verb === 'CAPA') return this.capa();
    if (verb === 'QUIT') return this.quit();
    if (this.state === 'auth') {
      if (verb === 'STLS') return this.stls();
      if (verb === 'USER') {
        this.user = arg;
        return this.send('+OK send PASS\r\n');
      }
      if (verb === 'PASS')
        return this.finishLogin(this.user === this.expectedUser && arg === this.expectedPass);
      if (verb === 'AUTH') return this.auth(arg);
      return this.send('-ERR not allowed before login\r\n');
    }
    const n = Number(arg.split(' ')[0]);
    const msg = this.message(n);
    switch (verb) {
      case 'STAT': {
        const live = this.live();
        return this.send(`+OK ${live.length} ${live.reduce((a, [, m]) => a + m.raw.length, 0)}\r\n`);
      }
      case 'LIST':
        if (arg) return this.send(msg ? `+OK ${n} ${this.sizeOf(msg)}\r\n` : '-ERR no such message\r\n');
        return this.multi(
          '+OK scan listing\r\n',
          this.live().map(([i, m]) => `${i} ${this.sizeOf(m)}`),
        );
      case 'UIDL':
        if (this.opts.noUidl) return this.send('-ERR unknown command\r\n');
        if (arg) return this.send(msg ? `+OK ${n} ${msg.uid}\r\n` : '-ERR no such message\r\n');
        return this.multi(
          '+OK unique-id listing\r\n',
          this.live().map(([i, m]) => `${i} ${m.uid}`),
        );
      case 'RETR':
        if (!msg) return this.send('-ERR no such message\r\n');
        this.retrieved.add(n);
        return this.body(`+OK ${msg.raw.length} octets\r\n`, msg.raw);
      case 'TOP':
        if (!msg) return this.send('-ERR no such message\r\n');
        return this.body('+OK top of message follows\r\n', topOf(msg.raw, Number(arg.split(' ')[1] ?? 0)));
      case 'DELE':
        if (!msg) return this.send('-ERR no such message\r\n');
        this.deleted.add(n);
        return this.send(`+OK message ${n} deleted\r\n`);
      case 'RSET':
        this.deleted.clear();
        return this.send('+OK\r\n');
      case 'NOOP':
        return this.send('+OK\r\n');
      default:
        return this.send('-ERR unknown command\r\n');
    }
  }

  private get expectedUser(): string {
    return this.opts.user ?? 'user';
  }

  private get expectedPass(): string {
    return this.opts.pass ?? 'secret';
  }

  private finishLogin(ok: boolean) {
    if (!ok || this.opts.alwaysRefuseLogin) {
      return this.send(`-ERR ${this.opts.loginError ?? '[AUTH] Invalid login'}\r\n`);
    }
    this.state = 'transaction';
    this.box = this.server.messages.slice();
    this.send('+OK logged in\r\n');
  }

  private auth(arg: string) {
    const [mech = '', initial] = arg.split(' ');
    const check = (response: string) => {
      if (response === '*') return this.send('-ERR authentication cancelled\r\n');
      const decoded = Buffer.from(response, 'base64').toString('utf8');
      if (mech.toUpperCase() === 'PLAIN') {
        const [, user, pass] = decoded.split('\u0000');
        return this.finishLogin(user === this.expectedUser && pass === this.expectedPass);
      }
      const m = /^user=([^\u0001]*)\u0001auth=Bearer ([^\u0001]*)\u0001\u0001$/.exec(decoded);
      if (
        m &&
        (this.opts.acceptAccessToken
          ? this.opts.acceptAccessToken(m[1]!, m[2]!)
          : m[1] === this.expectedUser && m[2] === (this.opts.accessToken ?? 'token')) &&
        !this.opts.alwaysRefuseLogin
      ) {
        return this.finishLogin(true);
      }
      this.send(`+ ${XOAUTH2_ERROR}\r\n`);
      this.continuation = () => this.finishLogin(false);
    };
    if (!['PLAIN', 'XOAUTH2'].includes(mech.toUpperCase()))
      return this.send('-ERR unsupported mechanism\r\n');
    if (initial !== undefined) return check(initial);
    this.send('+ \r\n');
    this.continuation = check;
  }

  private capa() {
    if (this.opts.capa === false) return this.send('-ERR unknown command\r\n');
    const stls = this.opts.stls ?? 'ok';
    const lines = this.opts.capabilities ?? [
      'TOP',
      'USER',
      'SASL PLAIN XOAUTH2',
      'RESP-CODES',
      'AUTH-RESP-CODE',
      ...(this.opts.noUidl ? [] : ['UIDL']),
      ...(this.opts.pipelining ? ['PIPELINING'] : []),
      ...(stls !== 'absent' && !this.secure ? ['STLS'] : []),
      'IMPLEMENTATION mailroom-fake',
    ];
    this.multi('+OK capability list follows\r\n', lines);
  }

  private async stls(): Promise<void> {
    const mode = this.opts.stls ?? 'ok';
    if (this.secure || mode === 'absent') return this.send('-ERR unknown command\r\n');
    if (mode === 'refuse') return this.send('-ERR [SYS/TEMP] TLS not available right now\r\n');
    await this.flush();
    await this.writing;
    // Anything the client pipelined after STLS was sent in plaintext: drop it (RFC 2595 §4).
    this.lines.length = 0;
    this.inbuf = Buffer.alloc(0);
    this.raw.off('data', this.onData);
    this.socket.write(`+OK begin TLS${mode === 'inject' ? `\r\n${STLS_INJECTION}` : '\r\n'}`);
    this.startTls();
  }

  private startTls(): void {
    const secure = this.server.wrapTls(this.raw, this.record.index);
    secure.on('error', (err) => this.record.tlsErrors.push(err.message));
    secure.on('data', this.onData);
    this.socket = secure;
    this.secure = true;
  }

  private async quit(): Promise<void> {
    if (this.state === 'transaction') {
      const hidden = this.opts.hideRetrievedAfterQuit ? [...this.retrieved] : [];
      const gone = new Set([...this.deleted, ...hidden].map((n) => this.box[n - 1]));
      this.server.messages = this.server.messages.filter((m) => !gone.has(m));
    }
    this.send('+OK bye\r\n');
    await this.flush();
    await this.writing;
    this.socket.end();
  }

  private multi(status: string, lines: string[]): void {
    const body = lines.map((l) => (l.startsWith('.') ? `.${l}` : l)).join('\r\n');
    const terminated = !this.opts.unterminated?.includes(this.verb);
    this.send(`${status}${body}${lines.length ? '\r\n' : ''}${terminated ? '.\r\n' : ''}`);
  }

  private body(status: string, raw: Buffer): void {
    let wire = dotStuff(raw);
    if (this.opts.unterminated?.includes(this.verb)) wire = wire.subarray(0, wire.length - 3);
    this.send(Buffer.concat([Buffer.from(status, 'latin1'), wire]));
  }

  private live(): Array<[number, FakeMessage]> {
    return this.box.map((m, i) => [i + 1, m] as [number, FakeMessage]).filter(([i]) => !this.deleted.has(i));
  }

  private message(n: number): FakeMessage | undefined {
    return Number.isInteger(n) && !this.deleted.has(n) ? this.box[n - 1] : undefined;
  }

  private sizeOf(m: FakeMessage): number {
    return m.listSize ?? m.raw.length;
  }
}

/** Headers, the blank line, and the first `lines` body lines of a raw message (TOP). */
function topOf(raw: Buffer, lines: number): Buffer {
  const sep = raw.indexOf('\r\n\r\n');
  if (sep === -1) return raw;
  let end = sep + 4;
  for (let i = 0; i < lines && end < raw.length; i++) {
    const nl = raw.indexOf('\r\n', end);
    end = nl === -1 ? raw.length : nl + 2;
  }
  return raw.subarray(0, end);
}

/** Misbehaviour: a line that never ends (no CRLF), written until the client goes away. */
export const endlessLine: Responder = async (session) => {
  const chunk = Buffer.alloc(64 * 1024, 'x');
  await session.writeRaw('+OK ');
  while (!session.closed) await session.writeRaw(chunk);
};

/** Misbehaviour: a multi-line body that never ends, written until the client goes away. */
export const endlessBody: Responder = async (session) => {
  const chunk = Buffer.from('This line repeats forever.\r\n'.repeat(2048), 'latin1');
  await session.writeRaw('+OK here it comes\r\n');
  while (!session.closed) await session.writeRaw(chunk);
};

/** Misbehaviour: a listing (CAPA/LIST/UIDL) with endless lines. */
export const endlessListing: Responder = async (session) => {
  await session.writeRaw('+OK\r\n');
  let n = 1;
  while (!session.closed) {
    const lines: string[] = [];
    for (let i = 0; i < 1000; i++, n++) lines.push(`${n} uid-${n}`);
    await session.writeRaw(`${lines.join('\r\n')}\r\n`);
  }
};
