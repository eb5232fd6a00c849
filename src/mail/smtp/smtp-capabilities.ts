/** What a probe reports from an EHLO reply (M18). */
export interface SmtpCapabilities {
  /** Extension keywords, upper-case, in the server's order (capped). */
  extensions: string[];
  authMethods: string[];
  /** SIZE limit in bytes; 0 when SIZE is advertised without a number; null when absent. */
  size: number | null;
  smtpUtf8: boolean;
  pipelining: boolean;
  startTls: boolean;
  eightBitMime: boolean;
}

const MAX_EXTENSIONS = 40;
const MAX_AUTH_METHODS = 20;

/**
 * Parses an EHLO reply (`250-name`, `250-AUTH PLAIN LOGIN`, `250 SIZE 35882577`, …). The first
 * line is the server's name, not an extension. Tokens are length-capped so a hostile reply
 * cannot fill the probe result.
 */
export function parseEhloReply(reply: string): SmtpCapabilities {
  const lines = reply
    .split(/\r?\n/)
    .map((line) => line.replace(/^\d{3}[ -]?/, '').trim())
    .slice(1)
    .filter((line) => line.length > 0);
  const caps: SmtpCapabilities = {
    extensions: [],
    authMethods: [],
    size: null,
    smtpUtf8: false,
    pipelining: false,
    startTls: false,
    eightBitMime: false,
  };
  for (const line of lines) {
    const [rawKeyword = '', ...params] = line.split(/[\s=]+/);
    const keyword = rawKeyword.toUpperCase().slice(0, 40);
    if (!/^[A-Z0-9][A-Z0-9-]*$/.test(keyword)) continue;
    if (caps.extensions.length < MAX_EXTENSIONS && !caps.extensions.includes(keyword))
      caps.extensions.push(keyword);
    switch (keyword) {
      case 'AUTH':
        for (const method of params) {
          const name = method.toUpperCase().slice(0, 40);
          if (
            /^[A-Z0-9_-]+$/.test(name) &&
            !caps.authMethods.includes(name) &&
            caps.authMethods.length < MAX_AUTH_METHODS
          )
            caps.authMethods.push(name);
        }
        break;
      case 'SIZE': {
        const n = Number(params[0]);
        caps.size = Number.isSafeInteger(n) && n >= 0 ? n : 0;
        break;
      }
      case 'SMTPUTF8':
        caps.smtpUtf8 = true;
        break;
      case 'PIPELINING':
        caps.pipelining = true;
        break;
      case 'STARTTLS':
        caps.startTls = true;
        break;
      case '8BITMIME':
        caps.eightBitMime = true;
        break;
    }
  }
  return caps;
}
