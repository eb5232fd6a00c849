import { type ChangeEvent, useCallback, useRef, useState } from 'react';

/** Error messages keyed by field path (`name`, `emails.0.email`). */
export type FormErrors = Record<string, string | undefined>;

type StringKeys<V> = { [K in keyof V]: V[K] extends string ? K : never }[keyof V] & string;

export interface FormState<V> {
  values: V;
  errors: FormErrors;
  setFieldValue<K extends keyof V & string>(field: K, value: V[K]): void;
  /** Replaces values through an updater; `touched` names the paths whose errors to clear. */
  updateValues(update: (previous: V) => V, touched: string): void;
  /** Shows errors (typically the server's) next to fields. */
  setErrors(errors: FormErrors): void;
  /** Runs the client-side rules; returns true when the form may be sent. */
  validate(): boolean;
  /** Props for a text-like Mantine input bound to a string field. */
  textProps(field: StringKeys<V>): {
    value: string;
    onChange: (event: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => void;
    error: string | undefined;
  };
}

const clearPath = (errors: FormErrors, path: string): FormErrors => {
  const next: FormErrors = {};
  for (const [key, message] of Object.entries(errors)) {
    if (key !== path && !key.startsWith(`${path}.`)) next[key] = message;
  }
  return next;
};

const hasErrors = (errors: FormErrors) => Object.values(errors).some((message) => message !== undefined);

/**
 * Small controlled-form state (the project has no form library). Rules run on submit; after
 * the first submit they re-run on every change, so messages disappear as soon as the user
 * fixes the field. Editing a field also clears the server's message for it.
 */
export function useFormState<V extends object>(
  initialValues: V,
  rules: (values: V) => FormErrors = () => ({}),
): FormState<V> {
  const [values, setValues] = useState(initialValues);
  const [errors, setErrorsState] = useState<FormErrors>({});
  const submitted = useRef(false);
  const rulesRef = useRef(rules);
  rulesRef.current = rules;

  const applyChange = useCallback((next: V, touched: string) => {
    setValues(next);
    setErrorsState((previous) => {
      const cleared = clearPath(previous, touched);
      if (!submitted.current) return cleared;
      const fresh = rulesRef.current(next);
      // Keep server messages for untouched fields, recompute client rules everywhere.
      return { ...cleared, ...fresh };
    });
  }, []);

  const setFieldValue = useCallback(
    <K extends keyof V & string>(field: K, value: V[K]) => applyChange({ ...values, [field]: value }, field),
    [applyChange, values],
  );

  const updateValues = useCallback(
    (update: (previous: V) => V, touched: string) => applyChange(update(values), touched),
    [applyChange, values],
  );

  const validate = useCallback(() => {
    submitted.current = true;
    const found = rulesRef.current(values);
    setErrorsState(found);
    return !hasErrors(found);
  }, [values]);

  const textProps = (field: StringKeys<V>) => ({
    value: values[field] as string,
    onChange: (event: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) =>
      setFieldValue(field, event.currentTarget.value as V[typeof field]),
    error: errors[field],
  });

  return { values, errors, setFieldValue, updateValues, setErrors: setErrorsState, validate, textProps };
}
