/**
 * Reading stored mail (issue 10 items 4–6): the poller stores each message's raw bytes durably
 * (an `inbound_messages` row) and then hands its id here. Processing classifies it (reply,
 * bounce, auto-reply, new mail, our own test email, unreadable), threads it into a task and
 * records the outcome on the row; it must be idempotent (a crash may hand the same row twice).
 */
/** An outcome settled without a comment, task or bounce: written into the stored row itself. */
export interface SettledOutcome {
  status: 'processed';
  kind: 'unmatched' | 'auto_reply' | 'test';
  processError?: Record<string, unknown> | null;
}

export interface InboundProcessor {
  process(workspaceId: string, inboundMessageId: string, signal?: AbortSignal): Promise<void>;
  /**
   * Many rows of one workspace at once (the poller's batches): same outcome as `process` per
   * row, with the lookups shared. `raw` is passed when the caller still holds the bytes it
   * just stored (saves reading them back).
   */
  processMany?(
    workspaceId: string,
    rows: readonly { id: string; addressId: string | null; raw?: Buffer }[],
    signal?: AbortSignal,
  ): Promise<void>;
  /**
   * Read-only triage before the store, for one collection session of one address (settings
   * read once per session): per message, the outcome it would get when that needs its headers
   * alone and writes nothing but the row (unmatched, automatic replies nobody waits for, our
   * own mail coming back), or null when only processing after the store can tell (a reply, a
   * bounce, a new task, unreadable mail). The caller stores a settled message with its outcome
   * in the same INSERT and never hands it to `process`.
   */
  settlerFor?(
    workspaceId: string,
    addressId: string,
    signal?: AbortSignal,
  ): (raws: readonly Buffer[]) => Promise<(SettledOutcome | null)[]>;
}
