import nodemailer from 'nodemailer';
import type { IncomingSettings } from '../../src/domain/mailbox/connection.js';
import { parseAllowList } from '../../src/mail/net/allow-list.js';
import { createMailTargetResolver } from '../../src/mail/net/mail-target-policy.js';
import { createPop3Mailbox } from '../../src/mail/pop3/pop3-mailbox.js';
import type { Sandbox } from '../../src/sandbox/sandbox.js';

/** An SMTP submission client of the sandbox, signed in as `user`. */
export const sandboxSmtp = (sandbox: Sandbox, user: string, pass: string) =>
  nodemailer.createTransport({
    host: '127.0.0.1',
    port: sandbox.smtpPort,
    secure: false,
    ignoreTLS: true,
    auth: { user, pass },
  });

/** Reads a sandbox mailbox through mailroom's own POP3 adapter, dialled through the allow-list. */
export async function sandboxPop3Messages(sandbox: Sandbox, user: string, pass: string) {
  const pop3 = createPop3Mailbox({
    resolver: createMailTargetResolver({
      allowList: parseAllowList(sandbox.allowListEntries().join(',')).entries,
    }),
    trustedCa: [],
  });
  const settings: IncomingSettings = {
    protocol: 'pop3',
    host: '127.0.0.1',
    port: sandbox.pop3Port,
    security: 'none',
    pinnedCert: null,
    auth: { type: 'password', user, pass },
  };
  const session = await pop3.open(settings, { deadline: Date.now() + 5_000 });
  try {
    const listing = await session.list();
    return { uidsValid: listing.uidsValid, messages: await session.fetchManyBuffers(listing.messages) };
  } finally {
    await session.close();
  }
}
