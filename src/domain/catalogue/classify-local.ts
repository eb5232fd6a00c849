import type { MailSecurity } from '../mailbox/connection.js';
import type { CertificateProblem } from '../mailbox/mail-failure.js';
import type { Confidence, Provider } from './catalogue-entry.js';
import type { FailureFacts } from './failure-facts.js';

/** Optional facts about the endpoint that sharpen a guess (a silent server on an implicit-TLS port). */
export interface ClassifyHints {
  port?: number;
  security?: MailSecurity;
  /**
   * The provider the address's preset names, used when neither the host nor the reply says
   * (issue 11 item 1: a plain 535 on a Gmail address means the app password).
   */
  provider?: Provider;
}

/** A verdict by entry id, before the entry is looked up. */
export interface Verdict {
  entry: string;
  confidence: Confidence;
}

// Ports where the server speaks TLS first: a client waiting for a plaintext greeting there
// waits forever (SECURITY.md §6 row 29).
const IMPLICIT_TLS_PORTS: ReadonlySet<number> = new Set([465, 993, 995]);

/** Entry per structured certificate problem (set by the TLS adapter). */
export const CERT_PROBLEM_ENTRY: Record<CertificateProblem, string> = {
  self_signed: 'certificate-untrusted',
  untrusted_issuer: 'certificate-untrusted',
  expired: 'certificate-expired',
  not_yet_valid: 'certificate-expired',
  hostname_mismatch: 'certificate-wrong-name',
  pin_mismatch: 'certificate-pin-changed',
  other: 'certificate-invalid',
};

/** Node/OpenSSL verification codes (`err.code` of a TLS socket error) and our pin check. */
export const CERT_CODE_ENTRY: ReadonlyMap<string, string> = new Map([
  ['ERR_MAILROOM_PIN_MISMATCH', 'certificate-pin-changed'],
  ['DEPTH_ZERO_SELF_SIGNED_CERT', 'certificate-untrusted'],
  ['SELF_SIGNED_CERT_IN_CHAIN', 'certificate-untrusted'],
  ['UNABLE_TO_GET_ISSUER_CERT', 'certificate-untrusted'],
  ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'certificate-untrusted'],
  ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'certificate-untrusted'],
  ['CERT_UNTRUSTED', 'certificate-untrusted'],
  ['CERT_HAS_EXPIRED', 'certificate-expired'],
  ['CERT_NOT_YET_VALID', 'certificate-expired'],
  ['ERR_TLS_CERT_ALTNAME_INVALID', 'certificate-wrong-name'],
  ['CERT_REVOKED', 'certificate-invalid'],
  ['CERT_SIGNATURE_FAILURE', 'certificate-invalid'],
  ['CERT_REJECTED', 'certificate-invalid'],
  ['INVALID_CA', 'certificate-invalid'],
  ['ERR_SSL_EE_KEY_TOO_SMALL', 'certificate-invalid'],
]);

// Library messages (our `detail`, never the server's reply).
const CERT_TEXT: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bpinned certificate changed\b/i, 'certificate-pin-changed'],
  [
    /\bself[- ]signed certificate\b|\bunable to (?:get local issuer|get issuer|verify the first) certificate\b/i,
    'certificate-untrusted',
  ],
  [/\bcertificate has expired\b|\bcertificate is not yet valid\b/i, 'certificate-expired'],
  [
    /\bdoes not match certificate'?s altnames\b|\bis not in the cert'?s altnames\b/i,
    'certificate-wrong-name',
  ],
];

const WRONG_VERSION = /\bwrong version number\b|\bERR_SSL_WRONG_VERSION_NUMBER\b/i;
const GREETING_TIMEOUT = /\bgreeting never received\b|\bGREETING_TIMEOUT\b/i;
const OAUTH = /\b(?:XOAUTH2|OAUTHBEARER)\b/i;

/**
 * Our own failure kinds, decided before any server text is read: network policy, stored
 * secret, certificates, TLS mode, STARTTLS, timeouts, DNS, our limits, protocol breakage.
 */
