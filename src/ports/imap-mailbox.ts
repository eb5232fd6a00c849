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

export interface ImapSincePage extends ImapListingPage {
  /**
   * Of these UIDs (≤ one window's), those to leave out: already stored or set aside under this
   * UIDVALIDITY. They are never fetched again, so the next page starts where this one ended.
   */
  skip?: (uids: readonly number[]) => Promise<Set<number>>;
}

export interface ImapSinceListing {
  messages: ImapListedMessage[];
  /** Every message since the moment is in `messages` or was skipped. */
  complete: boolean;
}

/** A listed message: its UID and RFC822.SIZE (null when the server gave none or garbage). */
export interface ImapListedMessage {
  uid: number;
  size: number | null;
}

/** A message to fetch and the most bytes it may deliver (`messageAllowance`). */
export interface ImapWantedMessage {
  uid: number;
  allowed: number;
}

/** What one `fetchRaw` received. */
export interface ImapFetched {
  /** Bodies within their allowance, by UID. */
  raws: Map<number, Buffer>;
  /** UIDs whose body filled more than its allowance: their bytes were dropped. */
  outgrown: number[];
  /** Body bytes received in all, dropped ones included (what the session budget counts). */
  bytes: number;
}

export interface ImapListing {
  messages: ImapListedMessage[];
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
   * UIDVALIDITY change), ascending: one page of at most `page.wanted`, UIDs `page.skip` names
   * left out. `complete` once every recent message is named or skipped.
   */
  listSince(since: Date, page?: ImapSincePage): Promise<ImapSinceListing>;
  /**
   * Raw bytes (BODY.PEEK[]<0.n>: never sets \Seen) of these UIDs, each read no further than one
   * byte past its allowance: a body that fills it is dropped and named in `outgrown`, so a server
   * lying about sizes cannot make a batch hold more than was planned.
   */
  fetchRaw(wanted: readonly ImapWantedMessage[]): Promise<ImapFetched>;
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
