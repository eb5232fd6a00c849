import { expand } from './imap-large-mailbox.js';
import type { FakeImapOptions } from './imap-script-server.js';

/** A message of the lying INBOX: UID `seq`, ASCII only (the fake writes strings). */
export interface LyingMessage {
  raw: string;
  /** RFC822.SIZE as listed; null leaves it out of the FETCH response; default: the truth. */
  listSize?: number | null;
}

export interface LyingSeen {
  /** Each body FETCH: the UIDs it named and the byte range asked for (null: the whole body). */
  bodyFetches: { uids: number[]; maxLength: number | null }[];
  /** Body bytes the server sent. */
  sent: number;
}

/**
 * `extra` for fakeImap: an INBOX of `messages` (UID = sequence number) whose RFC822.SIZE is
 * whatever `listSize` says. Body FETCHes honour `BODY.PEEK[]<0.n>` unless `ignoreRange`, in
 * which case the whole body is sent whatever was asked. Bodies are written with back-pressure
 * (`writeMany`), so the server holds little of what it sends.
 */
export function lyingSizes(
  messages: readonly LyingMessage[],
  opts: { ignoreRange?: boolean } = {},
): { extra: NonNullable<FakeImapOptions['extra']>; seen: LyingSeen } {
  const seen: LyingSeen = { bodyFetches: [], sent: 0 };
  const count = messages.length;
  const extra: NonNullable<FakeImapOptions['extra']> = async (tag, command, args, conn) => {
    if (command === 'SELECT' || command === 'EXAMINE') {
      conn.write(
        `* ${count} EXISTS\r\n* OK [UIDVALIDITY 55] ok\r\n* OK [UIDNEXT ${count + 1}] next\r\n${tag} OK done\r\n`,
      );
      return true;
    }
    if (command !== 'UID' || args[0]?.toUpperCase() !== 'FETCH') return false;
    const items = args.slice(2).join(' ');
    const uids = expand(args[1] as string, count).filter((u) => u >= 1 && u <= count);
    const range = /BODY\.PEEK\[\]<0\.(\d+)>/i.exec(items);
    if (!/BODY/i.test(items)) {
      const lines = uids.map((u) => {
        const m = messages[u - 1] as LyingMessage;
        const size = m.listSize === undefined ? m.raw.length : m.listSize;
        return `* ${u} FETCH (UID ${u}${size === null ? '' : ` RFC822.SIZE ${size}`})\r\n`;
      });
      await conn.writeMany([...lines, `${tag} OK FETCH completed\r\n`]);
      return true;
    }
    const maxLength = range ? Number(range[1]) : null;
    seen.bodyFetches.push({ uids, maxLength });
    function* bodies(): Generator<string> {
      for (const u of uids) {
        const raw = (messages[u - 1] as LyingMessage).raw;
        const body = maxLength === null || opts.ignoreRange ? raw : raw.slice(0, maxLength);
        seen.sent += body.length;
        yield `* ${u} FETCH (UID ${u} BODY[]${range ? '<0>' : ''} {${body.length}}\r\n`;
        for (let at = 0; at < body.length; at += 64 * 1024) yield body.slice(at, at + 64 * 1024);
        yield ')\r\n';
      }
      yield `${tag} OK FETCH completed\r\n`;
    }
    await conn.writeMany(bodies());
    return true;
  };
  return { extra, seen };
}
