import type { MailProtocol } from '../mailbox/connection.js';
import type { Confidence, Provider } from './catalogue-entry.js';
import type { FailureFacts, StepName } from './failure-facts.js';

/**
 * One line of the reply table. Every field that is present must match; a rule with a
 * `text` pattern is an exact match, one on codes alone a code match. Patterns are anchored
 * on word boundaries (never bare substrings, STYLE rule 7) and have bounded gaps only.
 */
export interface ReplyRule {
  entry: string;
  protocols?: readonly MailProtocol[];
  providers?: readonly Provider[];
  replyCodes?: readonly number[];
  /** `5.7.8` exactly, or `x.7.8` for either class. */
  enhanced?: readonly string[];
  steps?: readonly StepName[];
  /** Only when the adapter said credentials were refused (or the reply came at the auth step). */
  authOnly?: boolean;
  text?: RegExp;
}

/**
 * The first rule that matches, with its confidence. `accept` can veto a matched entry, in
 * which case the search goes on.
 */
export function matchRules(
  rules: readonly ReplyRule[],
  facts: FailureFacts,
  accept: (entry: string) => boolean = () => true,
): { entry: string; confidence: Confidence } | undefined {
  for (const rule of rules) {
    if (matches(rule, facts) && accept(rule.entry)) {
      return { entry: rule.entry, confidence: rule.text ? 'exact' : 'code' };
    }
  }
  return undefined;
}

function matches(rule: ReplyRule, f: FailureFacts): boolean {
  if (rule.protocols && !rule.protocols.includes(f.protocol)) return false;
  if (rule.providers && (!f.provider || !rule.providers.includes(f.provider))) return false;
  if (rule.replyCodes && (f.replyCode === undefined || !rule.replyCodes.includes(f.replyCode))) return false;
  if (rule.enhanced && !rule.enhanced.some((code) => enhancedMatches(code, f))) return false;
  if (rule.steps && (!f.step || !rule.steps.includes(f.step))) return false;
  if (rule.authOnly && !f.isAuth) return false;
  if (rule.text && !rule.text.test(f.text)) return false;
  return true;
}

function enhancedMatches(pattern: string, f: FailureFacts): boolean {
  if (!f.enhanced) return false;
  if (pattern.startsWith('x.')) return f.enhanced.code.slice(1) === pattern.slice(1);
  return f.enhanced.code === pattern;
}
