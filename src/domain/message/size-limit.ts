/**
 * The message size against the server's announced SIZE (RFC 1870, SECURITY §7 case 27), checked
 * before MAIL FROM/DATA so a too-big email fails with the "too big" catalogue entry instead of
 * being cut off mid-transfer. `announced` is the EHLO `SIZE` value: absent, null or 0 means
 * the server announced no fixed limit. `size` is the message in octets with CRLF line endings,
 * before dot-stuffing (what RFC 1870 counts).
 */
export type SizeVerdict = 'ok' | 'too_large';

export function checkMessageSize(announced: number | null | undefined, size: number): SizeVerdict {
  if (announced === null || announced === undefined || !Number.isFinite(announced) || announced <= 0)
    return 'ok';
  return size > announced ? 'too_large' : 'ok';
}

/** The SIZE value from an EHLO keyword line (`SIZE 35882577`), or null when none is announced. */
export function announcedSize(ehloLine: string): number | null {
  const match = /^SIZE(?:[ =](\d{1,15}))?\s*$/i.exec(ehloLine.trim());
  if (!match) return null;
  const value = Number(match[1] ?? 0);
  return value > 0 ? value : null;
}
