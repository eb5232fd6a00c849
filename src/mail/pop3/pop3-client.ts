import type { Readable } from 'node:stream';
import type { MailAuth, MailSecurity } from '../../domain/mailbox/connection.js';
import type { CertificateInfo } from '../../domain/mailbox/mail-failure.js';
import type { Pop3Mechanism } from './pop3-auth.js';
import { type BodyCap, bodyCap, bufferBody, streamBody } from './pop3-body.js';
import { Pop3Commands } from './pop3-commands.js';
import { pop3Error } from './pop3-errors.js';
import {
  type Pop3Capabilities,
  type Pop3ListEntry,
  type Pop3UidEntry,
  type Pop3UidListing,
  parseListing,
  parseListLine,
  parseStat,
  parseUidLine,
  parseUidListing,
} from './pop3-listing.js';
import { listingCap, refuseOverfull } from './pop3-listing-bounds.js';
import { runLogin } from './pop3-login.js';
import { readCapabilities, tlsHandshake } from './pop3-negotiation.js';
import {
  DEFAULT_POP3_LIMITS,
  DEFAULT_POP3_TIMEOUTS,
  type Pop3ConnectOptions,
  type Pop3Limits,
} from './pop3-options.js';
import { num, retrievePipelined } from './pop3-retr-pipelined.js';
import { Pop3Transport } from './pop3-transport.js';

/**
 * A strict POP3 client (RFC 1939, 2449 CAPA, 2595 STLS, 5034 AUTH) for one session.
 * It dials the address it is given and never resolves names. Commands run one at a
 * time (a call waits for the previous one, including a streamed body). Only the caller's
 * numbers and validated credentials reach the wire; no argument can carry CR or LF.
 */
export class Pop3Client {
  private caps: Pop3Capabilities | null = null;
  /** Messages STAT counted; the maildrop is locked, so later listings cannot be longer. */
  private messageCount: number | null = null;
  private readonly sizes = new Map<number, number>();
  private readonly c: Pop3Commands;
  private readonly t: Pop3Transport;

  private constructor(
    t: Pop3Transport,
    private readonly opts: Pop3ConnectOptions,
    readonly limits: Pop3Limits,
  ) {
    this.t = t;
    this.c = new Pop3Commands(t, opts.target.host);
  }

  /** TCP connect only; then `startTls()` (implicit TLS) and `readGreeting()`. */
  static async dial(opts: Pop3ConnectOptions): Promise<Pop3Client> {
    const limits = { ...DEFAULT_POP3_LIMITS, ...opts.limits };
    const timeouts = { ...DEFAULT_POP3_TIMEOUTS, ...opts.timeouts };
    const sessionDeadline = Math.min(
      Date.now() + timeouts.sessionMs,
      opts.deadline ?? Number.POSITIVE_INFINITY,
    );
    const t = await Pop3Transport.dial({
      target: opts.target,
      limits,
      timeouts,
      sessionDeadline,
      signal: opts.signal,
      pinned: Boolean(opts.pinnedCert),
      meter: opts.meter,
    });
    return new Pop3Client(t, opts, limits);
  }

  get security(): MailSecurity {
    return this.opts.security;
  }

  get isEncrypted(): boolean {
    return this.t.isEncrypted;
  }

  get isAlive(): boolean {
    return this.t.isAlive;
  }

  /** CAPA from the current TLS state (null before CAPA, or when the server has no CAPA). */
  get capabilities(): Pop3Capabilities | null {
    return this.caps;
  }

  /** Implicit TLS (security `tls`), right after `dial`. Returns the verified certificate. */
  startTls(): Promise<CertificateInfo> {
    return this.exclusive(() => this.handshake('tls'));
  }

  /** Reads the `+OK` greeting; returns its sanitised text. */
  readGreeting(): Promise<string> {
    return this.exclusive(async () => {
      this.t.setStep('greeting');
      this.t.reader.expect(1);
      const status = await this.timed(() => this.c.readStatus(), 'greeting');
      if (status.type !== 'ok') {
        const err = this.c.replyError('reply', 'greeting', status);
        this.t.destroy();
        throw err;
      }
      return this.c.clean(status.text);
    });
  }

  /** CAPA (RFC 2449). Null when the server answers -ERR (CAPA is optional). */
  capa(): Promise<Pop3Capabilities | null> {
    return this.exclusive(() => this.capaLocked());
  }

