import { isIP, type Socket } from 'node:net';
import type { ImapFlow, ImapFlowOptions } from 'imapflow';
import type { MailFailure } from '../../domain/mailbox/mail-failure.js';
import type {
  ImapBoxState,
  ImapFetched,
  ImapListingPage,
  ImapMailbox,
  ImapMailboxSession,
  ImapSincePage,
  ImapWantedMessage,
} from '../../ports/imap-mailbox.js';
import type { MailTargetResolver } from '../../ports/mail-target-resolver.js';
import { ProbeDeadline } from '../probe/probe-deadline.js';
import { probeSecretsOf } from '../probe/probe-recorder.js';
import { connectTcp, endpointTlsOptions, startTls } from '../probe/probe-sockets.js';
import { fetchWithin } from './fetch-within.js';
import { imapFailureFromError } from './imap-error.js';
import { createProbeTransport, type ImapTransportMarks } from './imap-transport.js';
import { loadImapFlow } from './load-imapflow.js';
import { listSinceWindows } from './since-windows.js';
import { uidSet } from './uid-set.js';
import { listUidWindows } from './uid-windows.js';

export interface ImapMailboxDeps {
  resolver: MailTargetResolver;
  trustedCa?: readonly string[];
  /** Socket inactivity timeout (default 60 s; tests shorten it). */
  socketMs?: number;
}

const CONNECT_MS = 15_000;
const SOCKET_MS = 60_000;
/** IDLE is renewed after this share of the socket timeout (45 s of 60 s). */
const IDLE_RENEW_SHARE = 0.75;
/**
 * Most messages one listing may name, as POP3's `maxListingEntries`: every FETCH response is
 * one more entry, so without it a server streaming `* n FETCH` lines grows the list until the
 * deadline (1 M lines: 18 s, +197 MB RSS).
 */
export const MAX_LISTED_MESSAGES = 100_000;
/** Wraps a library error as the adapters' error shape (`failure`). */
function failed(err: unknown, step: string, host: string, secrets: string[]): Error {
  if ((err as { failure?: unknown })?.failure) return err as Error;
  const failure = imapFailureFromError(err, step as never, host, secrets);
  return Object.assign(new Error(`IMAP ${failure.kind} at ${step}`), { failure });
}

/**
 * The IMAP side of collecting (issue 10 item 3): dials the validated IP through the network
 * policy (as the probe does, M53), TLS verified against the typed host (M54), imapflow on that
 * socket with its logger off (credentials never printed) and an `error` listener for its whole
 * life (SECURITY.md §4.2).
 */
