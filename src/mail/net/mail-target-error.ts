import type { MailProtocol } from '../../domain/mailbox/connection.js';
import type { MailFailure } from '../../domain/mailbox/mail-failure.js';

/**
 * The one message for every refused target (SECURITY.md §1.2 item 8): it must not say which
 * rule refused, or the Test button becomes an oracle for probing internal networks.
 */
export const TARGET_REFUSED_MESSAGE = 'This server address is not allowed.';
export const HOST_NOT_FOUND_MESSAGE = 'Host not found.';

/**
 * Thrown by the mail target resolver. `failure.kind` is `policy` (refused by the network
 * policy; which rule is only in `failure.detail`, for logs) or `dns` (fails closed).
 */
export class MailTargetError extends Error {
  readonly failure: MailFailure;

  constructor(failure: MailFailure, options?: { cause?: unknown }) {
    super(failure.kind === 'policy' ? TARGET_REFUSED_MESSAGE : HOST_NOT_FOUND_MESSAGE, options);
    this.name = 'MailTargetError';
    this.failure = failure;
  }
}

/** A policy refusal; `detail` names the rule for logs only. */
export function targetRefused(protocol: MailProtocol, host: string, detail: string): MailTargetError {
  return new MailTargetError({ kind: 'policy', protocol, step: 'resolve', host, detail });
}

/** A DNS failure (not found, SERVFAIL, empty answer, timeout): the target is not dialled. */
export function hostNotFound(
  protocol: MailProtocol,
  host: string,
  code: string,
  detail: string,
  cause?: unknown,
): MailTargetError {
  return new MailTargetError({ kind: 'dns', protocol, step: 'resolve', host, code, detail }, { cause });
}

/** Type guard that also works across module copies (checks the shape, not the prototype). */
export function isMailTargetError(err: unknown): err is MailTargetError {
  return (
    err instanceof MailTargetError ||
    (err instanceof Error &&
      err.name === 'MailTargetError' &&
      typeof (err as { failure?: unknown }).failure === 'object')
  );
}
