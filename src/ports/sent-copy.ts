/**
 * Copy in Sent (issue 9 item 4): after the server accepted an email, the worker asks for a copy
 * in the mailbox's Sent folder. A failed append never changes the email's state; the outcome is
 * stored beside it (`outgoing_messages.sent_copy`, `sent_copy_detail`).
 */
export interface SentCopyOutcome {
  status: 'done' | 'failed' | 'skipped';
  /** Folder used, or why skipped/failed (a normalised MailFailure, never credentials). */
  detail?: Record<string, unknown>;
}

export interface SentCopier {
  /** Appends the frozen MIME to the Sent folder of the address (IMAP only; others → skipped). */
  append(workspaceId: string, addressId: string, mime: Buffer, signal: AbortSignal): Promise<SentCopyOutcome>;
}
