import { classify } from '../catalogue/classify.js';
import type { MailFailure } from '../mailbox/mail-failure.js';
import { sanitizeServerText } from '../mailbox/mail-failure.js';
import type { BounceRecipient } from './bounce-report.js';

/**
 * The catalogue entry that explains one bounced recipient (M39, M43): the diagnostic and
 * status are classified like an SMTP reply at the `bounce` step, so a 5.1.1 says "address
 * does not exist", a status-only report falls back to "delivery failed" and a delay without
 * any code to "delivery delayed".
 */
export function explainBounce(r: BounceRecipient): { catalogueId: string; failure: MailFailure } {
  const failure: MailFailure = { kind: 'reply', protocol: 'smtp', step: 'bounce' };
  const response = sanitizeServerText(r.diagnostic || r.status, 1000);
  if (response) failure.response = response;
  if (r.status) failure.enhancedCode = r.status;
  // A delay report without a status code (old Sendmail's 4-hour warning) is still temporary.
  else if (r.action === 'delayed') failure.enhancedCode = '4.0.0';
  const code = /^([245]\d\d)\b/.exec(r.diagnostic)?.[1];
  if (code) failure.responseCode = Number(code);
  if (r.remoteMta) failure.host = r.remoteMta.split(/[\s(]/)[0]!;
  return { catalogueId: classify(failure).entry.id, failure };
}
