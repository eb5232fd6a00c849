import { RAW_EHLO, type RawSmtpConnection, type RawSmtpScenario } from './smtp-raw-server.js';

/** Where the server stops answering and starts sending blank lines. */
export type FloodPoint = 'greeting' | 'tls-greeting' | 'ehlo' | 'starttls-ehlo' | 'data';

export interface FloodScenario {
  scenario: RawSmtpScenario;
  /** Bytes of flood the server handed to its socket (kernel buffers included, so an upper bound). */
  sent(): number;
}

const CHUNK = '\r\n'.repeat(32 * 1024);

/**
 * A server that answers normally up to `at`, then sends CRLF until the client hangs up (or
 * `maxBytes`). nodemailer queues every line but skips blank ones one per event-loop turn, so
 * without a cap of our own the queue, and the process, grow for as long as the flood lasts.
 *   greeting       after `220`, before any EHLO reply (the probe's first step)
 *   tls-greeting   the same over implicit TLS
 *   ehlo           instead of the EHLO reply
 *   starttls-ehlo  instead of the EHLO reply inside TLS, after STARTTLS
 *   data           instead of the reply to the final dot (the sender waits 10 minutes for it)
 */
export function blankLineFlood(at: FloodPoint, maxBytes = Number.POSITIVE_INFINITY): FloodScenario {
  let sent = 0;
  const flood = async (conn: RawSmtpConnection): Promise<void> => {
    await conn.writeMany(
      (function* () {
        while (sent < maxBytes) {
          sent += CHUNK.length;
          yield CHUNK;
        }
      })(),
    );
    await conn.closed;
  };
  const scenario: RawSmtpScenario = async (conn) => {
    if (at === 'tls-greeting') await conn.startTls();
    conn.write('220 flood.localhost ESMTP\r\n');
    if (at === 'greeting' || at === 'tls-greeting') return flood(conn);
    for (;;) {
      const line = await conn.readLine();
      if (line === null) return;
      const verb = line.split(' ')[0]?.toUpperCase() ?? '';
      if (verb === 'EHLO') {
        if (at === 'ehlo') return flood(conn);
        conn.write(at === 'starttls-ehlo' ? RAW_EHLO.withStartTls : RAW_EHLO.secure);
      } else if (verb === 'STARTTLS') {
        conn.write('220 2.0.0 Ready to start TLS\r\n');
        await conn.startTls();
        await conn.readLine();
        return flood(conn);
      } else if (verb === 'DATA') {
        conn.write('354 go ahead\r\n');
        while ((await conn.readLine()) !== '.') if (!conn.isOpen) return;
        return flood(conn);
      } else if (verb === 'QUIT') return conn.write('221 2.0.0 Bye\r\n');
      else if (verb === 'AUTH') conn.write('235 2.7.0 Authentication successful\r\n');
      else conn.write('250 2.0.0 OK\r\n');
    }
  };
  return { scenario, sent: () => sent };
}
