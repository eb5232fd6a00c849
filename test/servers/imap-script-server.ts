import type { FixtureCert } from '../helpers/tls-fixtures.js';
import type { RawSmtpConnection, RawSmtpScenario } from './smtp-raw-server.js';

export const IMAP_PASSWORD = 'Imap-Secret-5';
export const IMAP_TOKEN = 'ya29.imap-token';

export interface FakeImapOptions {
  /** Offer STARTTLS before TLS (and LOGINDISABLED until then). */
  startTls?: boolean;
  /** Advertise STARTTLS (default true when startTls). */
  advertiseStartTls?: boolean;
  cert?: FixtureCert;
  /** Bytes sent right after the STARTTLS OK, before the handshake. */
  inject?: string;
  /** Called instead of the normal reply for a command, e.g. to reset the connection. */
  onCommand?: (command: string, conn: RawSmtpConnection) => boolean;
  /** Answers a command the script does not know (e.g. UID FETCH); resolves false to fall through. */
  extra?: (tag: string, command: string, args: string[], conn: RawSmtpConnection) => Promise<boolean>;
}

/** A small scripted IMAP server: enough of RFC 9051 for imapflow's connect/EXAMINE/LOGOUT. */
export function fakeImap(opts: FakeImapOptions = {}): RawSmtpScenario {
  return async (conn) => {
    let secure = false;
    const caps = (): string => {
      const list = ['IMAP4rev1', 'SASL-IR', 'ID', 'NAMESPACE'];
      if (opts.startTls && !secure) {
        if (opts.advertiseStartTls !== false) list.push('STARTTLS');
        list.push('LOGINDISABLED');
      } else list.push('AUTH=PLAIN', 'AUTH=XOAUTH2');
      return list.join(' ');
    };
    conn.write(`* OK [CAPABILITY ${caps()}] fake ready\r\n`);
    for (;;) {
      const line = await conn.readLine();
      if (line === null) return;
      const [tag = '', rawCommand = '', ...args] = line.split(' ');
      const command = rawCommand.toUpperCase();
      if (opts.onCommand?.(command, conn)) return;
      if (await opts.extra?.(tag, command, args, conn)) continue;
      const authenticated = (ok: boolean): void =>
        conn.write(
          ok
            ? `${tag} OK [CAPABILITY IMAP4rev1 NAMESPACE] Logged in\r\n`
            : `${tag} NO [AUTHENTICATIONFAILED] Authentication failed.\r\n`,
        );
      switch (command) {
        case 'CAPABILITY':
          conn.write(`* CAPABILITY ${caps()}\r\n${tag} OK done\r\n`);
          break;
        case 'STARTTLS':
          conn.write(`${tag} OK Begin TLS negotiation now\r\n${opts.inject ?? ''}`);
          await conn.startTls(opts.cert);
          secure = true;
          break;
        case 'ID':
          conn.write(`* ID NIL\r\n${tag} OK ID completed\r\n`);
          break;
        case 'AUTHENTICATE': {
          let payload = args[1];
          if (payload === undefined) {
            conn.write('+ \r\n');
            payload = (await conn.readLine()) ?? '';
          }
          const decoded = Buffer.from(payload, 'base64').toString('utf8');
          if (args[0]?.toUpperCase() === 'PLAIN')
            authenticated(decoded === `\u0000alice\u0000${IMAP_PASSWORD}`);
          else if (decoded === `user=alice\x01auth=Bearer ${IMAP_TOKEN}\x01\x01`) authenticated(true);
          else {
            conn.write(`+ ${Buffer.from('{"status":"401"}').toString('base64')}\r\n`);
            await conn.readLine();
            authenticated(false);
          }
          break;
        }
        case 'LOGIN':
          authenticated(args[1] === `"${IMAP_PASSWORD}"` || args[1] === IMAP_PASSWORD);
          break;
        case 'LIST':
          conn.write(`* LIST (\\HasNoChildren) "/" INBOX\r\n${tag} OK done\r\n`);
          break;
        case 'NAMESPACE':
          conn.write(`* NAMESPACE (("" "/")) NIL NIL\r\n${tag} OK done\r\n`);
          break;
        case 'EXAMINE':
        case 'SELECT':
          conn.write(
            `* FLAGS (\\Seen)\r\n* 3 EXISTS\r\n* OK [UIDVALIDITY 1234] UIDs valid\r\n* OK [UIDNEXT 9] next\r\n${tag} OK [READ-ONLY] done\r\n`,
          );
          break;
        case 'LOGOUT':
          conn.write(`* BYE bye\r\n${tag} OK Logout completed\r\n`);
          return;
        default:
          conn.write(`${tag} BAD unknown command\r\n`);
      }
    }
  };
}
