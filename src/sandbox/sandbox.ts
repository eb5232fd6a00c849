import { createHash } from 'node:crypto';
import type { AddressInfo, Server } from 'node:net';
import { join } from 'node:path';
import { createSandboxImap } from './sandbox-imap.js';
import { createSandboxPop3 } from './sandbox-pop3.js';
import { type AcceptedMessage, createSandboxSmtp } from './sandbox-smtp.js';
import { SandboxStore } from './sandbox-store.js';
import { personaOf } from './sandbox-world.js';
import { composeBounce, composeOutOfOffice, composeReply, type OriginalEmail } from './simulated-mail.js';

/** The only address the sandbox ever listens on. Not configurable on purpose. */
export const SANDBOX_HOST = '127.0.0.1';

export interface SandboxOptions {
  /** Where mailboxes and accounts live (`<dataDir>/sandbox`). */
  dir: string;
  /** How long the simulated client takes to answer (default 3 s). */
  replyDelayMs?: number;
  /** How long until a bounce comes back (default 1 s). */
  bounceDelayMs?: number;
  now?: () => Date;
  onError?: (err: unknown, context: Record<string, unknown>) => void;
}

export interface Sandbox {
  host: typeof SANDBOX_HOST;
  smtpPort: number;
  pop3Port: number;
  /** IMAP4rev1 with IDLE (and a \Sent folder for Copy in Sent). */
  imapPort: number;
  store: SandboxStore;
  /**
   * MAILROOM_ALLOWED_MAIL_HOSTS entries for exactly the sandbox's ports on loopback: nothing
   * else on 127.0.0.1 becomes reachable.
   */
  allowListEntries(): string[];
  /** Called after mail lands in a mailbox that can sign in (mailroom then polls it at once). */
  onDelivered(listener: (mailbox: string) => void): void;
  /** Resolves when no simulated answer or bounce is waiting (tests). */
  settled(): Promise<void>;
  close(): Promise<void>;
}

async function listen(server: Server, preferred: number | undefined): Promise<number> {
  const attempt = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      server.once('error', onError);
      server.listen(port, SANDBOX_HOST, () => {
        server.off('error', onError);
        resolve((server.address() as AddressInfo).port);
      });
    });
  if (preferred) {
    try {
      return await attempt(preferred);
    } catch {
      // Taken by something else since the last run: any free port (stored addresses follow).
    }
  }
  return attempt(0);
}

async function readOriginal(raw: Buffer): Promise<OriginalEmail> {
  const end = raw.indexOf('\r\n\r\n');
  const rawHeaders = (end === -1 ? raw : raw.subarray(0, end)).toString('utf8');
  // Loaded on first use: the parser stays off the start-up path (issue 12 item 2).
  const { simpleParser } = await import('mailparser');
  const parsed = await simpleParser(raw, { skipHtmlToText: false, skipImageLinks: true });
  const refs = parsed.references;
  const replyTo = parsed.replyTo?.value[0] ?? parsed.from?.value[0];
  return {
    messageId: parsed.messageId ?? null,
    references: Array.isArray(refs) ? refs : refs ? [refs] : [],
    subject: parsed.subject ?? '',
    replyTo: replyTo?.address ? { email: replyTo.address.toLowerCase(), name: replyTo.name ?? '' } : null,
    fromEmail: parsed.from?.value[0]?.address?.toLowerCase() ?? null,
    text: parsed.text ?? '',
    date: parsed.date ?? new Date(),
    rawHeaders,
  };
}

/** RFC 3834: never answer automatic mail (and never mailroom's own test emails). */
function isAutomatic(rawHeaders: string): boolean {
  const auto = /^auto-submitted:\s*([^\r\n]*)/im.exec(rawHeaders)?.[1]?.trim().toLowerCase();
  return (!!auto && auto !== 'no') || /^x-mailroom-test:/im.test(rawHeaders);
}

