/**
 * Line-ending rules for the bytes we hand to an SMTP server (SECURITY §3.3, §7 case 22):
 * CRLF only, no lone CR or LF, no NUL, no line over 998 octets (RFC 5322 §2.1.1).
 */

/** A body with every line break as CRLF (a lone CR or LF becomes one) and NUL removed. */
export function normalizeBody(body: string): string {
  return String(body ?? '')
    .replace(/\0/g, '')
    .replace(/\r\n|\r|\n/g, '\r\n');
}

/** Where the bytes break the wire rules, or null when they are safe. */
export function wireProblem(bytes: Buffer): string | null {
  let lineStart = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0) return `NUL at ${i}`;
    if (b === 0x0d) {
      if (bytes[i + 1] !== 0x0a) return `lone CR at ${i}`;
      if (i - lineStart > 998) return `line over 998 octets at ${lineStart}`;
      i++;
      lineStart = i + 1;
    } else if (b === 0x0a) {
      return `lone LF at ${i}`;
    }
  }
  if (bytes.length - lineStart > 998) return `line over 998 octets at ${lineStart}`;
  return null;
}

/** Throws when the composer ever produced bytes that break the wire rules (a bug, not input). */
export function assertWireSafe(bytes: Buffer): void {
  const problem = wireProblem(bytes);
  if (problem) throw new Error(`Composed message is not wire-safe: ${problem}`);
}
