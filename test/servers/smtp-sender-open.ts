import { createSmtpSender, type SmtpSenderTimeouts } from '../../src/mail/smtp/smtp-sender.js';
import type { SenderConnection } from '../../src/ports/mail-sender.js';
import { createLoopbackResolver } from './loopback-resolver.js';

/** Opens a sending connection to a plain test server on 127.0.0.1 (AUTH PLAIN, no TLS); throws if it fails. */
export async function openLoopbackSender(
  port: number,
  timeouts: Partial<SmtpSenderTimeouts> = {},
): Promise<SenderConnection> {
  const r = await createSmtpSender({ resolver: createLoopbackResolver(), timeouts }).open(
    {
      host: '127.0.0.1',
      port,
      security: 'none',
      pinnedCert: null,
      auth: { type: 'password', user: 'u@firma.example', pass: 'secret' },
    },
    {},
  );
  if (!r.ok) throw new Error(`open failed: ${JSON.stringify(r.failure)}`);
  return r.connection;
}