/**
 * The built-in sandbox mail server (issue 12 item 1; docs/decisions/0010-sandbox.md): SMTP
 * submission with AUTH and POP3 on 127.0.0.1, mailboxes in the data dir, and simulated people
 * who answer: a client who replies after a few seconds, an out-of-office contact, and a
 * bounce (RFC 3464) for every address the sandbox does not know. Mail never leaves it.
 */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const store = new SandboxStore(options.dir);
  const now = options.now ?? (() => new Date());
  const replyDelayMs = options.replyDelayMs ?? 3_000;
  const bounceDelayMs = options.bounceDelayMs ?? 1_000;
  const report = options.onError ?? (() => {});
  const listeners: ((mailbox: string) => void)[] = [];
  const pending = new Set<Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;

  const deliver = (mailbox: string, raw: Buffer) => {
    store.deliver(mailbox, raw);
    if (!store.hasAccount(mailbox)) return;
    for (const l of listeners) {
      try {
        l(mailbox.toLowerCase());
      } catch (err) {
        report(err, { step: 'notify', mailbox });
      }
    }
  };

  /** Runs `fn` after `ms`, tracked so `settled()` and `close()` know about it. */
  const later = (ms: number, fn: () => Promise<void> | void) => {
    const done = new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        Promise.resolve()
          .then(fn)
          .catch((err: unknown) => report(err, { step: 'simulated answer' }))
          .finally(resolve);
      }, ms);
      timers.add(timer);
    });
    pending.add(done);
    void done.finally(() => pending.delete(done));
  };

  /** Emails already refused once for a `defers_once` persona (by Message-ID), oldest first. */
  const deferredOnce = new Set<string>();
  /** A reason to refuse this message for now (451), or null: the first try of each email to her. */
  const deferral = (m: AcceptedMessage): string | null => {
    const who = m.to.map(personaOf).find((p) => p?.behaviour === 'defers_once');
    if (!who) return null;
    const end = m.raw.indexOf('\r\n\r\n');
    const head = (end === -1 ? m.raw : m.raw.subarray(0, end)).toString('latin1');
    const key =
      /^message-id:\s*(<[^>\r\n]+>)/im.exec(head)?.[1] ?? createHash('sha256').update(m.raw).digest('hex');
    if (deferredOnce.has(key)) return null;
    deferredOnce.add(key);
    // Bounded: a loop of new emails to her cannot grow this without end.
    if (deferredOnce.size > 1_000) deferredOnce.delete(deferredOnce.values().next().value!);
    // SMTP reply text is ASCII (RFC 5321): her address, not her name.
    return `<${who.email}>: mailbox temporarily unavailable, try again later`;
  };

  const accept = (m: AcceptedMessage) => {
    const unknown: string[] = [];
    const personas = [];
    for (const rcpt of new Set(m.to.map((t) => t.toLowerCase()))) {
      const persona = personaOf(rcpt);
      if (persona || store.hasAccount(rcpt)) {
        deliver(rcpt, m.raw);
        if (persona) personas.push(persona);
      } else unknown.push(rcpt);
    }
    if (personas.length === 0 && unknown.length === 0) return;
    const original = readOriginal(m.raw);
    // Keep the parse from counting as unhandled before the timers pick it up.
    original.catch(() => {});
    for (const persona of personas) {
      if (persona.behaviour === 'silent' || persona.behaviour === 'defers_once') continue;
      later(persona.behaviour === 'replies' ? replyDelayMs : Math.min(replyDelayMs, 1_000), async () => {
        const o = await original;
        if (isAutomatic(o.rawHeaders) || !o.replyTo || !store.hasAccount(o.replyTo.email)) return;
        const answer =
          persona.behaviour === 'replies'
            ? composeReply(persona, o, now())
            : composeOutOfOffice(persona, o, now());
        if (answer) deliver(o.replyTo.email, answer);
      });
    }
    if (unknown.length > 0 && m.from && store.hasAccount(m.from)) {
      later(bounceDelayMs, async () => {
        deliver(m.from, composeBounce(m.from, unknown, await original, now()));
      });
    }
  };

  const smtp = createSandboxSmtp(store, accept, deferral);
  const pop3 = createSandboxPop3(store);
  const last = store.lastPorts();
  const smtpPort = await listen(smtp.server as unknown as Server, last.smtp);
  const pop3Port = await listen(pop3, last.pop3);
  const imap = createSandboxImap(store);
  const imapPort = await listen(imap, last.imap);
  store.rememberPorts({ smtp: smtpPort, pop3: pop3Port, imap: imapPort });

  return {
    host: SANDBOX_HOST,
    smtpPort,
    pop3Port,
    imapPort,
    store,
    allowListEntries: () => [
      `${SANDBOX_HOST}:${smtpPort}`,
      `${SANDBOX_HOST}:${pop3Port}`,
      `${SANDBOX_HOST}:${imapPort}`,
    ],
    onDelivered(listener) {
      listeners.push(listener);
    },
    async settled() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await Promise.all([
        new Promise<void>((resolve) => smtp.close(() => resolve())),
        new Promise<void>((resolve) => pop3.close(() => resolve())),
        new Promise<void>((resolve) => imap.close(() => resolve())),
      ]);
    },
  };
}

export const sandboxDir = (dataDir: string) => join(dataDir, 'sandbox');
