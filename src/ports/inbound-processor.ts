/**
 * Reading stored mail (issue 10 items 4–6): the poller stores each message's raw bytes durably
 * (an `inbound_messages` row) and then hands its id here. Processing classifies it (reply,
 * bounce, auto-reply, new mail, our own test email, unreadable), threads it into a task and
 * records the outcome on the row; it must be idempotent (a crash may hand the same row twice).
 */
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
}
