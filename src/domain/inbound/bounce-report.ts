/** One failed (or delayed) recipient of a bounce report. */
export interface BounceRecipient {
  /** The address that failed, lower-cased; '' when the report does not say. */
  recipient: string;
  /** RFC 3464 action: failed | delayed | delivered | relayed | expanded. */
  action: 'failed' | 'delayed' | 'delivered' | 'relayed' | 'expanded';
  /** RFC 3463 status `5.1.1`, or '' when absent. */
  status: string;
  /** The remote server's words (`smtp; 550 5.1.1 … User unknown`), capped. */
  diagnostic: string;
  remoteMta: string;
}

/** Which shape the report had: the standard one or a recognised non-standard text. */
export type BounceFormat =
  | 'rfc3464'
  | 'postfix'
  | 'exim'
  | 'sendmail'
  | 'qmail'
  | 'exchange'
  | 'gmail'
  | 'yahoo'
  | 'polish'
  | 'generic';

export interface BounceReport {
  format: BounceFormat;
  recipients: BounceRecipient[];
  /** The report's From address (lower-cased), '' when it has none. */
  sender: string;
  /** Sent by a mail system (`mailSystemSender`: null Return-Path, else a mailer-daemon-like From). */
  fromMailSystem: boolean;
  /**
   * A standard report (rfc3464) is matched only by these: its returned copy's Message-ID, else
   * its In-Reply-To. Null for the non-standard texts, matched by every id they carry.
   */
  reportIds: string[] | null;
  /** The Message-ID of the email that bounced, from the returned headers (lower-cased). */
  originalMessageId: string | null;
  /** Every Message-ID seen in the returned part or text: fallbacks for matching. */
  referencedIds: string[];
  /** Addresses mentioned in the report's text: matched against the original's recipients. */
  mentionedAddresses: string[];
  /** True when at least one recipient failed for good (not only delayed / delivered). */
  permanent: boolean;
}