export function createImapMailbox(deps: ImapMailboxDeps): ImapMailbox {
  return {
    async open(settings, options) {
      const secrets = probeSecretsOf(settings.auth);
      const deadline = new ProbeDeadline(options.deadline, options.signal);
      const sockets: Socket[] = [];
      let step = 'resolve';
      let client: ImapFlow | null = null;
      try {
        const target = await deadline.race(
          deps.resolver.resolve(settings.host, settings.port, 'imap', {
            sandbox: settings.sandbox === true,
          }),
        );
        step = 'connect';
        const tls = endpointTlsOptions(settings.host, settings.pinnedCert, deps.trustedCa);
        let socket: Socket = await deadline.race(
          connectTcp({
            address: target.address,
            port: target.port,
            timeoutMs: deadline.bound(CONNECT_MS),
            deadline,
          }),
        );
        sockets.push(socket);
        if (settings.security === 'tls') {
          step = 'tls';
          socket = await deadline.race(
            startTls({ socket, tls, timeoutMs: deadline.bound(CONNECT_MS), deadline }),
          );
          sockets.push(socket);
        }
        const marks: ImapTransportMarks = {};
        const flowOptions: ImapFlowOptions = {
          host: target.address,
          port: target.port,
          secure: settings.security === 'tls',
          doSTARTTLS:
            settings.security === 'starttls' ? true : settings.security === 'none' ? false : undefined,
          tls,
          transport: createProbeTransport({ socket, tls, deadline, marks }),
          auth:
            settings.auth.type === 'password'
              ? { user: settings.auth.user, pass: settings.auth.pass }
              : { user: settings.auth.user, accessToken: settings.auth.accessToken },
          logger: false,
          emitLogs: false,
          logRaw: false,
          clientInfo: { name: 'mailroom', version: false, vendor: false, 'support-url': false },
          disableAutoIdle: true,
          disableCompression: true,
          disableAutoEnable: true,
          connectionTimeout: deadline.bound(CONNECT_MS),
          greetingTimeout: deadline.bound(CONNECT_MS),
          socketTimeout: deps.socketMs ?? SOCKET_MS,
          // IDLE is re-issued (DONE, IDLE) before the socket timeout: a quiet IDLE otherwise hit
          // it, imapflow's recovery NOOP ended IDLE, and the next timeout closed the connection.
          maxIdleTime: Math.round((deps.socketMs ?? SOCKET_MS) * IDLE_RENEW_SHARE),
          maxLineLength: 64 * 1024,
          // One byte past the message cap: a body of unknown size is fetched to cap + 1, so one
          // over the cap is told apart (and set aside) instead of failing the connection.
          maxLiteralSize: (options.maxMessageBytes ?? 50 * 1024 * 1024) + 1,
          maxResponseSize: (options.maxMessageBytes ?? 50 * 1024 * 1024) + 1024 * 1024,
          // As the probe: imapflow's default (1 M parse-tree nodes) let one 2 MB response cost
          // +236 MB; collection's responses (FETCH of UID, size, body) have a handful each.
          maxResponseTokens: 20_000,
        };
        if (isIP(settings.host) === 0) flowOptions.servername = settings.host;
        client = new (await loadImapFlow()).ImapFlow(flowOptions);
        client.on('error', () => {});
        const c = client;
        deadline.onExpire(() => c.close());
        step = 'auth';
        await deadline.race(client.connect());
        // The socket imapflow reads (after STARTTLS, the upgraded one).
        const reader = () => marks.upgraded ?? socket;
        const maxListed = options.maxListedMessages ?? MAX_LISTED_MESSAGES;
        return new ImapSession(client, deadline, sockets, settings.host, secrets, reader, maxListed);
      } catch (err) {
        client?.close();
        for (const s of sockets) s.destroy();
        deadline.dispose();
        throw failed(err, step, settings.host, secrets);
      }
    },
  };
}

class ImapSession implements ImapMailboxSession {
  /** Messages in the selected mailbox when it was selected (the re-sync's top sequence number). */
  private exists = 0;
  /** UIDNEXT when selected: listings end below it (later arrivals wait for the next poll). */
  private uidNext = 0;

  constructor(
    private readonly client: ImapFlow,
    private readonly deadline: ProbeDeadline,
    private readonly sockets: Socket[],
    private readonly host: string,
    private readonly secrets: string[],
    private readonly reader: () => Socket,
    private readonly maxListed: number,
  ) {}

