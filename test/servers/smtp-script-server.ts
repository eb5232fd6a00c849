import { type RawSmtpConnection, type RawSmtpServer, startRawSmtpServer } from './smtp-raw-server.js';

/** What the scripted server does after the final dot: a reply line, hang up, or stay silent. */
export type AfterDot = string | 'drop' | 'hang';

export interface ScriptedSmtpOptions {
  /** EHLO keywords after the name line (default PIPELINING, 8BITMIME, SMTPUTF8, AUTH PLAIN LOGIN). */
  extensions?: string[];
  /** Reply to AUTH (default 235). */
  auth?: () => string;
  mailFrom?: (from: string) => string;
  rcptTo?: (to: string) => string;
  /** What happens after the final dot (default `250 2.0.0 Ok: queued as Q<n>`). */
  afterDot?: (message: ReceivedMessage) => AfterDot | Promise<AfterDot>;
  /** Test hooks, awaited before the server answers: the test can kill a client right here. */
  on?: {
    connect?(): void | Promise<void>;
    mailFrom?(from: string): void | Promise<void>;
    dot?(message: ReceivedMessage): void | Promise<void>;
    replied?(message: ReceivedMessage): void | Promise<void>;
  };
}

export interface ReceivedMessage {
  from: string;
  to: string[];
  data: string;
  /** The Message-ID header of the data, if any. */
  messageId: string | null;
  /** What the server did after the dot. */
  outcome: AfterDot | null;
}

export interface ScriptedSmtpServer extends RawSmtpServer {
  /** Every message whose final dot arrived, in order (the crash tests' oracle). */
  received: ReceivedMessage[];
  /** Accepted messages (2xx after the dot). */
  accepted(): ReceivedMessage[];
}

/**
 * A plaintext scripted SMTP server (no TLS: security `none` on loopback) for the outbox's
 * fault tests: per-command replies, per-recipient verdicts, drop-after-dot, silence, and hooks
 * that let a test act (SIGKILL the worker) at an exact point of the dialogue.
 */
export async function startScriptedSmtp(opts: ScriptedSmtpOptions = {}): Promise<ScriptedSmtpServer> {
  const received: ReceivedMessage[] = [];
  let queued = 0;
  const extensions = opts.extensions ?? ['PIPELINING', '8BITMIME', 'SMTPUTF8', 'AUTH PLAIN LOGIN'];
  const ehlo = [
    '250-script.localhost',
    ...extensions.map((e, i) => `250${i === extensions.length - 1 ? ' ' : '-'}${e}`),
  ];
  if (extensions.length === 0) ehlo[0] = '250 script.localhost';
  const server = await startRawSmtpServer(async (conn: RawSmtpConnection) => {
    await opts.on?.connect?.();
    conn.write('220 script.localhost ESMTP\r\n');
    let from = '';
    let to: string[] = [];
    for (;;) {
      const line = await conn.readLine();
      if (line === null) return;
      const verb = line.split(/[ :]/)[0]?.toUpperCase() ?? '';
      if (verb === 'EHLO') conn.write(`${ehlo.join('\r\n')}\r\n`);
      else if (verb === 'AUTH') {
        // AUTH PLAIN with the initial response in one line; LOGIN is not scripted.
        conn.write(`${opts.auth?.() ?? '235 2.7.0 Authentication successful'}\r\n`);
      } else if (verb === 'MAIL') {
        from = /<([^>]*)>/.exec(line)?.[1] ?? '';
        to = [];
        await opts.on?.mailFrom?.(from);
        conn.write(`${opts.mailFrom?.(from) ?? '250 2.1.0 Ok'}\r\n`);
      } else if (verb === 'RCPT') {
        const rcpt = /<([^>]*)>/.exec(line)?.[1] ?? '';
        const reply = opts.rcptTo?.(rcpt) ?? '250 2.1.5 Ok';
        if (reply.startsWith('2')) to.push(rcpt);
        conn.write(`${reply}\r\n`);
      } else if (verb === 'DATA') {
        if (to.length === 0) {
          conn.write('554 5.5.1 No valid recipients\r\n');
          continue;
        }
        conn.write('354 End data with <CR><LF>.<CR><LF>\r\n');
        const lines: string[] = [];
        for (;;) {
          const l = await conn.readLine();
          if (l === null) return;
          if (l === '.') break;
          lines.push(l.startsWith('.') ? l.slice(1) : l);
        }
        const data = lines.join('\r\n');
        const message: ReceivedMessage = {
          from,
          to,
          data,
          messageId: /^Message-ID:\s*(<[^>]+>)/im.exec(data)?.[1] ?? null,
          outcome: null,
        };
        received.push(message);
        await opts.on?.dot?.(message);
        const outcome = (await opts.afterDot?.(message)) ?? `250 2.0.0 Ok: queued as Q${++queued}`;
        message.outcome = outcome;
        if (outcome === 'drop') return conn.reset();
        if (outcome === 'hang') {
          await conn.closed;
          return;
        }
        conn.write(`${outcome}\r\n`);
        await opts.on?.replied?.(message);
      } else if (verb === 'RSET' || verb === 'NOOP') conn.write('250 2.0.0 Ok\r\n');
      else if (verb === 'QUIT') {
        conn.write('221 2.0.0 Bye\r\n');
        return;
      } else conn.write('502 5.5.1 Unrecognized command\r\n');
    }
  });
  return {
    ...server,
    received,
    accepted: () => received.filter((m) => typeof m.outcome === 'string' && m.outcome.startsWith('2')),
  };
}