export function classifyOwn(f: FailureFacts, hints: ClassifyHints): Verdict | undefined {
  const { failure } = f;
  if (f.codes.has('SECRET_UNREADABLE')) return exact('credential-unreadable');
  if (failure.kind === 'policy' || f.codes.has('MAIL_TARGET_REFUSED'))
    return exact('server-address-not-allowed');

  const cert = classifyCertificate(f);
  if (cert) return cert;
  if (WRONG_VERSION.test(f.local)) return exact('tls-mode-mismatch');
  if (failure.kind === 'starttls_unavailable') return exact('starttls-unavailable');

  const timeout = classifyTimeout(f, hints);
  if (timeout) return timeout;

  if (failure.kind === 'dns') return exact('host-not-found');
  if (failure.kind === 'limit') return exact(limitEntry(f));
  if (failure.kind === 'protocol') return exact('protocol-violation');
  if (failure.kind === 'unsupported') {
    const entry = unsupportedEntry(f);
    if (entry) return exact(entry);
  }
  // An OAuth token refused: reconnect, whatever the provider's password wording says.
  const oauthMentioned = OAUTH.test(`${failure.step ?? ''} ${f.local}`) || f.codes.has('EOAUTH2');
  if (oauthMentioned && f.isAuth && !(f.replyCode !== undefined && f.replyCode < 500)) {
    return exact('oauth-grant-invalid');
  }
  return undefined;
}

function classifyCertificate(f: FailureFacts): Verdict | undefined {
  const problem = f.failure.certificateProblem;
  if (problem && Object.hasOwn(CERT_PROBLEM_ENTRY, problem)) return exact(CERT_PROBLEM_ENTRY[problem]);
  for (const code of f.codes) {
    const entry = CERT_CODE_ENTRY.get(code);
    if (entry) return { entry, confidence: 'code' };
  }
  for (const [pattern, entry] of CERT_TEXT) if (pattern.test(f.local)) return exact(entry);
  if (f.failure.kind === 'certificate') return { entry: 'certificate-invalid', confidence: 'class' };
  return undefined;
}

function classifyTimeout(f: FailureFacts, hints: ClassifyHints): Verdict | undefined {
  const { failure } = f;
  const greeting =
    failure.timeout === 'greeting' ||
    GREETING_TIMEOUT.test(f.local) ||
    (failure.kind === 'timeout' && failure.timeout === undefined && f.step === 'greeting');
  if (greeting) {
    const port = hints.port;
    const plainOnTlsPort = port !== undefined && IMPLICIT_TLS_PORTS.has(port) && hints.security !== 'tls';
    return exact(plainOnTlsPort ? 'tls-mode-mismatch' : 'greeting-timeout');
  }
  if (failure.kind !== 'timeout' && failure.timeout === undefined) return undefined;
  if (failure.timeout === 'connect' || f.codes.has('CONNECT_TIMEOUT') || f.codes.has('CONNECTION_TIMEOUT')) {
    return exact('connection-timeout');
  }
  if (failure.timeout === undefined && f.step === 'connect') return exact('connection-timeout');
  return exact('server-timeout');
}

// Our libraries' words for a reply (greeting, answer, one line) past their caps: nodemailer
// "Server response exceeds maximum allowed size", ImapFlow "Line length … exceeds …", our POP3
// reader "server reply line longer than …", "CAPA reply longer
// than …" (a long listing is "too much data", not this). Checked before the words about size below.
const REPLY_OVERSIZED =
  /\bserver response exceeds\b|\bline length \d+ exceeds\b|\b(?:response|reply|listing) line longer than\b|\breply longer than\b|\bline too long\b/i;
// Codes of a single reply line past the cap (ImapFlow `LineTooLarge`, ours `LINE_TOO_LONG`).
const LINE_CODES = ['LINETOOLARGE', 'LINE_TOO_LONG'];
// IMAP caps that also hit when a fetched message is too big: only outside message retrieval
// (e.g. a literal in the LOGIN or CAPABILITY answer) are they an over-long reply.
const RESPONSE_CODES = ['LITERALTOOLARGE', 'RESPONSETOOLARGE'];
const MESSAGE_STEPS = /^(?:fetch|retr|top|download|message)$/i;

