/** Where the header block ends (the first empty line), or the whole buffer when it does not. */
function headerBlock(raw: Buffer): string {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  const ends = [crlf, lf].filter((i) => i >= 0);
  const end = ends.length > 0 ? Math.min(...ends) : raw.length;
  // Header names and Message-IDs are ASCII; latin1 keeps every byte one character.
  return raw.subarray(0, end).toString('latin1');
}

/**
 * The first value of one header in a message's header block, unfolded and trimmed (RFC 5322
 * §2.2.3), or null. Enough for finding our own Message-ID again; not a general parser.
 */
export function headerValue(raw: Buffer, name: string): string | null {
  const unfolded = headerBlock(raw).replace(/\r?\n[ \t]+/g, ' ');
  const wanted = name.toLowerCase();
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    if (line.slice(0, colon).trim().toLowerCase() === wanted) return line.slice(colon + 1).trim();
  }
  return null;
}

/** True when the message's Message-ID is exactly `messageId` (angle brackets included). */
export function hasMessageId(raw: Buffer, messageId: string): boolean {
  const value = headerValue(raw, 'message-id');
  return value !== null && value.replace(/\s+/g, '') === messageId;
}
