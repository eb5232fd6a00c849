/**
 * The composer the enqueue uses (CONTRACTS.md, `composeOutgoing` in
 * src/mail/message/compose-outgoing.ts): builds frozen MIME bytes, never talks SMTP.
 */
export interface MailboxName {
  email: string;
  name?: string;
}

export interface OutgoingDraft {
  from: MailboxName;
  to: MailboxName[];
  replyTo?: MailboxName | null;
  bcc?: MailboxName[];
  subject: string;
  text: string;
  html?: string;
  messageId: string;
  inReplyTo?: string | null;
  references?: string[];
  attachments?: { filename: string; contentType: string; content: Buffer; contentId?: string }[];
  date: Date;
}

export interface ComposedEmail {
  mime: Buffer;
  size: number;
  envelope: { from: string; to: string[] };
  requiresSmtpUtf8: boolean;
}

export type ComposeOutgoing = (draft: OutgoingDraft) => Promise<ComposedEmail>;
