import type { FieldIssue } from './types';

/** Codes the client itself produces when no server answer could be read. */
export type ClientErrorCode = 'NETWORK_ERROR' | 'BAD_RESPONSE';

/**
 * A failed API call. `message` is the server's text (already in the UI language thanks to
 * `accept-language`) or, for client-side failures, empty: the UI translates `code` then.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  readonly requestId: string | undefined;

  constructor(status: number, code: string, message: string, details?: unknown, requestId?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.requestId = requestId;
  }

  /** Field problems of a `VALIDATION_FAILED` answer (empty for other errors). */
  get fields(): FieldIssue[] {
    const details = this.details as { fields?: unknown } | null | undefined;
    if (!details || !Array.isArray(details.fields)) return [];
    return details.fields.filter(
      (f): f is FieldIssue =>
        typeof f === 'object' && f !== null && typeof (f as FieldIssue).path === 'string',
    );
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

/** True when the error means "your session is gone": the UI goes back to the login page. */
export const isUnauthenticated = (e: unknown): boolean =>
  isApiError(e) && e.status === 401 && e.code !== 'INVALID_CREDENTIALS';
