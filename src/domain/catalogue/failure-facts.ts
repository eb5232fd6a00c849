import type { MailProtocol } from '../mailbox/connection.js';
import type { MailFailure } from '../mailbox/mail-failure.js';
import type { Provider } from './catalogue-entry.js';
import { detectProvider } from './provider.js';
import { type EnhancedCode, parseEnhanced, parseSmtpReply } from './reply-parse.js';

// Replies are capped by the adapters already; this cap makes the classifier's cost bounded
// whatever a caller passes in (every regex below runs on at most this many characters).
const MAX_TEXT = 2000;

/** Command steps the rules care about, whatever spelling the adapter used. */
export type StepName =
  | 'auth'
  | 'mail_from'
  | 'rcpt_to'
  | 'data'
  | 'greeting'
  | 'connect'
  | 'bounce'
  | 'uidl'
  | 'other';

/** A MailFailure read once into what the rules look at. */
export interface FailureFacts {
  failure: MailFailure;
  protocol: MailProtocol;
  step: StepName | undefined;
  replyCode: number | undefined;
  enhanced: EnhancedCode | undefined;
  /** The server's reply (capped); empty when there was none. */
  text: string;
  /** Our own library/system detail and code (capped): never the server's words. */
  local: string;
  /** Upper-case error codes found in `code` and `detail` (`ECONNREFUSED`, `GREETING_TIMEOUT`, …). */
  codes: ReadonlySet<string>;
  provider: Provider | undefined;
  /** The adapter said credentials were refused (kind `auth`, step `auth`, or nodemailer `EAUTH`). */
  isAuth: boolean;
}

const ERROR_CODE_TOKEN = /\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*\b/g;

/** Reads the fields of a failure once: step, codes (parsed from the reply if missing), provider. */
export function readFacts(failure: MailFailure, providerHint?: Provider): FailureFacts {
  const text = (failure.response ?? '').slice(0, MAX_TEXT);
  const local = `${failure.code ?? ''} ${failure.detail ?? ''}`.slice(0, MAX_TEXT);
  const parsed = failure.protocol === 'smtp' && text ? parseSmtpReply(text) : {};
  const replyCode = validReplyCode(failure.responseCode) ?? parsed.replyCode;
  const enhanced = parseEnhanced(failure.enhancedCode) ?? parseEnhanced(parsed.enhancedCode);
  const codes = new Set<string>();
  for (const m of local.matchAll(ERROR_CODE_TOKEN)) if (m[0].length >= 4) codes.add(m[0]);
  if (failure.code) codes.add(failure.code.trim().toUpperCase());
  const step = normaliseStep(failure.step);
  return {
    failure,
    protocol: failure.protocol,
    step,
    replyCode,
    enhanced,
    text,
    local,
    codes,
    provider: detectProvider(failure.host, text) ?? providerHint,
    isAuth: failure.kind === 'auth' || step === 'auth' || codes.has('EAUTH'),
  };
}

function validReplyCode(code: number | undefined): number | undefined {
  return code !== undefined && Number.isInteger(code) && code >= 200 && code <= 599 ? code : undefined;
}

/** `AUTH PLAIN`, `auth`, `PASS`, `AUTHENTICATE` → `auth`; `MAIL FROM` → `mail_from`; … */
export function normaliseStep(step: string | undefined): StepName | undefined {
  if (!step) return undefined;
  const s = step
    .trim()
    .toLowerCase()
    .slice(0, 40)
    .replace(/[\s-]+/g, '_');
  if (/^(?:auth|authenticate|login|user|pass|apop)(?:_|$)/.test(s)) return 'auth';
  if (/^mail(?:_from)?$/.test(s)) return 'mail_from';
  if (/^rcpt(?:_to)?$/.test(s)) return 'rcpt_to';
  if (s === 'data' || s === 'message' || s === 'bdat') return 'data';
  if (s === 'greeting' || s === 'banner') return 'greeting';
  if (s === 'connect' || s === 'conn' || s === 'resolve') return 'connect';
  if (s === 'bounce' || s === 'dsn') return 'bounce';
  if (s === 'uidl') return 'uidl';
  return 'other';
}
