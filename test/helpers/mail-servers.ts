import { Pop3FakeServer } from '../servers/pop3-fake-server.js';
import { type SmtpSink, startSmtpSink } from '../servers/smtp-sink.js';

export const MAILBOX = {
  email: 'anna@firma.example',
  login: 'anna@firma.example',
  password: '  app pass with spaces "quoted" żółć  ',
};

/** A working mailbox on loopback: SMTP (implicit TLS) + POP3 (implicit TLS), both with the test CA's certificate. */
export async function startMailbox(
  opts: { password?: string; smtpScript?: Parameters<typeof startSmtpSink>[0] } = {},
) {
  const password = opts.password ?? MAILBOX.password;
  const smtp: SmtpSink = await startSmtpSink({
    mode: 'tls',
    users: [{ user: MAILBOX.login, password }],
    ...opts.smtpScript,
  });
  const pop3 = await Pop3FakeServer.start({
    implicitTls: true,
    user: MAILBOX.login,
    pass: password,
    messages: [Buffer.from('Subject: hi\r\n\r\nhello\r\n')],
  });
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
      await smtp.close();
      await pop3.close();
    },
  };
}
