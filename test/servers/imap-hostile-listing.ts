import type { IncomingSettings } from '../../src/domain/mailbox/connection.js';
import { type FakeImapOptions, IMAP_PASSWORD } from './imap-script-server.js';

/**
 * `extra` for fakeImap: answers UID FETCH with `count` FETCH responses (Infinity: until the
 * client goes away), as a server announcing millions of messages would.
 */
export function hostileFetchListing(count: number): NonNullable<FakeImapOptions['extra']> {
  return async (tag, command, args, conn) => {
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
