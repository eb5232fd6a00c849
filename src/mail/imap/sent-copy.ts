import { isIP, type Socket } from 'node:net';
import type { ImapFlow } from 'imapflow';
import type { IncomingSettings } from '../../domain/mailbox/connection.js';
import type { MailTargetResolver } from '../../ports/mail-target-resolver.js';
import type { SentCopier, SentCopyOutcome } from '../../ports/sent-copy.js';
import { ProbeDeadline } from '../probe/probe-deadline.js';
import { probeSecretsOf } from '../probe/probe-recorder.js';
import { connectTcp, endpointTlsOptions, startTls } from '../probe/probe-sockets.js';
import { imapFailureFromError } from './imap-error.js';
import { createProbeTransport, type ImapTransportMarks } from './imap-transport.js';
import { loadImapFlow } from './load-imapflow.js';
import { chooseSentFolder } from './sent-copy-folder.js';

/** Where and how to append, or why not to (decided outside: credentials live in services). */
export type SentCopyTarget =
  | { kind: 'imap'; settings: IncomingSettings }
  | { kind: 'skip'; reason: 'no_imap' | 'provider_files_sent' | 'address_unavailable' };

export interface ImapSentCopierDeps {
  resolver: MailTargetResolver;
  trustedCa?: readonly string[];
  /** The address's IMAP settings with decrypted credentials, or why there is nothing to do. */
  target(workspaceId: string, addressId: string, signal: AbortSignal): Promise<SentCopyTarget>;
  /** Whole-append wall clock (connect, login, LIST, APPEND, LOGOUT). */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const STEP_MS = 15_000;

/**
 * Copy in Sent (M57, issue 9 item 4) over imapflow on a socket we dialled through the network
 * and TLS policy (validated IP, verification, pinning: the same path as the IMAP probe). Finds
 * the Sent folder by `\Sent`, else by name, and APPENDs the frozen bytes flagged `\Seen`.
 * Never throws: every problem becomes a `failed` outcome whose detail is a MailFailure.
 */
export function createImapSentCopier(deps: ImapSentCopierDeps): SentCopier {
  return {
    async append(workspaceId, addressId, mime, signal): Promise<SentCopyOutcome> {
      let target: SentCopyTarget;
      try {
        target = await deps.target(workspaceId, addressId, signal);
      } catch (err) {
        // Credentials that cannot be read (or an OAuth grant lost): the copy fails, not the email.
        const code = (err as { code?: unknown })?.code;
        return {
          status: 'failed',
          detail: { reason: 'credentials', ...(typeof code === 'string' ? { code } : {}) },
        };
      }
      if (target.kind === 'skip') return { status: 'skipped', detail: { reason: target.reason } };
      return appendTo(deps, target.settings, mime, signal);
    },
  };
}

async function appendTo(
  deps: ImapSentCopierDeps,
  settings: IncomingSettings,
  mime: Buffer,
  signal: AbortSignal,
): Promise<SentCopyOutcome> {
  const deadline = new ProbeDeadline(Date.now() + (deps.timeoutMs ?? DEFAULT_TIMEOUT_MS), signal);
  const tls = endpointTlsOptions(settings.host, settings.pinnedCert, deps.trustedCa);
  const sockets: Socket[] = [];
  let client: ImapFlow | undefined;
  let streamError: unknown;
  let step = 'resolve';
  try {
    const target = await deadline.race(
      deps.resolver.resolve(settings.host, settings.port, 'imap', { sandbox: settings.sandbox === true }),
    );
    step = 'connect';
    let socket: Socket = await deadline.race(
      connectTcp({
        address: target.address,
        port: target.port,
        timeoutMs: deadline.bound(STEP_MS),
        deadline,
      }),
    );
    sockets.push(socket);
    if (settings.security === 'tls') {
      step = 'tls';
      socket = await deadline.race(startTls({ socket, tls, timeoutMs: deadline.bound(STEP_MS), deadline }));
      sockets.push(socket);
    }
    step = 'auth';
    const marks: ImapTransportMarks = {};
    client = new (await loadImapFlow()).ImapFlow({
      host: target.address,
      port: target.port,
      secure: settings.security === 'tls',
      doSTARTTLS: settings.security === 'starttls' ? true : settings.security === 'none' ? false : undefined,
      tls,
      transport: createProbeTransport({ socket, tls, deadline, marks }),
      ...(isIP(settings.host) === 0 ? { servername: settings.host } : {}),
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
      connectionTimeout: deadline.bound(STEP_MS),
      greetingTimeout: deadline.bound(STEP_MS),
      socketTimeout: STEP_MS,
      maxLineLength: 64 * 1024,
      maxResponseSize: 4 * 1024 * 1024,
      // As the probe and collection: imapflow's default (1 M parse-tree nodes) let one 2 MB
      // response cost +236 MB; a LIST line or an APPEND reply has a handful.
      maxResponseTokens: 20_000,
    });
    // For the client's whole life (SECURITY.md §4.2): a late socket error must not crash us.
    // A cap hit while reading (LineTooLarge, …) arrives here; the pending command only sees the
    // connection close, so the stream's own error names the failure.
    client.on('error', (err: unknown) => {
      streamError ??= err;
    });
    const live = client;
    deadline.onExpire(() => live.close());
    await deadline.race(client.connect());
    step = 'list';
    const folder = chooseSentFolder(await deadline.race(client.list({ listOnly: true })));
    if (!folder) {
      await deadline.race(client.logout()).catch(() => {});
      return { status: 'failed', detail: { reason: 'no_sent_folder' } };
    }
    step = 'append';
    await deadline.race(client.append(folder, mime, ['\\Seen']));
    step = 'quit';
    await deadline.race(client.logout()).catch(() => {});
    return { status: 'done', detail: { folder } };
  } catch (err) {
    const failure = imapFailureFromError(
      streamError ?? err,
      step,
      settings.host,
      probeSecretsOf(settings.auth),
    );
    return { status: 'failed', detail: { reason: 'imap', step, failure: { ...failure } } };
  } finally {
    deadline.dispose();
    client?.close();
    for (const s of sockets) s.destroy();
  }
}
