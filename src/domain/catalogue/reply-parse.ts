/** RFC 3463 enhanced status code split into its parts. */
export interface EnhancedCode {
  /** 2 success, 4 temporary, 5 permanent. */
  cls: number;
  /** 1 address, 2 mailbox, 3 mail system, 4 network, 5 protocol, 6 content, 7 security/policy. */
  subject: number;
  detail: number;
  /** Normalised `c.s.d`. */
  code: string;
}

/** What an SMTP-style reply line starts with. */
export interface ParsedReply {
  replyCode?: number;
  enhancedCode?: string;
}

// DSN field names and the diagnostic-type prefix (`Status: 5.1.1`, `smtp; 550 …`, `X-Postfix; …`).
const DSN_PREFIX = /^\s*(?:(?:status|diagnostic-code):\s*)?(?:[a-z][a-z0-9-]{0,15};\s*)?/i;
const REPLY_CODE = /^\s*([2-5]\d\d)(?=[ -]|$)[ -]?/;
// Bounded digit runs and a negative lookahead so `4.16.55.1` (an IP or a version) never parses.
const ENHANCED_AT_START = /^\s*#?([245])\.(\d{1,3})\.(\d{1,3})(?![.\d])/;

/** Parses `c.s.d` (class 2, 4 or 5); undefined for anything else. */
export function parseEnhanced(code: string | undefined): EnhancedCode | undefined {
  if (!code) return undefined;
  const m = /^\s*([245])\.(\d{1,3})\.(\d{1,3})\s*$/.exec(code);
  if (!m) return undefined;
  const cls = Number(m[1]);
  const subject = Number(m[2]);
  const detail = Number(m[3]);
  return { cls, subject, detail, code: `${cls}.${subject}.${detail}` };
}

/**
 * Reads the reply code and enhanced status code from the start of an SMTP reply (or a DSN
 * diagnostic such as `smtp; 550 5.1.1 …`, or a bare `5.1.1 …` status).
 */
export function parseSmtpReply(line: string): ParsedReply {
  let rest = line.slice(0, 64).replace(DSN_PREFIX, '');
  const out: ParsedReply = {};
  const code = REPLY_CODE.exec(rest);
  if (code?.[1]) {
    out.replyCode = Number(code[1]);
    rest = rest.slice(code[0].length);
  }
  const enhanced = ENHANCED_AT_START.exec(rest);
  if (enhanced) out.enhancedCode = `${enhanced[1]}.${Number(enhanced[2])}.${Number(enhanced[3])}`;
  return out;
}
