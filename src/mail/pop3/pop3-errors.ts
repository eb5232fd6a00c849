import type {
  CertificateInfo,
  CertificateProblem,
  MailFailure,
  MailFailureKind,
} from '../../domain/mailbox/mail-failure.js';
import { redactSecrets, sanitizeServerText } from '../../domain/mailbox/mail-failure.js';
import type { OutgrownMessage } from '../../ports/incoming-mailbox.js';
import { certificateProblemOf } from '../net/tls-options.js';

/** The one error type of the POP3 client: everything a caller needs is in `failure`. */
export class Pop3Error extends Error {
  readonly failure: MailFailure;
  /** Set when a RETR body outgrew its LIST size (see `OutgrownMessage`). */
  outgrown?: OutgrownMessage;

  constructor(failure: MailFailure, options: { cause?: unknown } = {}) {
    super(describeFailure(failure), { cause: options.cause });
    this.name = 'Pop3Error';
    this.failure = failure;
  }

  get kind(): MailFailureKind {
    return this.failure.kind;
  }
}

export const isPop3Error = (e: unknown): e is Pop3Error => e instanceof Pop3Error;

function describeFailure(f: MailFailure): string {
  const where = f.step ? ` at ${f.step}` : '';
  const code = f.code ? ` [${f.code}]` : '';
  const text = f.response ?? f.detail ?? f.timeout ?? '';
  return `POP3 ${f.kind}${where}${code}${text ? `: ${text}` : ''}`;
}

/** Fields of a failure besides `kind` and `protocol`. */
export type FailureFields = Omit<MailFailure, 'kind' | 'protocol'>;

/** Builds a Pop3Error; `response` is sanitised and stripped of the given secrets here. */
export function pop3Error(
  kind: MailFailureKind,
  fields: FailureFields = {},
  secrets: readonly string[] = [],
  cause?: unknown,
): Pop3Error {
  const failure: MailFailure = { kind, protocol: 'pop3' };
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) (failure as unknown as Record<string, unknown>)[key] = value;
  }
  if (failure.response !== undefined) failure.response = cleanServerText(failure.response, secrets);
  if (failure.detail !== undefined) failure.detail = cleanServerText(failure.detail, secrets, 500);
  return new Pop3Error(failure, { cause });
}

/** Untrusted server text → safe to show: secrets removed first (they may be split by sanitising). */
export function cleanServerText(text: string, secrets: readonly string[], max?: number): string {
  return sanitizeServerText(redactSecrets(text, secrets), max);
}

/**
 * RFC 2449 extended response codes (`-ERR [SYS/TEMP] …`), including RFC 3206's
 * `AUTH`, `SYS/TEMP`, `SYS/PERM`, plus `IN-USE` and `LOGIN-DELAY`.
 */
export function parseResponseCode(text: string): { code?: string; text: string } {
  const m = /^\[([A-Za-z0-9][A-Za-z0-9/-]{0,39})\]\s*/.exec(text);
  if (!m?.[1]) return { text };
  return { code: m[1].toUpperCase(), text };
}

/** Login refusals that are not about the credentials (RFC 3206 §4, RFC 2449 §8.1). */
const TRANSIENT_LOGIN_CODES = new Set(['SYS/TEMP', 'SYS/PERM', 'IN-USE', 'LOGIN-DELAY']);

/** Kind for a `-ERR` to USER/PASS/AUTH: `auth` unless the code says it was not the password. */
export const loginRefusalKind = (code: string | undefined): MailFailureKind =>
  code && TRANSIENT_LOGIN_CODES.has(code) ? 'reply' : 'auth';

export interface SocketErrorContext {
  phase: 'connect' | 'tls' | 'session';
  step?: string;
  host: string;
  pinned: boolean;
  certificate?: CertificateInfo;
}

/** Maps a Node socket/TLS error to a Pop3Error by the phase it happened in. */
export function socketFailure(err: unknown, ctx: SocketErrorContext): Pop3Error {
  if (err instanceof Pop3Error) return err;
  const code = errorCode(err);
  const message = err instanceof Error ? err.message : String(err);
  const base: FailureFields = { host: ctx.host, step: ctx.step ?? ctx.phase, code, detail: message };
  const problem: CertificateProblem | null =
    ctx.phase === 'tls' ? certificateProblemOf(err, { pinned: ctx.pinned }) : null;
  if (problem) {
    return pop3Error(
      'certificate',
      { ...base, certificateProblem: problem, certificate: ctx.certificate },
      [],
      err,
    );
  }
  // Before the connection exists: refused/unreachable; inside TLS setup: a handshake
  // failure (also a reset: often TLS spoken to a plain port); afterwards: a lost connection.
  const kind = ctx.phase === 'connect' ? 'connect' : ctx.phase === 'tls' ? 'tls' : 'closed';
  return pop3Error(kind, base, [], err);
}

function errorCode(err: unknown): string | undefined {
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}
