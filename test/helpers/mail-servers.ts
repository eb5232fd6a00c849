import { Pop3FakeServer } from '../servers/pop3-fake-server.js';
import { type SmtpSink, startSmtpSink } from '../servers/smtp-sink.js';

export const MAILBOX = {
  email: 'anna@firma.example',
  login: 'anna@firma.example',
  password: '  app pass with spaces "quoted" żółć  ',
};

/**
 * A working mailbox on loopback: SMTP (implicit TLS) + POP3 (implicit TLS), both with the
 * test CA's certificate. With `deliver`, mail accepted over SMTP appears in the POP3 mailbox
 * (after `deliveryDelayMs`), like a real provider's round trip.
 */
export async function startMailbox(
  opts: {
    password?: string;
    smtpScript?: Parameters<typeof startSmtpSink>[0];
    deliver?: boolean;
    deliveryDelayMs?: number;
  } = {},
) {
  const password = opts.password ?? MAILBOX.password;
  let pop3Box: Pop3FakeServer | null = null;
  const timers = new Set<NodeJS.Timeout>();
  const deliver = (raw: Buffer) => {
    const box = pop3Box;
    if (!box) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      box.messages.push({ raw, uid: `delivered-${box.messages.length + 1}-${Date.now()}` });
    }, opts.deliveryDelayMs ?? 0);
    timers.add(timer);
  };
  const smtp: SmtpSink = await startSmtpSink({
    mode: 'tls',
    users: [{ user: MAILBOX.login, password }],
    ...(opts.deliver ? { onMessage: (m) => deliver(m.raw) } : {}),
    ...opts.smtpScript,
  });
  const pop3 = await Pop3FakeServer.start({
    implicitTls: true,
    user: MAILBOX.login,
    pass: password,
    messages: [Buffer.from('Subject: hi\r\n\r\nhello\r\n')],
  });
  pop3Box = pop3;
  return {
    smtp,
    pop3,
    /** The API body fields for this mailbox. */
    fields: (overrides: Record<string, unknown> = {}) => ({
      email: MAILBOX.email,
      login: MAILBOX.login,
      password,
      smtp: { host: '127.0.0.1', port: smtp.port, security: 'tls' },
      incoming: { protocol: 'pop3', host: '127.0.0.1', port: pop3.port, security: 'tls' },
      ...overrides,
    }),
    async close() {
      for (const timer of timers) clearTimeout(timer);
      await smtp.close();
      await pop3.close();
    },
  };
}