  private async run<T>(step: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await this.deadline.race(fn());
    } catch (err) {
      throw failed(err, step, this.host, this.secrets);
    }
  }

  select(writable: boolean): Promise<ImapBoxState> {
    return this.run('select', async () => {
      const box = await this.client.mailboxOpen('INBOX', { readOnly: !writable });
      this.exists = box.exists;
      this.uidNext = Number(box.uidNext);
      return {
        uidValidity: String(box.uidValidity),
        uidNext: box.uidNext,
        exists: box.exists,
        idle: this.client.capabilities.has('IDLE'),
      };
    });
  }

  private tooMany(limit = this.maxListed): Error {
    const failure: MailFailure = {
      kind: 'limit',
      protocol: 'imap',
      step: 'list',
      host: this.host,
      detail: `the server listed more than ${limit} messages`,
    };
    return Object.assign(new Error('IMAP limit at list'), { failure });
  }

  listAfter(afterUid: number, page: ImapListingPage = {}) {
    return this.run('list', async () => {
      // The mailbox's end as selected; without UIDNEXT, or when mail arrived since (an IDLE
      // session lists again), the newest message's UID.
      const known = Number.isSafeInteger(this.uidNext) && this.uidNext > 0;
      const grown = this.client.mailbox && this.client.mailbox.exists !== this.exists;
      const top = Math.max(
        known ? this.uidNext - 1 : afterUid,
        !known || grown ? ((await this.newestUid()) ?? 0) : 0,
      );
      return listUidWindows(this.client, afterUid, top, {
        wanted: page.wanted ?? this.maxListed,
        maxListed: this.maxListed,
        stop: page.stop ?? (() => false),
        tooMany: (n) => this.tooMany(n),
      });
    });
  }

  private async newestUid(): Promise<number | null> {
    let uid: number | null = null;
    for await (const m of this.client.fetch('*', { uid: true })) uid = Math.max(uid ?? 0, m.uid);
    return uid;
  }

  listSince(since: Date, page: ImapSincePage = {}) {
    return this.run('list', () =>
      listSinceWindows(this.client, since, {
        exists: this.exists,
        wanted: Math.min(page.wanted ?? this.maxListed, this.maxListed),
        stop: page.stop ?? (() => false),
        skip: page.skip ?? (async () => new Set()),
        tooMany: (n) => this.tooMany(n),
      }),
    );
  }

  fetchRaw(wanted: readonly ImapWantedMessage[]): Promise<ImapFetched> {
    return this.run('fetch', () => fetchWithin(this.client, wanted, this.host));
  }

  delete(uids: readonly number[]): Promise<void> {
    return this.run('delete', async () => {
      if (uids.length > 0) await this.client.messageDelete(uidSet(uids), { uid: true });
    });
  }

  waitForNew(timeoutMs: number, signal: AbortSignal, onIdling?: () => void): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      let done = false;
      const reader = this.reader();
      // Nothing else is pending while we wait, so a continuation line is the server's IDLE ack.
      // A second listener only observes: imapflow's pipe still gets every byte.
      const onData = (chunk: Buffer) => {
        if (!/(?:^|\n)\+/.test(chunk.toString('latin1'))) return;
        reader.off('data', onData);
        onIdling?.();
      };
      const finish = (value: boolean | Error) => {
        if (done) return;
        done = true;
        reader.off('data', onData);
        clearTimeout(timer);
        this.client.off('exists', onExists);
        this.client.off('close', onClose);
        signal.removeEventListener('abort', onAbort);
        if (value instanceof Error) reject(value);
        else resolve(value);
      };
      const onExists = (d: { count: number; prevCount: number }) => {
        if (d.count > d.prevCount) finish(true);
      };
      const onClose = () =>
        finish(
          failed(
            Object.assign(new Error('closed'), { code: 'NoConnection' }),
            'idle',
            this.host,
            this.secrets,
          ),
        );
      const onAbort = () => finish(false);
      const timer = setTimeout(() => finish(false), timeoutMs);
      this.client.on('exists', onExists);
      this.client.on('close', onClose);
      signal.addEventListener('abort', onAbort, { once: true });
      if (onIdling) reader.on('data', onData);
      // The next command (or close) ends IDLE with DONE; its own end is not an event we need.
      this.client.idle().catch((err) => finish(failed(err, 'idle', this.host, this.secrets)));
    });
  }

  async close(): Promise<void> {
    try {
      await this.deadline.race(this.client.logout());
    } catch {
      // Already gone: nothing to commit on IMAP (stores happened before).
    } finally {
      this.abort();
    }
  }

  abort(): void {
    this.client.close();
    for (const s of this.sockets) s.destroy();
    this.deadline.dispose();
  }
}
