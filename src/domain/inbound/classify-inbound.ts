import { type AutoReplyReason, autoReplyReason } from './auto-reply.js';
import { detectBounce } from './bounce.js';
import type { BounceReport } from './bounce-report.js';
import type { ParsedMessage } from './parsed-message.js';

/** What a received message is, before threading decides where it goes (M38–M40). */
export type InboundClass =
  | { kind: 'test' }
  | { kind: 'bounce'; bounce: BounceReport }
  | { kind: 'auto_reply'; reason: AutoReplyReason }
  | { kind: 'message' };

/**
 * Our own test emails first (issue 10 item 2), then bounces (they often carry
 * `Auto-Submitted` too, and must never look like a client's reply), then automatic replies.
 * `ownTest`: the caller found the message's `X-Mailroom-Test` id among the address's recent
 * test emails; the header alone proves nothing (anybody can write it; decision 0003).
 */
export function classifyInbound(msg: ParsedMessage, ownTest = false): InboundClass {
  if (ownTest) return { kind: 'test' };
  const bounce = detectBounce(msg);
  if (bounce) return { kind: 'bounce', bounce };
  const reason = autoReplyReason(msg.headers, msg.subject, msg.contentType);
  if (reason) return { kind: 'auto_reply', reason };
  return { kind: 'message' };
}
