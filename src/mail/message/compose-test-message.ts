import MailComposer from 'nodemailer/lib/mail-composer';
import type { OutgoingTestMessage } from '../../ports/mail-probes.js';

/**
 * The test email as RFC 5322 bytes, built by nodemailer's composer (encoding, line length,
 * header folding). Header values come from our own code and validated addresses; the
 * composer still encodes anything non-ASCII, and CR/LF cannot reach a header (M55).
 */
export function composeTestMessage(address: string, message: OutgoingTestMessage): Promise<Buffer> {
  for (const value of [
    message.fromName,
    message.subject,
    message.messageId,
    ...Object.values(message.headers),
  ]) {
    if (/[\r\n\0]/.test(value))
      return Promise.reject(new Error('Refusing a header value with CR, LF or NUL'));
  }
  const composer = new MailComposer({
    from: { name: message.fromName, address },
    to: address,
    subject: message.subject,
    text: message.text,
    messageId: message.messageId,
    date: message.date,
    headers: message.headers,
  });
  return new Promise((resolve, reject) => {
    composer.compile().build((err, raw) => (err ? reject(err) : resolve(raw)));
  });
}
