import type { MailProtocol } from '../mailbox/connection.js';
import { type MailFailure, sanitizeServerText } from '../mailbox/mail-failure.js';
import { requireEntry } from './catalogue.js';
import type { Classification } from './catalogue-entry.js';
import { type ClassifyHints, classifyLibrary, classifyOwn, type Verdict } from './classify-local.js';
import { type FailureFacts, readFacts } from './failure-facts.js';
import { matchRules, type ReplyRule } from './reply-rule.js';
import { ENHANCED_CODE_RULES, REPLY_CODE_RULES } from './reply-rules-codes.js';
import {
  GENERIC_TEXT_RULES,
  INCOMING_RULES,
  PROVIDER_RULES,
  SPECIFIC_TEXT_RULES,
} from './reply-rules-text.js';

export type { ClassifyHints } from './classify-local.js';

/** Wordings and provider codes precise enough to trust even on a 4xx reply. */
const TRUSTED_RULES: readonly ReplyRule[] = [...SPECIFIC_TEXT_RULES, ...PROVIDER_RULES];

/**
 * Generic wordings and codes. On a transient (4xx) reply they may only name an entry that is
 * retried: `451 4.1.1 … User unknown: temporary lookup failure` must not fail a message for
 * good, nor `454 4.7.0 Temporary authentication failure` pause an address (RFC 5321, M33).
 */
const GENERIC_RULES: readonly ReplyRule[] = [
  ...GENERIC_TEXT_RULES,
  ...INCOMING_RULES,
  ...ENHANCED_CODE_RULES,
  ...REPLY_CODE_RULES,
];

/** Every reply rule, most specific first (SECURITY.md §6 implementation notes); the first match wins. */
export const REPLY_RULES: readonly ReplyRule[] = [...TRUSTED_RULES, ...GENERIC_RULES];

const LAST_RESORT: Record<MailProtocol, string> = {
  smtp: 'smtp-server-refused',
  pop3: 'pop3-server-refused',
  imap: 'imap-server-refused',
};

/**
 * Explains a mail failure with a catalogue entry. Order: our own failure kinds (policy,
 * certificates, TLS mode, timeouts, limits, …), then the server's reply (wording, provider,
 * enhanced code, reply code), then code classes, then library/system codes, then a
 * last-resort entry for the protocol that still points at the server's reply (M43).
 * `hints` (port, security) only sharpen the greeting-timeout guess.
 */
export function classify(failure: MailFailure, hints: ClassifyHints = {}): Classification {
  const facts = readFacts(failure, hints.provider);
  const verdict: Verdict = classifyOwn(facts, hints) ??
    matchRules(TRUSTED_RULES, facts) ??
    matchRules(GENERIC_RULES, facts, (id) => !isTransient(facts) || requireEntry(id).retryable) ??
    classifyByClass(facts) ??
    classifyLibrary(facts) ?? { entry: lastResort(facts), confidence: 'fallback' };
  const result: Classification = { entry: requireEntry(verdict.entry), confidence: verdict.confidence };
  if (facts.provider) result.provider = facts.provider;
  return result;
}

/**
 * Classifies one raw reply line (`535 5.7.8 …`, `-ERR [AUTH] …`, `a1 NO […] …`), e.g. a
 * bounce's diagnostic or a reply shown in a test. The text is sanitised first.
 */
export function classifyReply(protocol: MailProtocol, replyText: string, host?: string): Classification {
  // Wider than the stored cap: a provider marker such as `- gsmtp` sits at the end of long replies.
  const response = sanitizeServerText(replyText, 1000);
  const failure: MailFailure = { kind: 'reply', protocol, response };
  if (host) failure.host = host;
  return classify(failure);
}

/** RFC 3463 classes and RFC 5321 reply classes, read with the step they came at. */
function classifyByClass(f: FailureFacts): Verdict | undefined {
  if (f.protocol !== 'smtp') return undefined;
  const cls = f.enhanced?.cls ?? (f.replyCode === undefined ? undefined : Math.floor(f.replyCode / 100));
  if (cls === 4) return klass(f.step === 'bounce' ? 'delivery-delayed' : 'temporary-server-problem');
  if (cls !== 5) return undefined;
  if (f.isAuth) return klass('wrong-password');
  const subject = f.enhanced?.subject;
  if (subject === 7) return klass('rejected-by-policy');
  if (subject === 1) return klass(f.step === 'mail_from' ? 'sender-rejected' : 'recipient-unknown');
  if (f.step === 'mail_from') return klass('sender-rejected');
  if (f.step === 'rcpt_to') return klass('recipient-rejected');
  if (f.step === 'bounce') return klass('delivery-failed');
  return undefined;
}

function isTransient(f: FailureFacts): boolean {
  const cls = f.enhanced?.cls ?? (f.replyCode === undefined ? undefined : Math.floor(f.replyCode / 100));
  return cls === 4;
}

function lastResort(f: FailureFacts): string {
  if (f.step === 'bounce') return 'delivery-failed';
  return LAST_RESORT[f.protocol] ?? LAST_RESORT.smtp;
}

function klass(entry: string): Verdict {
  return { entry, confidence: 'class' };
}
