import type { ImapMailboxSession } from '../../src/ports/imap-mailbox.js';

/** A server whose INBOX lists `count` new messages, every one far over the size cap. */
export function hugeListing(count: number, fetches: number[][]): ImapMailboxSession {
  const listed = Array.from({ length: count }, (_, i) => ({ uid: i + 1, size: 2 ** 40 }));
  const unused = async (): Promise<never> => {
    throw new Error('not used');
  };
  return {
    select: async () => ({ uidValidity: '7', uidNext: count + 1, exists: count, idle: false }),
    listAfter: async (after) => ({
      messages: listed.filter((m) => m.uid > after),
      through: count,
      complete: true,
    }),
    listSince: unused,
    fetchRaw: async (wanted) => {
      if (wanted.length > 0) fetches.push(wanted.map((w) => w.uid));
      return { raws: new Map(), outgrown: [], bytes: 0 };
    },
    delete: unused,
    waitForNew: unused,
    close: async () => {},
    abort: () => {},
  };
}
