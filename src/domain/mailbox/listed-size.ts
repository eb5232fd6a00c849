/**
 * How far a message may outgrow the size the server listed for it (POP3 LIST, RFC 1939 §5:
 * "octets"; IMAP RFC822.SIZE). Servers count differently (stored LF line ends vs CRLF on the wire, dot-stuffing
 * included or not): a line end adds one octet per line, ≈ 1.5 % for mail text; 10 % or 64 KiB,
 * whichever is more, covers that. Anything larger is a server lying about sizes: the client
 * stops the body there, and batches are planned on this allowance, so the bytes a batch holds
 * are bounded by what was planned, whatever the server claims.
 */
export const LISTED_SIZE_SLACK_BYTES = 64 * 1024;
export const LISTED_SIZE_SLACK_RATIO = 0.1;

/** Most octets a message listed at `listed` octets may deliver. */
export function listedSizeAllowance(listed: number): number {
  return listed + Math.max(LISTED_SIZE_SLACK_BYTES, Math.ceil(listed * LISTED_SIZE_SLACK_RATIO));
}

/**
 * Most octets the client lets a message deliver: its listed size plus slack, never more than the
 * message cap; a message listed without a size (an IMAP server may omit RFC822.SIZE) gets the
 * message cap, never 0.
 */
export function messageAllowance(listed: number | null, maxMessageBytes: number): number {
  return listed === null ? maxMessageBytes : Math.min(maxMessageBytes, listedSizeAllowance(listed));
}
