import type { TFunction } from 'i18next';
import { isApiError } from '../api/api-error';

const KNOWN_CODES = [
  'NETWORK_ERROR',
  'BAD_RESPONSE',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'RATE_LIMITED',
  'CSRF_FAILED',
  'VALIDATION_FAILED',
  'INTERNAL',
] as const;
type KnownCode = (typeof KNOWN_CODES)[number];
const isKnownCode = (code: string): code is KnownCode => (KNOWN_CODES as readonly string[]).includes(code);

/**
 * The sentence to show for a failed call: the server's own message when it sent one (it is
 * already in the UI language), otherwise a translated text for the code.
 */
export function errorMessage(error: unknown, t: TFunction): string {
  if (!isApiError(error)) return t('errors.generic');
  if (error.message) return error.message;
  if (isKnownCode(error.code)) return t(`errors.codes.${error.code}`);
  return error.status >= 500 ? t('errors.codes.INTERNAL') : t('errors.generic');
}

/** A support reference for server-side failures (shown small under the message). */
export function errorReference(error: unknown): string | undefined {
  return isApiError(error) && error.status >= 500 ? error.requestId : undefined;
}