function limitEntry(f: FailureFacts): string {
  if (/\bmailbox holds \d+ messages\b/.test(f.local)) return 'mailbox-too-many-messages';
  if (/\bmore than the \d+ bytes (?:LIST|RFC822\.SIZE) announced\b/.test(f.local))
    return 'incoming-message-larger-than-listed';
  // Codes such as MESSAGE_TOO_LARGE: `_` is a word character, so split on it first.
  const words = f.local.replace(/_/g, ' ');
  if (f.codes.has('EMAXRECIPIENTS') || /\b(?:max )?recipients?\b/i.test(words)) return 'too-many-recipients';
  if (REPLY_OVERSIZED.test(f.local) || LINE_CODES.some((c) => f.codes.has(c)))
    return 'server-reply-oversized';
  const rawStep = (f.failure.step ?? '').trim();
  if (RESPONSE_CODES.some((c) => f.codes.has(c)) && !MESSAGE_STEPS.test(rawStep))
    return 'server-reply-oversized';
  const aboutSize = /\b(?:size|too (?:large|big)|max(?:imum)? message)\b/i.test(words);
  if (aboutSize) return f.protocol === 'smtp' ? 'message-too-large' : 'incoming-message-too-large';
  return 'server-reply-too-long';
}

function unsupportedEntry(f: FailureFacts): string | undefined {
  const what = `${f.failure.step ?? ''} ${f.local}`;
  if (f.step === 'uidl' || /\bUIDL\b/i.test(what)) return 'uidl-unsupported';
  if (/\bSMTPUTF8\b/i.test(what)) return 'smtputf8-unsupported';
  if (/\b(?:STARTTLS|STLS)\b/i.test(what)) return 'starttls-unavailable';
  if (f.step === 'auth' || /\b(?:AUTH|SASL|XOAUTH2|LOGIN|PLAIN)\b/i.test(what))
    return 'auth-method-unsupported';
  return undefined;
}

/** System and nodemailer codes, checked after the server's reply found nothing; first match wins. */
export const LIBRARY_CODES: ReadonlyArray<readonly [readonly string[], string]> = [
  [['EOAUTH2'], 'oauth-grant-invalid'],
  [['ECONNREFUSED'], 'connection-refused'],
  [
    [
      'ENOTFOUND',
      'EAI_AGAIN',
      'EAI_NONAME',
      'EAI_FAIL',
      'EDNS',
      'ENODATA',
      'ESERVFAIL',
      'NXDOMAIN',
      'DNS_TIMEOUT',
    ],
    'host-not-found',
  ],
  [['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EADDRNOTAVAIL'], 'host-unreachable'],
  [['SOCKET_TIMEOUT', 'UPGRADE_TIMEOUT'], 'server-timeout'],
  [['ETIMEDOUT', 'CONNECT_TIMEOUT', 'CONNECTION_TIMEOUT'], 'connection-timeout'],
  [['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ECONNECTION'], 'connection-closed'],
  [['EMAXRECIPIENTS'], 'too-many-recipients'],
  [['ETLS'], 'tls-handshake-failed'],
  [['EPROTOCOL'], 'protocol-violation'],
  [['EAUTH', 'ENOAUTH'], 'wrong-password'],
];

/** Library and system error codes, then the adapter's failure kind. */
export function classifyLibrary(f: FailureFacts): Verdict | undefined {
  if (f.codes.has('EMESSAGE') && /\bmessage size larger than allowed\b/i.test(f.local)) {
    return exact('message-too-large');
  }
  for (const [codes, entry] of LIBRARY_CODES) {
    if (codes.some((c) => f.codes.has(c))) return { entry, confidence: 'code' };
  }
  switch (f.failure.kind) {
    case 'auth':
      return { entry: 'wrong-password', confidence: 'class' };
    case 'closed':
      return { entry: 'connection-closed', confidence: 'class' };
    case 'tls':
      return { entry: 'tls-handshake-failed', confidence: 'class' };
    case 'connect':
      return { entry: 'connection-failed', confidence: 'class' };
    default:
      return undefined;
  }
}

function exact(entry: string): Verdict {
  return { entry, confidence: 'exact' };
}
