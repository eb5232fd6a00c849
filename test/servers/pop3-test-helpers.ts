import type { MailAuth, MailSecurity, PinnedCertificate } from '../../src/domain/mailbox/connection.js';
import { Pop3Client } from '../../src/mail/pop3/pop3-client.js';
import type { Pop3Limits, Pop3Timeouts } from '../../src/mail/pop3/pop3-options.js';
import { testCaPem } from '../helpers/tls-fixtures.js';
import type { Pop3FakeServer } from './pop3-fake-server.js';

export const PASSWORD_AUTH: MailAuth = { type: 'password', user: 'user', pass: 'secret' };

export interface TestClientOptions {
  security?: MailSecurity;
  pinnedCert?: PinnedCertificate | null;
  trustCa?: boolean;
  limits?: Partial<Pop3Limits>;
  timeouts?: Partial<Pop3Timeouts>;
  deadline?: number;
}

/** Dials the fake server with short, test-sized deadlines (the test CA trusted by default). */
export function dialFake(server: Pop3FakeServer, o: TestClientOptions = {}): Promise<Pop3Client> {
  return Pop3Client.dial({
    target: { host: 'localhost', address: server.host, port: server.port },
    security: o.security ?? 'none',
    pinnedCert: o.pinnedCert ?? null,
    trustedCa: o.trustCa === false ? [] : [testCaPem()],
    limits: o.limits,
    timeouts: { connectMs: 2_000, commandMs: 2_000, sessionMs: 10_000, ...o.timeouts },
    deadline: o.deadline,
  });
}

/** Dial → TLS/STLS per mode → greeting → CAPA → login: a ready session. */
export async function openFake(
  server: Pop3FakeServer,
  o: TestClientOptions & { auth?: MailAuth } = {},
): Promise<Pop3Client> {
  const client = await dialFake(server, o);
  if (o.security === 'tls') await client.startTls();
  await client.readGreeting();
  await client.capa();
  if (o.security === 'starttls') await client.stls();
  await client.login(o.auth ?? PASSWORD_AUTH);
  return client;
}

/** Reads a whole stream into one Buffer. */
export async function collect(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part);
  return Buffer.concat(parts);
}
