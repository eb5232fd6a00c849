import type { RawSmtpConnection, RawSmtpScenario } from './smtp-raw-server.js';

/** Where the server stops answering and starts dripping a reply it never finishes. */
export type DripPoint = 'mail' | 'rcpt' | 'data' | 'dot' | 'rset';

export interface DripScenario {
  scenario: RawSmtpScenario;
  /** Connections whose drip ended because the client closed them. */
  closedWhileDripping(): number;
  /** Final dots the server read (messages it could have delivered). */
  dots(): number;
}

/**
 * A server that answers normally (PIPELINING unless `pipelining: false`) up to `at`, then sends
 * one byte of a reply every `everyMs` and never its line end: every socket inactivity timer
 * stays quiet, only a wall-clock deadline ends it (SECURITY.md §4.2 "slow drip").
 *   mail  instead of the reply to MAIL FROM
 *   rcpt  instead of the reply to RCPT TO
 *   data  instead of the 354 to DATA
 *   dot   instead of the 250 to the final dot
 *   rset  MAIL FROM refused with 451, then instead of the reply to RSET
 * The first `healthy` messages of each connection go through before the drip starts.
 */
export function dripAt(
  at: DripPoint,
  opts: { everyMs?: number; pipelining?: boolean; healthy?: number } = {},
): DripScenario {
  const everyMs = opts.everyMs ?? 20;
  let closed = 0;
  let dots = 0;
  const drip = async (conn: RawSmtpConnection): Promise<void> => {
    const reply = '250 2.0.0 still thinking about it ';
    for (let i = 0; conn.isOpen; i++) {
      conn.write(reply[i % reply.length]!);
      await Promise.race([new Promise((r) => setTimeout(r, everyMs)), conn.closed]);
    }
    closed++;
  };
  const ehlo = `250-drip.localhost\r\n${opts.pipelining === false ? '' : '250-PIPELINING\r\n'}250 AUTH PLAIN\r\n`;
  const scenario: RawSmtpScenario = async (conn) => {
    conn.write('220 drip.localhost ESMTP\r\n');
    let messages = 0;
    const dripping = () => messages >= (opts.healthy ?? 0);
    for (;;) {
      const line = await conn.readLine();
      if (line === null) return;
      const verb = line.split(/[ :]/)[0]?.toUpperCase() ?? '';
      if (verb === 'EHLO') conn.write(ehlo);
      else if (verb === 'AUTH') conn.write('235 2.7.0 ok\r\n');
      else if (verb === 'MAIL') {
        if (at === 'mail' && dripping()) return drip(conn);
        conn.write(at === 'rset' && dripping() ? '451 4.3.0 try later\r\n' : '250 2.1.0 ok\r\n');
      } else if (verb === 'RCPT') {
        if (at === 'rcpt' && dripping()) return drip(conn);
        conn.write(at === 'rset' && dripping() ? '503 5.5.1 no MAIL\r\n' : '250 2.1.5 ok\r\n');
      } else if (verb === 'DATA') {
        if (at === 'data' && dripping()) return drip(conn);
        if (at === 'rset' && dripping()) {
          conn.write('503 5.5.1 no MAIL\r\n');
          continue;
        }
        conn.write('354 go ahead\r\n');
        while ((await conn.readLine()) !== '.') if (!conn.isOpen) return;
        dots++;
        if (at === 'dot' && dripping()) return drip(conn);
        conn.write(`250 2.0.0 queued as D${++messages}\r\n`);
      } else if (verb === 'RSET') {
        if (at === 'rset' && dripping()) return drip(conn);
        conn.write('250 2.0.0 ok\r\n');
      } else if (verb === 'QUIT') return conn.write('221 2.0.0 bye\r\n');
      else conn.write('250 ok\r\n');
    }
  };
  return { scenario, closedWhileDripping: () => closed, dots: () => dots };
}
