import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { notifyError } from '../ui/notify';
import { serverFieldErrors } from './server-field-errors';
import type { FormState } from './use-form-state';

/**
 * Submit handler for a modal form: client rules first, then `save`; a failure puts the
 * server's field messages next to the fields, lists the rest above the buttons and shows a
 * toast with the server's message.
 */
export function useFormSubmit<V>(
  form: FormState<V>,
  isDisplayed: (key: string) => boolean,
  save: (values: V) => Promise<unknown>,
) {
  const { t } = useTranslation();
  const [otherErrors, setOtherErrors] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (saving || !form.validate()) return;
    setSaving(true);
    setOtherErrors([]);
    try {
      await save(form.values);
    } catch (error) {
      const split = serverFieldErrors(error, isDisplayed, t);
      form.setErrors(split.fields);
      setOtherErrors(split.other);
      notifyError(error, t);
    } finally {
      setSaving(false);
    }
  };

  return { onSubmit, otherErrors, saving };
}
