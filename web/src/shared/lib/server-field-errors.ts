import type { TFunction } from 'i18next';
import { isApiError } from '../api/api-error';
import type { FormErrors } from './use-form-state';

/** `/body/emails/0/email` → `emails.0.email`; null for anything not in the request body. */
export function fieldKeyFromPointer(pointer: string): string | null {
  const segments = pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (segments[0] !== 'body' || segments.length < 2) return null;
  return segments.slice(1).join('.');
}

const SERVER_CODES = [
  'required',
  'format',
  'email',
  'pattern',
  'maxLength',
  'minLength',
  'taken',
  'enum',
  'minItems',
] as const;
type ServerCode = (typeof SERVER_CODES)[number];
const isServerCode = (code: string): code is ServerCode => (SERVER_CODES as readonly string[]).includes(code);

export interface ServerFieldErrors {
  /** Messages to show next to fields the form displays. */
  fields: FormErrors;
  /** Messages for fields the form does not show (rendered in an alert above the buttons). */
  other: string[];
}

/**
 * Splits a failed save into messages next to fields and leftovers. A path is attached to the
 * nearest ancestor the form displays (`emails.0` → `emails` when rows have no own slot).
 * `EMAIL_TAKEN` without field details is attached to the `email` field when there is one.
 */
export function serverFieldErrors(
  error: unknown,
  isDisplayed: (key: string) => boolean,
  t: TFunction,
): ServerFieldErrors {
  const result: ServerFieldErrors = { fields: {}, other: [] };
  if (!isApiError(error)) return result;
  for (const issue of error.fields) {
    const message =
      issue.message ||
      (isServerCode(issue.code) ? t(`validation.server.${issue.code}`) : t('validation.invalid'));
    const key = fieldKeyFromPointer(issue.path);
    let target: string | null = null;
    if (key !== null) {
      const parts = key.split('.');
      for (let length = parts.length; length > 0 && target === null; length -= 1) {
        const candidate = parts.slice(0, length).join('.');
        if (isDisplayed(candidate)) target = candidate;
      }
    }
    if (target === null) result.other.push(message);
    else if (result.fields[target] === undefined) result.fields[target] = message;
  }
  if (error.code === 'EMAIL_TAKEN' && error.fields.length === 0 && isDisplayed('email')) {
    result.fields.email = error.message || t('validation.server.taken');
  }
  return result;
}
