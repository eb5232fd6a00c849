import type { CertificateProblem, MailFailure, MailFailureKind } from '../../domain/mailbox/mail-failure.js';
import { redactSecrets, sanitizeServerText } from '../../domain/mailbox/mail-failure.js';
import { isMailTargetError } from '../net/mail-target-error.js';
import { certificateProblemOf } from '../net/tls-options.js';
import { DeadlineExceededError } from '../probe/probe-deadline.js';
import { SERVER_DATA_LIMIT_CODE } from './smtp-server-data-guard.js';

/** The fields nodemailer (and Node's socket layer) put on errors; all optional. */
interface LibraryError {
  message?: unknown;
  code?: unknown;
  originalCode?: unknown;
  response?: unknown;
  responseCode?: unknown;
  command?: unknown;
  timeoutType?: unknown;
}

/** A parsed SMTP reply: its code, RFC 3463 enhanced code (if any) and the raw text. */
export interface SmtpReply {
  code: number;
  enhancedCode?: string;
  text: string;
}

const REPLY_RE = /^(\d{3})(?:[ -]([245]\.\d{1,3}\.\d{1,3})(?=\s|$))?/;

/** Parses `535 5.7.8 Username and Password not accepted` (and multi-line forms); null if no code. */
export function parseSmtpReply(text: string): SmtpReply | null {
  const match = REPLY_RE.exec(text.trimStart());
  if (!match?.[1]) return null;
  const reply: SmtpReply = { code: Number(match[1]), text };
  if (match[2]) reply.enhancedCode = match[2];
  return reply;
}

const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'EADDRNOTAVAIL',
  'EPIPE',
]);
const TIMEOUT_KIND: Record<string, MailFailure['timeout']> = {
  CONNECT_TIMEOUT: 'connect',
  GREETING_TIMEOUT: 'greeting',
  UPGRADE_TIMEOUT: 'command',
  TLS_TIMEOUT: 'command',
  SOCKET_TIMEOUT: 'command',
  // The sender's wall-clock bounds (smtp-send-deadlines.ts).
  COMMAND_DEADLINE: 'command',
  DATA_END_DEADLINE: 'command',
  ATTEMPT_DEADLINE: 'session',
};

/**
 * Turns whatever an SMTP probe step threw (nodemailer error, Node socket/TLS error, policy
 * refusal, our deadline) into a MailFailure. Structured fields first (code, originalCode,
 * responseCode, timeoutType), message text only for TLS errors that libraries re-wrap.
 * Server text is redacted of `secrets`, sanitised and capped.
 */
export function smtpFailureFromError(
  err: unknown,
  step: string,
  host: string,
  secrets: readonly string[] = [],
): MailFailure {
  if (isMailTargetError(err)) return { ...err.failure, protocol: 'smtp', step, host };
  const clean = (text: string): string => sanitizeServerText(redactSecrets(text, secrets));
  const base: MailFailure = { kind: 'protocol', protocol: 'smtp', step, host };
  if (err instanceof DeadlineExceededError) {
    return { ...base, kind: 'timeout', timeout: 'session', code: 'ETIMEDOUT', detail: err.message };
  }
  const e: LibraryError =
    typeof err === 'object' && err !== null ? (err as LibraryError) : { message: String(err) };
  const code = str(e.code);
  const originalCode = str(e.originalCode);
  const message = str(e.message) ?? '';
  const failure: MailFailure = { ...base, detail: clean(message) };
  const effectiveCode = originalCode ?? code;
  if (effectiveCode) failure.code = effectiveCode;

  const response = str(e.response);
  if (response) {
    failure.response = clean(response);
    const reply = parseSmtpReply(response);
    if (reply) {
      failure.responseCode = reply.code;
      if (reply.enhancedCode) failure.enhancedCode = reply.enhancedCode;
    }
  }
  if (failure.responseCode === undefined && typeof e.responseCode === 'number') {
    failure.responseCode = e.responseCode;
  }

  failure.kind = adjustForStep(classify(e, code, originalCode, message, failure.responseCode), step);
  if (failure.kind === 'certificate') {
    failure.certificateProblem = certificateProblemOf(err) ?? ('other' satisfies CertificateProblem);
  }
  if (failure.kind === 'timeout') {
    failure.timeout = TIMEOUT_KIND[str(e.timeoutType) ?? ''] ?? 'command';
  }
  return failure;
}

function classify(
  e: LibraryError,
  code: string | undefined,
  originalCode: string | undefined,
  message: string,
  responseCode: number | undefined,
): MailFailureKind {
  if (certificateProblemOf(e) !== null) return 'certificate';
  if (code === 'ETIMEDOUT' || originalCode === 'ETIMEDOUT' || str(e.timeoutType)) return 'timeout';
  if (code === 'EAUTH') return 'auth';
  if (code === 'EENVELOPE' || code === 'EMESSAGE') return 'reply';
  const command = str(e.command);
  if (code === 'ETLS' && command === 'STARTTLS' && responseCode !== undefined) return 'starttls_unavailable';
  if (/server response exceeds maximum allowed size/i.test(message)) return 'limit';
  // Our guard on what the server sends (smtp-server-data-guard.ts); nodemailer moves its code here.
  if (originalCode === SERVER_DATA_LIMIT_CODE || code === SERVER_DATA_LIMIT_CODE) return 'limit';
  const systemCode = originalCode ?? code ?? '';
  if (CONNECT_CODES.has(systemCode)) return 'connect';
  if (systemCode.startsWith('ERR_SSL_') || systemCode === 'EPROTO' || code === 'ETLS') return 'tls';
  if (/wrong version number|ssl routines|tls alert|handshake failure/i.test(message)) return 'tls';
  if (responseCode !== undefined && responseCode >= 400) return 'reply';
  if (systemCode === 'ECONNRESET' || /connection closed unexpectedly/i.test(message)) return 'closed';
  if (code === 'EPROTOCOL') return 'protocol';
  if (code === 'ECONNECTION' || code === 'ESOCKET') return 'closed';
  return 'protocol';
}

// A reset or close while dialling or handshaking says more about that step than "closed".
function adjustForStep(kind: MailFailureKind, step: string): MailFailureKind {
  if (kind === 'closed' && step === 'connect') return 'connect';
  if (kind === 'closed' && step === 'tls') return 'tls';
  return kind;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