  /**
   * STLS (RFC 2595), mandatory in `starttls` mode: refuses unless the last CAPA listed
   * STLS and the server answers +OK. Whatever followed the +OK is discarded, the TLS
   * handshake is verified, pre-TLS capabilities are forgotten and CAPA is asked again.
   */
  stls(): Promise<{ reply: string; certificate: CertificateInfo; capabilities: Pop3Capabilities | null }> {
    return this.exclusive(async () => {
      const step = 'starttls';
      if (this.t.isEncrypted) throw pop3Error('protocol', { step, detail: 'TLS is already active' });
      if (!this.caps?.names.has('STLS')) {
        this.t.destroy('STLS not offered');
        throw this.c.fail('starttls_unavailable', step, { detail: 'the server does not offer STLS in CAPA' });
      }
      this.t.setStep(step);
      this.t.send('STLS\r\n');
      const status = await this.timed(() => this.c.readStatus({ discardRest: true }));
      if (status.type !== 'ok') {
        const err = this.c.replyError('starttls_unavailable', step, status);
        this.t.destroy('STLS refused');
        throw err;
      }
      const certificate = await this.handshake(step);
      this.caps = null;
      const capabilities = await this.capaLocked();
      return { reply: this.c.clean(status.text), certificate, capabilities };
    });
  }

  /** Logs in. Refuses to send credentials in `tls`/`starttls` mode before TLS is up. */
  login(
    auth: MailAuth,
    options: { mechanism?: Pop3Mechanism } = {},
  ): Promise<{ mechanism: Pop3Mechanism; reply: string }> {
    return this.exclusive(() =>
      runLogin(this.c, auth, { security: this.opts.security, caps: this.caps, mechanism: options.mechanism }),
    );
  }

  stat(): Promise<{ count: number; size: number }> {
    return this.exclusive(async () => {
      const stat = parseStat((await this.c.simple('stat', 'STAT')).text);
      this.messageCount = stat.count;
      return stat;
    });
  }

  /** LIST: every message's number and size (sizes are remembered for the RETR size check). */
  list(): Promise<Pop3ListEntry[]> {
    return this.exclusive(async () => {
      refuseOverfull('list', this.messageCount, this.limits);
      await this.c.simple('list', 'LIST', 2);
      const entries = parseListing(
        await this.timed(() => this.t.reader.readLines(listingCap(this.messageCount, this.limits))),
      );
      for (const e of entries) this.sizes.set(e.number, e.size);
      return entries;
    });
  }

  /** UIDL. A server without UIDL fails with kind `unsupported`. */
  uidl(): Promise<Pop3UidListing> {
    return this.exclusive(async () => {
      refuseOverfull('uidl', this.messageCount, this.limits);
      await this.c.simple('uidl', 'UIDL', 2, 'unsupported');
      return parseUidListing(
        await this.timed(() => this.t.reader.readLines(listingCap(this.messageCount, this.limits))),
      );
    });
  }

  /**
   * LIST and UIDL together: one round trip when the server announced PIPELINING
   * (RFC 2449 §6.6), two otherwise. `uids` is null when the server has no UIDL.
   */
  listWithUids(): Promise<{ list: Pop3ListEntry[]; uids: Pop3UidListing | null }> {
    return this.exclusive(async () => {
      refuseOverfull('list', this.messageCount, this.limits);
      const pipelined = this.caps?.names.has('PIPELINING') ?? false;
      this.t.setStep('list');
      this.t.send(pipelined ? 'LIST\r\nUIDL\r\n' : 'LIST\r\n', pipelined ? 4 : 2);
      const listStatus = await this.timed(() => this.c.readStatus());
      if (listStatus.type !== 'ok') {
        const err = this.c.unexpected(listStatus, 'reply', 'list');
        // With UIDL already in flight the stream is hard to resynchronise: start over.
        if (pipelined) this.t.destroy('LIST refused while pipelining');
        else this.t.reader.expect(-1);
        throw err;
      }
      const list = parseListing(
        await this.timed(() => this.t.reader.readLines(listingCap(this.messageCount, this.limits))),
      );
      for (const e of list) this.sizes.set(e.number, e.size);
      this.t.setStep('uidl');
      if (!pipelined) this.t.send('UIDL\r\n', 2);
      const uidStatus = await this.timed(() => this.c.readStatus());
      if (uidStatus.type === 'err') {
        this.t.reader.expect(-1);
        return { list, uids: null };
      }
      if (uidStatus.type !== 'ok') throw this.c.unexpected(uidStatus, 'protocol', 'uidl');
      return {
        list,
        uids: parseUidListing(
          await this.timed(() => this.t.reader.readLines(listingCap(this.messageCount, this.limits))),
        ),
      };
    });
  }

  /** UIDL for one message. */
  uidlOne(n: number): Promise<Pop3UidEntry> {
    return this.exclusive(async () =>
      parseUidLine(Buffer.from((await this.c.simple('uidl', `UIDL ${num(n)}`)).text)),
    );
  }

  /**
   * RETR as a stream of the raw message: wire bytes (CRLF kept, 8-bit untouched), dot-
   * unstuffed, terminator removed. Back-pressure pauses the socket; destroying the stream
   * before its end destroys the connection. Refuses (kind `limit`) when LIST says the
   * message is larger than `maxMessageBytes`; the stream errors if the body grows past it or
   * past its LIST size plus slack (`bodyCap`: the error carries `outgrown`).
   */
  async retrieve(n: number): Promise<Readable> {
    return this.openBody('retr', `RETR ${num(n)}`, n);
  }

