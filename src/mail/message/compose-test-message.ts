import { cleanHeaderText, NAME_MAX } from '../../domain/message/header-safety.js';
import type { OutgoingTestMessage } from '../../ports/mail-probes.js';
import { buildMime } from './compose-outgoing-build.js';
import { assertWireSafe, normalizeBody } from './compose-outgoing-wire.js';

/**
 * The test email as RFC 5322 bytes, built by nodemailer's composer (encoding, line length,
 * header folding) with file and URL access off. The display name is the address's stored
 * name: invisible format characters (zero-width, bidi) are stripped from it, and a name that
 * is still unsafe is left out rather than failing the test (M55). The other header values
 * come from our own code; CR/LF/NUL in them is refused.
 */
export async function composeTestMessage(address: string, message: OutgoingTestMessage): Promise<Buffer> {
  for (const value of [message.subject, message.messageId, ...Object.values(message.headers)]) {
    if (/[\r\n\0]/.test(value)) throw new Error('Refusing a header value with CR, LF or NUL');
  }
  const name = cleanHeaderText(message.fromName, '/fromName', NAME_MAX);
  const raw = await buildMime({
    from: name.ok && name.value ? { name: name.value, address } : address,
    to: address,
    subject: message.subject,
    text: normalizeBody(message.text),
    messageId: message.messageId,
    date: message.date,
    headers: message.headers,
  });
  assertWireSafe(raw);
  return raw;
}
