import type { TFunction } from 'i18next';
import { isVisiblyBlank } from '../../../../src/domain/visible-text';
import type { FormErrors } from './use-form-state';

// Deliberately loose: the server parses addresses strictly (IDN allowed); this only
// catches obvious typos before a round trip.
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/u;

/** Client-side checks shared by forms; each returns a message or undefined. */
export function createValidators(t: TFunction) {
  return {
    // The server's rule for required names (refuseBlank): nothing visible is as good as empty.
    required: (value: string) => (isVisiblyBlank(value) ? t('validation.required') : undefined),
    /** For secrets, where any character counts (a password may be all spaces): only empty is missing. */
    present: (value: string) => (value === '' ? t('validation.required') : undefined),
    email: (value: string) => {
      if (value.trim() === '') return t('validation.required');
      return EMAIL_SHAPE.test(value.trim()) ? undefined : t('validation.email');
    },
    minLength: (value: string, min: number) =>
      value.length < min ? t('validation.minLength', { count: min }) : undefined,
    maxLength: (value: string, max: number) =>
      value.length > max ? t('validation.maxLength', { count: max }) : undefined,
  };
}

/** First message of a list of checks (undefined when all pass). */
export const firstError = (...messages: (string | undefined)[]): string | undefined =>
  messages.find((message) => message !== undefined);

/** Drops fields without a message, so an empty object means "valid". */
export const compactErrors = (errors: FormErrors): FormErrors =>
  Object.fromEntries(Object.entries(errors).filter(([, message]) => message !== undefined));
