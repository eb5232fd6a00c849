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
 */
export function classifyInbound(msg: ParsedMessage): InboundClass {
  if (msg.headers.has('x-mailroom-test')) return { kind: 'test' };
  const bounce = detectBounce(msg);
  if (bounce) return { kind: 'bounce', bounce };
  const reason = autoReplyReason(msg.headers, msg.subject, msg.contentType);
  if (reason) return { kind: 'auto_reply', reason };
  return { kind: 'message' };
}
