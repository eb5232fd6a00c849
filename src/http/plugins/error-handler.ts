import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { type AppErrorCode, type FieldIssue, isAppError } from '../../domain/errors.js';
import { codeMessage, fieldMessage } from '../i18n/error-messages.js';
import { type Lang, pickLanguage } from '../i18n/language.js';
import type { App } from '../routes/types.js';
import { EMAIL_PATTERN, type ErrorDetails } from '../schemas/common.js';
import { flatObject } from '../schemas/flat-json.js';

/** The only place that maps error codes to HTTP statuses (STYLE rule 5). */
const STATUS: Record<AppErrorCode, number> = {
  VALIDATION_FAILED: 400,
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  CSRF_FAILED: 403,
  RATE_LIMITED: 429,
  CONFLICT: 409,
  EMAIL_TAKEN: 409,
  ADDRESS_EXISTS: 409,
  PROJECT_NAME_TAKEN: 409,
  LAST_ADMIN: 409,
  TEST_REQUIRED: 409,
  PASSWORD_REQUIRED: 400,
  MAIL_TARGET_REFUSED: 400,
  SENDER_NOT_APPLICABLE: 422,
  SECRET_UNREADABLE: 409,
  ADDRESS_DISABLED: 409,
  ADDRESS_NOT_COLLECTING: 409,
  RESTRICTION_REVIEW_REQUIRED: 409,
  ADDRESS_NEEDS_PASSWORD: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  OAUTH_NOT_CONFIGURED: 404,
  OAUTH_FLOW_INVALID: 400,
  OAUTH_ACCOUNT_MISMATCH: 409,
  OAUTH_GRANT_LOST: 409,
  OAUTH_UNAVAILABLE: 503,
  IDEMPOTENCY_KEY_REUSED: 422,
  MESSAGE_NOT_RETRYABLE: 409,
  MESSAGE_NOT_RESENDABLE: 409,
  INTERNAL: 500,
};

export const requestLanguage = (request: FastifyRequest): Lang =>
  pickLanguage(request.headers['accept-language'], request.auth?.employee.language ?? 'en');

interface AjvError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
}

/** Turns Ajv errors into our field issues with JSON-pointer paths like `/body/email`. */
function fieldsFromValidation(errors: AjvError[], context: string | undefined, lang: Lang): FieldIssue[] {
  return errors.map((e) => {
    let path = `/${context ?? 'body'}${e.instancePath}`;
    let code = e.keyword;
    if (e.keyword === 'required') path += `/${String(e.params.missingProperty)}`;
    if (e.keyword === 'additionalProperties') path += `/${String(e.params.additionalProperty)}`;
    if (e.keyword === 'pattern' && e.params.pattern === EMAIL_PATTERN) code = 'email';
    if (e.keyword === 'format')
      code =
        String(e.params.format) === 'email'
          ? 'email'
          : String(e.params.format) === 'uuid'
            ? 'uuid'
            : 'format';
    const params = { limit: e.params.limit ?? e.params.comparison ?? '' };
    return { path, code, message: fieldMessage(code, lang, params), params: { ...e.params } };
  });
}

const fieldView = (f: FieldIssue) => ({
  path: f.path,
  code: f.code,
  message: f.message ?? '',
  ...(f.params ? { params: flatObject(f.params) } : {}),
});

/** The declared keys of an `AppError`'s details (ErrorDetailsView); anything else stays here. */
function knownDetails(details: unknown): ErrorDetails | undefined {
  if (typeof details !== 'object' || details === null) return undefined;
  const d = details as ErrorDetails;
  const known: ErrorDetails = {
    ...(d.existing ? { existing: d.existing } : {}),
    ...(typeof d.retryAfterSeconds === 'number' ? { retryAfterSeconds: d.retryAfterSeconds } : {}),
  };
  return Object.keys(known).length > 0 ? known : undefined;
}

export function sendError(
  reply: FastifyReply,
  request: FastifyRequest,
  status: number,
  code: AppErrorCode,
  message: string,
  details?: ErrorDetails,
) {
  return reply
    .status(status)
    .send({ error: { code, message, ...(details === undefined ? {} : { details }) }, requestId: request.id });
}

export function registerErrorHandler(app: App) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const lang = requestLanguage(request);
    if (isAppError(error)) {
      const status = STATUS[error.code];
      if (error.code === 'RATE_LIMITED' && typeof error.params.seconds === 'number') {
        reply.header('retry-after', String(error.params.seconds));
      }
      const fields = error.fields?.map((f) => ({
        ...f,
        message: f.message ?? fieldMessage(f.code, lang, f.params),
      }));
      const details = fields ? { fields: fields.map(fieldView) } : knownDetails(error.details);
      if (status >= 500) request.log.error({ err: error }, 'request failed');
      return sendError(
        reply,
        request,
        status,
        error.code,
        codeMessage(error.code, lang, error.params),
        details,
      );
    }
    if (error.validation) {
      const fields = fieldsFromValidation(error.validation as AjvError[], error.validationContext, lang);
      return sendError(reply, request, 400, 'VALIDATION_FAILED', codeMessage('VALIDATION_FAILED', lang), {
        fields: fields.map(fieldView),
      });
    }
    if (error.statusCode === 413 || error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return sendError(reply, request, 413, 'PAYLOAD_TOO_LARGE', codeMessage('PAYLOAD_TOO_LARGE', lang));
    }
    if (error.statusCode === 415 || error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      // A form post or any body other than JSON: the body was never read, so no field is named.
      const code = 'UNSUPPORTED_MEDIA_TYPE';
      return sendError(reply, request, 415, code, codeMessage(code, lang));
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      // Fastify's own client errors (bad JSON): safe to describe.
      const fields = [{ path: '/body', code: 'format', message: fieldMessage('format', lang) }];
      return sendError(
        reply,
        request,
        error.statusCode,
        'VALIDATION_FAILED',
        codeMessage('VALIDATION_FAILED', lang),
        { fields },
      );
    }
    // Anything else is a bug or an outage: log it whole, show nothing of it.
    request.log.error({ err: error }, 'unhandled error');
    return sendError(reply, request, 500, 'INTERNAL', codeMessage('INTERNAL', lang));
  });
}
