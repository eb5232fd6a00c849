import type { Readable } from 'node:stream';
import type { IncomingSettings } from '../domain/mailbox/connection.js';
import type { ProbeResult } from '../domain/mailbox/probe.js';
import type { ProbeOptions } from './mail-probes.js';

/** One message on the server, as listed in the current session. */
export interface IncomingMessageRef {
  /** Position in this session's listing (POP3 message number); valid for this session only. */
  seq: number;
  /** The server's unique id (POP3 UIDL), or null when it sent none or an invalid one. */
  uid: string | null;
  /** Size in octets as the server announced it. */
  size: number;
  /**
   * False when the id is missing, malformed or duplicated: do not dedupe by it, fall
   * back to a content hash (M37, SECURITY.md §4.2 "UIDL abuse").
   */
  uidValid: boolean;
}

/**
 * Carried by a fetch's error (`outgrown`) when a message delivered more than its listed size
 * allows (`listedSizeAllowance`): the fetch was stopped there and the session is gone.
 */
export interface OutgrownMessage {
  seq: number;
  /** The size the listing announced. */
  listed: number;
  /** Where the body was stopped. */
  allowed: number;
  /**
   * SHA-256 of its header section when the bytes received held all of it (`headerDigest`):
   * what names a message without a usable UIDL at later polls.
   */
  headerSha256?: string;
}

export interface IncomingListing {
  messages: IncomingMessageRef[];
  /** The server answered UIDL at all. */
  uidlSupported: boolean;
  /** Every message has a valid, unique id. */
  uidsValid: boolean;
}

export interface IncomingOpenOptions {
  /** Absolute deadline (ms since epoch) for the whole session. */
  deadline: number;
  signal?: AbortSignal;
}

/**
 * A logged-in session. Calls run one at a time; consume or destroy a fetched stream
 * before the next call. Deletions take effect only on `close()` (POP3 QUIT), so store
 * fetched messages durably before closing (M37).
 */
export interface IncomingSession {
  list(): Promise<IncomingListing>;
  /** The raw message bytes (RFC 5322, CRLF, 8-bit untouched). A uid must be valid and unique. */
  fetch(message: IncomingMessageRef | string): Promise<Readable>;
  fetchBuffer(message: IncomingMessageRef | string): Promise<Buffer>;
  /**
   * Several messages, in order; pipelined where the server allows it (batch ingestion), with
   * up to `inFlight` requests outstanding (the adapter's default when not given). A message
   * may deliver at most `listedSizeAllowance(size)` octets: one that sends more rejects the
   * call with an error carrying `outgrown` (and a `limit` failure), and ends the session.
   */
  fetchManyBuffers(
    messages: readonly (IncomingMessageRef | string)[],
    options?: { inFlight?: number },
  ): Promise<Buffer[]>;
  /**
   * SHA-256 of the message's header section (TOP n 0, at most `maxBytes`), the digest an
   * `outgrown` failure carries; null when the server sent no whole header section; `refused`
   * when the server refused TOP (asked once per session: after that, not asked again).
   */
  headerDigest(message: IncomingMessageRef, maxBytes: number): Promise<string | null | 'refused'>;
  /** Marks a message for deletion, applied by a successful `close()`. */
  delete(message: IncomingMessageRef | string): Promise<void>;
  /** Ends the session cleanly, committing deletions. */
  close(): Promise<void>;
  /** Drops the connection; pending deletions are not applied. */
  abort(): void;
}

/**
 * Incoming mail port (POP3 now, IMAP later). Connection settings are data passed on every
 * call (STYLE rule 4); failures are errors carrying a `failure: MailFailure`.
 */
export interface IncomingMailbox {
  probe(settings: IncomingSettings, options: ProbeOptions): Promise<ProbeResult>;
  open(settings: IncomingSettings, options: IncomingOpenOptions): Promise<IncomingSession>;
}
