import { isVisiblyBlank } from './visible-text.js';

/**
 * AppError: the one error type services and the domain throw. The code is stable
 * (clients and tests match on it); only http/plugins/error-handler.ts maps codes to
 * HTTP statuses, and user-facing texts come from domain/error-messages.ts.
 */
export type AppErrorCode =
  | 'VALIDATION_FAILED'
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'UNAUTHENTICATED'
  | 'INVALID_CREDENTIALS'
  | 'CSRF_FAILED'
  | 'RATE_LIMITED'
  | 'CONFLICT'
  | 'EMAIL_TAKEN'
  | 'ADDRESS_EXISTS'
  | 'PROJECT_NAME_TAKEN'
  | 'LAST_ADMIN'
  | 'TEST_REQUIRED'
  | 'PASSWORD_REQUIRED'
  | 'MAIL_TARGET_REFUSED'
  | 'SENDER_NOT_APPLICABLE'
  | 'SECRET_UNREADABLE'
  | 'ADDRESS_DISABLED'
  | 'RESTRICTION_REVIEW_REQUIRED'
  | 'ADDRESS_NEEDS_PASSWORD'
  | 'PAYLOAD_TOO_LARGE'
  | 'OAUTH_NOT_CONFIGURED'
  | 'OAUTH_FLOW_INVALID'
  | 'OAUTH_ACCOUNT_MISMATCH'
  | 'OAUTH_GRANT_LOST'
  | 'OAUTH_UNAVAILABLE'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'MESSAGE_NOT_RETRYABLE'
  | 'MESSAGE_NOT_RESENDABLE'
  | 'ADDRESS_NOT_COLLECTING'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'INTERNAL';

/** The things a NOT_FOUND can name; each has a name in every UI language (error-messages.ts). */
export const ENTITY_NAMES = [
  'employee',
  'group',
  'project',
  'contact',
  'token',
  'email address',
  'route',
  'task',
  'comment',
  'attachment',
  'email',
  'oauth grant',
  'test email',
  'workspace',
] as const;
export type EntityName = (typeof ENTITY_NAMES)[number];

export interface FieldIssue {
  /** JSON pointer into the request, e.g. `/body/email` or `/query/limit`. */
  path: string;
  /** Stable machine code of the problem: `required`, `format`, `maxLength`, `taken`, … */
  code: string;
  /** Human message in the request's language. */
  message?: string;
  params?: Record<string, unknown>;
}

export interface AppErrorOptions {
  /** Parameters for the message template of this code (e.g. `{ id }`). */
  params?: Record<string, string | number>;
  details?: unknown;
  fields?: FieldIssue[];
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly params: Record<string, string | number>;
  readonly details: unknown;
  readonly fields: FieldIssue[] | undefined;

  constructor(code: AppErrorCode, options: AppErrorOptions = {}) {
    super(code, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.params = options.params ?? {};
    this.details = options.details;
    this.fields = options.fields;
  }
}

export const notFound = (entity: EntityName, id?: string): AppError =>
  new AppError('NOT_FOUND', { params: { entity, id: id ?? '' } });

export const validationFailed = (fields: FieldIssue[]): AppError =>
  new AppError('VALIDATION_FAILED', { fields });

/**
 * Refuses required text with no visible character: only whitespace, or invisible characters
 * such as U+2800 or zero-width ones (visible-text.ts). The schema's `minLength` counts them, so
 * "   " or "\u2800" would be stored as a name that shows empty. Same code as an absent field:
 * `required`. `undefined` (not sent on a PATCH) passes.
 */
export function refuseBlank(fields: Record<string, string | undefined>): void {
  const blank = Object.keys(fields).filter((k) => fields[k] !== undefined && isVisiblyBlank(fields[k]));
  if (blank.length > 0) throw validationFailed(blank.map((k) => ({ path: `/body/${k}`, code: 'required' })));
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
