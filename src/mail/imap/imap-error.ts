import type { MailFailure, MailFailureKind } from '../../domain/mailbox/mail-failure.js';
import { redactSecrets, sanitizeServerText } from '../../domain/mailbox/mail-failure.js';
import { isMailTargetError } from '../net/mail-target-error.js';
import { certificateProblemOf } from '../net/tls-options.js';
import { DeadlineExceededError } from '../probe/probe-deadline.js';

/** The fields imapflow (and Node's socket layer) put on errors; all optional. */
interface ImapLibraryError {
  message?: unknown;
  code?: unknown;
  authenticationFailed?: unknown;
  tlsFailed?: unknown;
  serverResponseCode?: unknown;
  responseText?: unknown;
  responseStatus?: unknown;
  response?: unknown;
  reason?: unknown;
  mailboxMissing?: unknown;
  timeoutType?: unknown;
}

const LIMIT_CODES = new Set([
  'LineTooLarge',
  'LiteralTooLarge',
  'ResponseTooLarge',
  'TooManyTokens',
  'TooManyResponses',
]);
const CLOSED_CODES = new Set([
  'NoConnection',
  'EConnectionClosed',
  'ClosedAfterConnectText',
  'ClosedAfterConnectTLS',
  'StateLogout',
  'ECONNRESET',
]);
const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'EADDRNOTAVAIL',
]);
const TIMEOUTS: Record<string, MailFailure['timeout']> = {
  CONNECT_TIMEOUT: 'connect',
  GREETING_TIMEOUT: 'greeting',
  UPGRADE_TIMEOUT: 'command',
  ETIMEOUT: 'command',
  TLS_TIMEOUT: 'command',
};

/**
 * Turns an imapflow / socket / policy / deadline error into a MailFailure. Structured fields
 * first (`authenticationFailed`, `tlsFailed`, `code`, `serverResponseCode`), message text
 * only for TLS errors. `code` becomes the IMAP response code (e.g. AUTHENTICATIONFAILED) when
 * the server gave one. Server text is redacted of `secrets`, sanitised and capped.
 */
export function imapFailureFromError(
  err: unknown,
  step: string,
  host: string,
  secrets: readonly string[] = [],
): MailFailure {
  if (isMailTargetError(err)) return { ...err.failure, protocol: 'imap', step, host };
  const base: MailFailure = { kind: 'protocol', protocol: 'imap', step, host };
  if (err instanceof DeadlineExceededError) {
    return { ...base, kind: 'timeout', timeout: 'session', code: 'ETIMEDOUT', detail: err.message };
  }
  const clean = (text: string): string => sanitizeServerText(redactSecrets(text, secrets));
  const e: ImapLibraryError =
    typeof err === 'object' && err !== null ? (err as ImapLibraryError) : { message: String(err) };
  const code = str(e.code) ?? str(e.timeoutType);
  const message = str(e.message) ?? '';
  const failure: MailFailure = { ...base, detail: clean(message) };
  const responseCode = str(e.serverResponseCode);
  if (responseCode) failure.code = responseCode;
  else if (code) failure.code = code;
  const text = str(e.responseText) ?? str(e.response) ?? str(e.reason);
  if (text) failure.response = clean(text);

  failure.kind = classify(e, code, message, step);
  if (failure.kind === 'certificate') failure.certificateProblem = certificateProblemOf(err) ?? 'other';
  if (failure.kind === 'timeout') failure.timeout = TIMEOUTS[code ?? ''] ?? 'command';
  return failure;
}

function classify(
  e: ImapLibraryError,
  code: string | undefined,
  message: string,
  step: string,
): MailFailureKind {
  if (certificateProblemOf(e) !== null) return 'certificate';
  if (e.authenticationFailed === true) return 'auth';
  if (code && code in TIMEOUTS) return 'timeout';
  if (code === 'STARTTLS_INJECTION' || code === 'COMPRESS_TRAILING_DATA') return 'protocol';
  if (e.tlsFailed === true) {
    if (/does not support starttls|not possible after a preauth|can not start tls/i.test(message))
      return 'starttls_unavailable';
    return 'tls';
  }
  if (code && LIMIT_CODES.has(code)) return 'limit';
  if (code && CONNECT_CODES.has(code)) return 'connect';
  if (code?.startsWith('ERR_SSL_') || code === 'EPROTO' || /wrong version number|ssl routines/i.test(message))
    return 'tls';
  if (code && CLOSED_CODES.has(code))
    return step === 'connect' ? 'connect' : step === 'tls' ? 'tls' : 'closed';
  if (code?.startsWith('ParserError') || code === 'InvalidResponse' || code === 'UnexpectedTag')
    return 'protocol';
  if (e.responseStatus === 'NO' || e.responseStatus === 'BAD' || e.mailboxMissing === true) return 'reply';
  if (/login is disabled|no matching authentication method/i.test(message)) return 'unsupported';
  return 'protocol';
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
