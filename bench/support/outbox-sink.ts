import { SMTPServer } from 'smtp-server';

/** The outbox benchmark's SMTP sink and message bytes, shared by ours and the baseline. */
export interface Sink {
  port: number;
  received: number;
  /** Resolves when the message with this Message-ID has been accepted. */
  accepted(messageId: string): Promise<number>;
  close(): Promise<void>;
}

/** An smtp-server sink on loopback: AUTH PLAIN, no TLS, counts and timestamps messages. */
export async function startSink(): Promise<Sink> {
  const waiting = new Map<string, (at: number) => void>();
  const sink = { received: 0 } as Sink;
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authMethods: ['PLAIN'],
    allowInsecureAuth: true,
    disableReverseLookup: true,
    logger: false,
    size: 10 * 1024 * 1024,
    onAuth: (_auth, _session, cb) => cb(null, { user: 'bench' }),
    onData(stream, _session, cb) {
      let head = '';
      stream.on('data', (chunk: Buffer) => {
        if (head.length < 2048) head += chunk.toString('latin1');
      });
      stream.on('end', () => {
        sink.received++;
        const id = /^Message-ID: (<[^>]+>)/im.exec(head)?.[1];
        if (id) {
          const w = waiting.get(id);
          if (w) {
            waiting.delete(id);
            w(performance.now());
          }
        }
        cb(null);
      });
    },
  });
  server.on('error', () => {});
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  sink.port = (server.server.address() as { port: number }).port;
  sink.accepted = (messageId) => new Promise((resolve) => waiting.set(messageId, resolve));
  sink.close = () => new Promise<void>((r) => server.close(() => r()));
  return sink;
}

export const mimeOf = (messageId: string, to: string, subject = 'Outbox benchmark') =>
  Buffer.from(
    [
      'From: Bench <bench@firma.example>',
      `To: ${to}`,
      `Subject: ${subject}`,
      `Message-ID: ${messageId}`,
      'Date: Fri, 04 Dec 2026 05:00:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 7bit',
      '',
      ...Array.from(
        { length: 12 },
        (_, i) => `Line ${i} of a short comment written in a task, as clients get them.`,
      ),
      '',
    ].join('\r\n'),
  );
