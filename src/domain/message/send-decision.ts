import type { Provider } from '../catalogue/catalogue-entry.js';
import { classify } from '../catalogue/classify.js';
import type { MailFailure } from '../mailbox/mail-failure.js';
import type { BackoffHint } from './retry-schedule.js';

/** One recipient's verdict after an attempt. */
export interface RecipientVerdict {
  address: string;
  /** accepted: the server took it; rejected: refused for good; pending: refused for now (4xx). */
  status: 'accepted' | 'rejected' | 'pending';
  failure?: MailFailure;
  catalogueId?: string;
}

/**
 * What the outbox does with an email after one attempt (M32–M33, SECURITY.md §5.3):
 * - `sent`: the server answered 250 to the final dot (recipients it refused for good are kept
 *   per recipient);
 * - `deferred`: nothing was delivered, or some recipients were refused for now: try the pending
 *   recipients again on the schedule;
 * - `failed`: refused for good (5xx), nothing left to try;
 * - `uncertain`: the connection ended after the final dot without a reply: possibly delivered,
 *   never resent automatically;
 * - `pause`: the address itself is unusable (refused login, relay denied…): the email goes back
 *   to the queue untouched and the address is paused.
 */
export type SendDecision =
  | { status: 'sent'; reply: string; queueId: string | null; recipients: RecipientVerdict[] }
  | {
      status: 'deferred';
      failure: MailFailure;
      catalogueId: string;
      hint: BackoffHint;
      recipients: RecipientVerdict[];
    }
  | { status: 'failed'; failure: MailFailure; catalogueId: string; recipients: RecipientVerdict[] }
  | { status: 'uncertain'; failure: MailFailure; catalogueId: string }
  | { status: 'pause'; failure: MailFailure; catalogueId: string };

type Verdict = 'retry' | 'fail' | 'pause';

/** How the catalogue reads one failure: retried, failed for good, or the address paused. */
export function readFailure(
  failure: MailFailure,
  /** The address preset's provider (a plain 535 on Gmail means the app password). */
  provider?: Provider,
): {
  verdict: Verdict;
  catalogueId: string;
  hint: BackoffHint;
} {
  const { entry } = classify(failure, provider ? { provider } : {});
  const hint = (entry.backoff ?? 'normal') as BackoffHint;
  if (entry.retryable) return { verdict: 'retry', catalogueId: entry.id, hint };
  if (entry.pausesAddress) return { verdict: 'pause', catalogueId: entry.id, hint };
  // Without a 5xx reply nothing says the server refused this email: try again.
  const permanent = failure.responseCode !== undefined && failure.responseCode >= 500;
  return { verdict: permanent ? 'fail' : 'retry', catalogueId: entry.id, hint };
}

export type AttemptResult =
  | { ok: true; reply: string; queueId: string | null; rejected: { address: string; failure: MailFailure }[] }
  | {
      ok: false;
      phase: 'before_data_end' | 'after_data_end';
      failure: MailFailure;
      rejected: { address: string; failure: MailFailure }[];
    };

/** Decides an attempt for the recipients `to` (the ones still pending before it). */
export function decideAttempt(result: AttemptResult, to: readonly string[]): SendDecision {
  // A refused MAIL FROM makes every RCPT fail after it: those replies say nothing about recipients.
  const rejected = !result.ok && result.failure.step === 'mail_from' ? [] : result.rejected;
  const refused = new Map(rejected.map((r) => [r.address.toLowerCase(), r.failure]));
  const recipientVerdicts = (delivered: boolean): RecipientVerdict[] =>
    to.map((address) => {
      const failure = refused.get(address.toLowerCase());
      if (!failure) return { address, status: delivered ? 'accepted' : 'pending' };
      const read = readFailure(failure);
      return {
        address,
        status: read.verdict === 'retry' ? 'pending' : 'rejected',
        failure,
        catalogueId: read.catalogueId,
      };
    });

  if (result.ok) {
    const recipients = recipientVerdicts(true);
    const pending = recipients.find((r) => r.status === 'pending');
    if (pending?.failure) {
      const read = readFailure(pending.failure);
      return {
        status: 'deferred',
        failure: pending.failure,
        catalogueId: read.catalogueId,
        hint: read.hint,
        recipients,
      };
    }
    return { status: 'sent', reply: result.reply, queueId: result.queueId, recipients };
  }

  const { failure } = result;
  const read = readFailure(failure);
  const answered = failure.responseCode !== undefined && failure.responseCode >= 400;
  if (result.phase === 'after_data_end' && !answered) {
    return { status: 'uncertain', failure, catalogueId: read.catalogueId };
  }
  if (read.verdict === 'pause') return { status: 'pause', failure, catalogueId: read.catalogueId };
  // Recipients refused at RCPT: each keeps its own verdict; retry if any may still work (a
  // recipient the server never answered is `pending` too).
  const recipients = recipientVerdicts(false);
  if (refused.size > 0) {
    const pending = recipients.filter((r) => r.status === 'pending');
    if (pending.length === 0) return { status: 'failed', failure, catalogueId: read.catalogueId, recipients };
    const first = pending[0]?.failure ?? failure;
    const firstRead = readFailure(first);
    return {
      status: 'deferred',
      failure: first,
      catalogueId: firstRead.catalogueId,
      hint: firstRead.hint,
      recipients,
    };
  }
  if (read.verdict === 'fail') {
    const all = recipients.map(
      (r): RecipientVerdict => ({ ...r, status: 'rejected', failure, catalogueId: read.catalogueId }),
    );
    return { status: 'failed', failure, catalogueId: read.catalogueId, recipients: all };
  }
  return { status: 'deferred', failure, catalogueId: read.catalogueId, hint: read.hint, recipients };
}
