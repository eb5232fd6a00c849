import type { TFunction } from 'i18next';
import { isApiError } from '../../shared/api/api-error';
import { fieldKeyFromPointer, type ServerFieldErrors } from '../../shared/lib/server-field-errors';

/** Issue codes of the address API that deserve a specific sentence in the dialog. */
const KNOWN_CODES = [
  'password_required_after_change',
  'reconnect_required',
  'sender_not_own',
  'oauth_host_not_allowed',
  'plaintext_not_allowed',
  'host',
  'certificate_mismatch',
  'non_ascii_local',
  'unknown_reference',
  'not_allowed',
  'required',
  'email',
] as const;
type KnownCode = (typeof KNOWN_CODES)[number];
const isKnown = (code: string): code is KnownCode => (KNOWN_CODES as readonly string[]).includes(code);

/** API field paths whose form field has another name. */
const ALIASES: Record<string, string> = {
  'options.newMailProjectId': 'newMailProjectId',
  'options.deleteAfterDays': 'deleteAfterDays',
  'access.groupIds': 'accessGroupIds',
  'access.employeeIds': 'accessEmployeeIds',
};

function formKey(apiKey: string): string {
  for (const [from, to] of Object.entries(ALIASES)) {
    if (apiKey === from || apiKey.startsWith(`${from}.`)) return to + apiKey.slice(from.length);
  }
  return apiKey;
}

/**
 * The address API's field problems as messages next to the dialog's fields. Codes the
 * dialog knows get its own wording (the server's generic text for them is vague); the rest
 * use the server's message. Paths the dialog does not show are returned in `other`.
 */
export function addressFieldErrors(
  error: unknown,
  isDisplayed: (key: string) => boolean,
  t: TFunction,
): ServerFieldErrors {
  const result: ServerFieldErrors = { fields: {}, other: [] };
  if (!isApiError(error)) return result;
  for (const issue of error.fields) {
    const message = isKnown(issue.code)
      ? t(`addressForm.serverErrors.${issue.code}`)
      : issue.message || t('validation.invalid');
    const key = fieldKeyFromPointer(issue.path);
    let target: string | null = null;
    if (key !== null) {
      const parts = formKey(key).split('.');
      for (let length = parts.length; length > 0 && target === null; length -= 1) {
        const candidate = parts.slice(0, length).join('.');
        if (isDisplayed(candidate)) target = candidate;
      }
    }
    if (target === null) result.other.push(message);
    else if (result.fields[target] === undefined) result.fields[target] = message;
  }
  return result;
}
