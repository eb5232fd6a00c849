import type { IncomingSettings } from '../../src/domain/mailbox/connection.js';
import { type FakeImapOptions, IMAP_PASSWORD } from './imap-script-server.js';

/**
 * `extra` for fakeImap: SELECT announces `count` messages (at most a million), and every UID
 * FETCH, whatever range it names, is answered with `count` FETCH responses (Infinity: until the
 * client goes away), as a server announcing millions of messages would.
 */
export function hostileFetchListing(count: number): NonNullable<FakeImapOptions['extra']> {
  const exists = Math.min(count, 1_000_000);
  return async (tag, command, args, conn) => {
    if (command === 'SELECT' || command === 'EXAMINE') {
      conn.write(
        `* ${exists} EXISTS\r\n* OK [UIDVALIDITY 1234] ok\r\n* OK [UIDNEXT ${exists + 1}] next\r\n${tag} OK done\r\n`,
      );
      return true;
    }
    if (command !== 'UID' || args[0]?.toUpperCase() !== 'FETCH') return false;
    function* responses(): Generator<string> {
      const perChunk = 1_000;
      for (let uid = 1; uid <= count; uid += perChunk) {
        let chunk = '';
        for (let u = uid; u < uid + perChunk && u <= count; u++)
          chunk += `* ${u} FETCH (UID ${u} RFC822.SIZE 100)\r\n`;
        yield chunk;
      }
      yield `${tag} OK UID FETCH completed\r\n`;
    }
    await conn.writeMany(responses());
    return true;
  };
}

/**
 * `extra` for fakeImap: answers UID FETCH with one FETCH response of about `lines` × 30,000
 * atoms, lines joined by empty literals so no line passes the 64 KiB line cap: ~2 MB on the
 * wire, one parse-tree node per two bytes.
 */
export function tokenFloodFetch(lines: number): NonNullable<FakeImapOptions['extra']> {
  return async (tag, command, args, conn) => {
    if (command !== 'UID' || args[0]?.toUpperCase() !== 'FETCH') return false;
    const atoms = 'a '.repeat(30_000);
    conn.write(
      `* 1 FETCH (UID 1 RFC822.SIZE 5 X (${`${atoms}{0}\r\n`.repeat(lines)}))\r\n${tag} OK done\r\n`,
    );
    return true;
  };
}

/** Incoming settings for fakeImap on 127.0.0.1 (plain text: the fake has no TLS unless asked). */
export function imapSettings(port: number): IncomingSettings {
  return {
    protocol: 'imap',
    host: 'localhost',
    port,
    security: 'none',
    pinnedCert: null,
    auth: { type: 'password', user: 'alice', pass: IMAP_PASSWORD },
  };
}
