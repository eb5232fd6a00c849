import type { TFunction } from 'i18next';
import type { FormErrors } from '../../shared/lib/use-form-state';
import { compactErrors, createValidators, firstError } from '../../shared/lib/validators';
import type { AddressValues, EndpointValues } from './address-form-model';

/** Fields a connection test depends on: only these are checked before "Test account". */
export const CONNECTION_FIELDS = [
  'email',
  'login',
  'password',
  'smtp.host',
  'smtp.port',
  'smtp.security',
  'incoming.host',
  'incoming.port',
  'incoming.security',
] as const;

/** Every field key the dialog shows a message next to. */
export const DISPLAYED_FIELDS: ReadonlySet<string> = new Set([
  ...CONNECTION_FIELDS,
  'displayName',
  'replyTo',
  'signatureText',
  'signatureHtml',
  'projectIds',
  'accessEmployeeIds',
  'accessGroupIds',
  'deleteAfterDays',
  'newMailProjectId',
]);

export interface RuleContext {
  /** A password must be typed: new address, or the endpoint of a saved one changed (M21). */
  passwordRequired: boolean;
  mustReenter: boolean;
}

// Host names and IP literals; the server checks strictly, this catches typos like spaces.
const HOST_SHAPE = /^[^\s/@:]+$|^\[?[0-9a-f:.]+\]?$/i;

function endpointErrors(t: TFunction, prefix: string, e: EndpointValues): FormErrors {
  const v = createValidators(t);
  const host = e.host.trim();
  return {
    [`${prefix}.host`]: firstError(
      v.required(host),
      HOST_SHAPE.test(host) ? undefined : t('addressForm.validation.host'),
      v.maxLength(host, 253),
    ),
    [`${prefix}.port`]:
      e.port === ''
        ? t('validation.required')
        : e.port < 1 || e.port > 65535
          ? t('addressForm.validation.port')
          : undefined,
  };
}

/** Client-side checks of the dialog; the server repeats them and more. */
export function addressRules(t: TFunction, context: RuleContext) {
  const v = createValidators(t);
  return (values: AddressValues): FormErrors =>
    compactErrors({
      email: firstError(v.email(values.email), v.maxLength(values.email.trim(), 254)),
      displayName: v.maxLength(values.displayName, 200),
      login: v.maxLength(values.login, 254),
      password:
        context.passwordRequired && values.password === ''
          ? t(
              context.mustReenter
                ? 'addressForm.serverErrors.password_required_after_change'
                : 'validation.required',
            )
          : undefined,
      ...endpointErrors(t, 'smtp', values.smtp),
      ...endpointErrors(t, 'incoming', values.incoming),
      replyTo: values.replyTo.trim() ? v.email(values.replyTo) : undefined,
      newMailProjectId:
        values.collectReplies && values.createTasksFromNewMail && !values.newMailProjectId
          ? t('addressForm.validation.newMailProject')
          : undefined,
    });
}

/** Only the connection fields' messages (what must be fixed before a test can run). */
export function connectionErrors(errors: FormErrors): FormErrors {
  const keys: readonly string[] = CONNECTION_FIELDS;
  return compactErrors(Object.fromEntries(Object.entries(errors).filter(([key]) => keys.includes(key))));
}
