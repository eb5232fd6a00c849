import { createImapMailbox } from '../../src/mail/imap/imap-session.js';
import type { ImapMailboxSession } from '../../src/ports/imap-mailbox.js';
import { testCaPem } from '../helpers/tls-fixtures.js';
import { imapSettings } from './imap-hostile-listing.js';
import { type FakeImapOptions, fakeImap } from './imap-script-server.js';
import { createLoopbackResolver } from './loopback-resolver.js';
import { type RawSmtpServer, startRawSmtpServer } from './smtp-raw-server.js';

/**
 * A collection session (our real adapter) on a fakeImap server on 127.0.0.1 answering with
 * `extra`; the server joins `servers` for the caller to close.
 */
export async function openFakeImapSession(
  servers: RawSmtpServer[],
  extra: FakeImapOptions['extra'],
  maxListedMessages?: number,
): Promise<ImapMailboxSession> {
  const s = await startRawSmtpServer(fakeImap({ extra }));
  servers.push(s);
  const mailbox = createImapMailbox({ resolver: createLoopbackResolver(), trustedCa: [testCaPem()] });
  return mailbox.open(imapSettings(s.port), {
    deadline: Date.now() + 60_000,
    ...(maxListedMessages ? { maxListedMessages } : {}),
  });
}