  /** RETR into one Buffer. */
  async retrieveBuffer(n: number): Promise<Buffer> {
    return this.bodyBuffer('retr', `RETR ${num(n)}`, n);
  }

  /**
   * RETR of several messages into Buffers, in order. When the server announced PIPELINING
   * (RFC 2449 §6.6) up to `window` RETRs are in flight, so a mailbox of small messages costs
   * one round trip per window instead of one per message (bench/pop3-ingest). Sizes must be
   * known from LIST (for the size cap) or it falls back to one RETR at a time.
   */
  retrieveManyBuffers(ns: readonly number[], window = 8): Promise<Buffer[]> {
    const pipelined = (this.caps?.names.has('PIPELINING') ?? false) && ns.every((n) => this.sizes.has(n));
    if (!pipelined)
      return ns.reduce<Promise<Buffer[]>>(
        async (acc, n) => [...(await acc), await this.retrieveBuffer(n)],
        Promise.resolve([]),
      );
    return this.exclusive(() =>
      retrievePipelined(
        this.c,
        this.t,
        ns,
        ns.map((n) => this.capOf(n, this.sizes.get(n) as number, 'retr')),
        window,
      ),
    );
  }

  /** TOP: headers plus the first `lines` body lines, as a stream. */
  async top(n: number, lines: number): Promise<Readable> {
    return this.openBody('top', `TOP ${num(n)} ${num(lines, 0)}`, null);
  }

  async topBuffer(n: number, lines: number): Promise<Buffer> {
    return this.bodyBuffer('top', `TOP ${num(n)} ${num(lines, 0)}`, null);
  }

  /** TOP n 0 into one Buffer, no more than `maxBytes` (a longer answer is a `limit` failure). */
  headBuffer(n: number, maxBytes: number): Promise<Buffer> {
    return this.exclusive(async () => {
      const cap = await this.beginBody('top', `TOP ${num(n)} 0`, null);
      return bufferBody(this.t, { maxBytes: Math.min(maxBytes, cap.maxBytes) });
    });
  }

  /** Marks a message deleted; the server removes it only after a successful QUIT. */
  dele(n: number): Promise<void> {
    return this.exclusive(async () => {
      await this.c.simple('dele', `DELE ${num(n)}`);
    });
  }

  rset(): Promise<void> {
    return this.exclusive(async () => {
      await this.c.simple('rset', 'RSET');
    });
  }

  noop(): Promise<void> {
    return this.exclusive(async () => {
      await this.c.simple('noop', 'NOOP');
    });
  }

  /** QUIT: commits deletions and closes. Returns the sanitised reply. */
  quit(): Promise<string> {
    return this.exclusive(async () => {
      this.t.expectClose();
      try {
        return this.c.clean((await this.c.simple('quit', 'QUIT')).text);
      } finally {
        this.t.destroy('closed after QUIT');
      }
    });
  }

  /** Drops the connection without QUIT (deletions are not committed). Safe to call twice. */
  destroy(): void {
    this.t.destroy();
  }

  // --- internals -------------------------------------------------------------------

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.c.exclusive(fn);
  }

  private timed<T>(fn: () => Promise<T>, kind: 'command' | 'greeting' = 'command'): Promise<T> {
    return this.c.timed(fn, kind);
  }

  private async capaLocked(): Promise<Pop3Capabilities | null> {
    this.caps = await readCapabilities(this.c, this.t, this.limits);
    return this.caps;
  }

  private handshake(step: 'tls' | 'starttls'): Promise<CertificateInfo> {
    return tlsHandshake(this.t, this.opts, step);
  }

  private async openBody(step: string, command: string, n: number | null): Promise<Readable> {
    const release = await this.c.acquire();
    let cap: BodyCap;
    try {
      cap = await this.beginBody(step, command, n);
    } catch (err) {
      release();
      throw err;
    }
    return streamBody(this.t, cap, release);
  }

  private bodyBuffer(step: string, command: string, n: number | null): Promise<Buffer> {
    return this.exclusive(async () => bufferBody(this.t, await this.beginBody(step, command, n)));
  }

  /** Refuses a message LIST puts over the message cap; else its body's cap (`bodyCap`). */
  private capOf(n: number, size: number, step: string): BodyCap {
    if (size > this.limits.maxMessageBytes)
      throw this.c.fail('limit', step, {
        detail: `message ${n} is ${size} bytes (limit ${this.limits.maxMessageBytes})`,
      });
    return bodyCap(this.limits.maxMessageBytes, { seq: n, listed: size });
  }

  /** Size check (LIST, remembered or asked), then the command and its +OK; the body's cap. */
  private async beginBody(step: string, command: string, n: number | null): Promise<BodyCap> {
    let cap = bodyCap(this.limits.maxMessageBytes);
    if (n !== null) {
      let size = this.sizes.get(n);
      if (size === undefined) {
        size = parseListLine((await this.c.simple('list', `LIST ${num(n)}`)).text).size;
        this.sizes.set(n, size);
      }
      cap = this.capOf(n, size, step);
    }
    await this.c.simple(step, command, 2);
    return cap;
  }
}
