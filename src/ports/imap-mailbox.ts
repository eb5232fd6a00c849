import type { IncomingSettings } from '../domain/mailbox/connection.js';

/** INBOX as a session opened it. */
export interface ImapBoxState {
  /** UIDVALIDITY as a decimal string (an unsigned 32-bit number). */
  uidValidity: string;
  uidNext: number;
  exists: number;
  /** The server announced IDLE (RFC 2177). */
  idle: boolean;
}

export interface ImapListingPage {
  /** Stop listing once this many messages are named (default: the listing cap). */
  wanted?: number;
  /** Checked between windows: true stops the listing where it is (shutdown, deadline). */
  stop?: () => boolean;
}

export interface ImapListing {
  messages: { uid: number; size: number }[];
  /** Everything with a UID in (afterUid, through] is in `messages`: a cursor may move here. */
  through: number;
  /** `through` reached the mailbox's end (UIDNEXT − 1 when selected): nothing more to list. */
  complete: boolean;
}

/**
 * One logged-in IMAP session on INBOX (issue 10 item 3). Failures are errors carrying a
 * `failure: MailFailure`, like every mail adapter.
 */
export interface ImapMailboxSession {
  /** SELECT INBOX (read-only unless `writable`, which deleting needs). */
  select(writable: boolean): Promise<ImapBoxState>;
  /**
   * Messages with a UID above `afterUid`, ascending, with their sizes (RFC822.SIZE): one page,
   * read in UID windows, ending once about `page.wanted` are listed (or after a bounded number
   * of windows, or when `page.stop` says so). Every UID up to `through` was looked at.
   */
  listAfter(afterUid: number, page?: ImapListingPage): Promise<ImapListing>;
  /**
   * Messages that arrived (INTERNALDATE) on or after `since`, to the second (re-sync after a
   * UIDVALIDITY change).
   */
  listSince(since: Date): Promise<{ uid: number; size: number }[]>;
  /** Raw bytes (BODY.PEEK[]: never sets \Seen) of these UIDs. */
  fetchRaw(uids: readonly number[]): Promise<Map<number, Buffer>>;
  /** Flags \Deleted and expunges exactly these UIDs. */
  delete(uids: readonly number[]): Promise<void>;
  /**
   * Waits in IDLE until the server announces new messages (true), or `timeoutMs` passes or
   * `signal` aborts (false). `onIdling` runs once the server accepted IDLE (its "+"
   * continuation): from then on new mail is announced (tests wait for it instead of a pause).
   */
  waitForNew(timeoutMs: number, signal: AbortSignal, onIdling?: () => void): Promise<boolean>;
  /** LOGOUT. */
  close(): Promise<void>;
  /** Drops the connection. */
  abort(): void;
}

export interface ImapMailbox {
  open(
    settings: IncomingSettings,
    options: {
      deadline: number;
      signal?: AbortSignal;
      maxMessageBytes?: number;
      /** A listing naming more messages is refused (kind `limit`). */
      maxListedMessages?: number;
    },
  ): Promise<ImapMailboxSession>;
}
