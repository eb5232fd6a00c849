import {
  Divider,
  PasswordInput,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Textarea,
  TextInput,
} from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { employeesApi } from '../../shared/api/resources';
import type { Employee, EmployeeCreateInput, EmployeeInput, Language } from '../../shared/api/types';
import { useFormState } from '../../shared/lib/use-form-state';
import { useFormSubmit } from '../../shared/lib/use-form-submit';
import { useResourceMutations } from '../../shared/lib/use-resource';
import { compactErrors, createValidators, firstError } from '../../shared/lib/validators';
import { FormActions } from '../../shared/ui/form-actions';
import { notifySuccess } from '../../shared/ui/notify';

/** The employee's fields the form edits, and the new password (empty: unchanged). */
type EmployeeValues = Pick<
  Employee,
  'name' | 'email' | 'role' | 'language' | 'active' | 'signatureText' | 'signatureHtml'
> &
  Required<Pick<EmployeeCreateInput, 'password'>>;

const FIELDS: ReadonlySet<string> = new Set<keyof EmployeeValues>([
  'name',
  'email',
  'role',
  'language',
  'active',
  'password',
  'signatureText',
  'signatureHtml',
]);

function initialValues(employee: Employee | undefined, language: Language): EmployeeValues {
  return {
    name: employee?.name ?? '',
    email: employee?.email ?? '',
    role: employee?.role ?? 'employee',
    language: employee?.language ?? language,
    active: employee?.active ?? true,
    password: '',
    signatureText: employee?.signatureText ?? '',
    signatureHtml: employee?.signatureHtml ?? '',
  };
}

/** The request body of a new employee: everything. */
function createInput(values: EmployeeValues): EmployeeCreateInput {
  const input: EmployeeCreateInput = {
    name: values.name.trim(),
    email: values.email.trim(),
    role: values.role,
    language: values.language,
    active: values.active,
    signatureText: values.signatureText,
    signatureHtml: values.signatureHtml,
  };
  if (values.password) input.password = values.password;
  return input;
}

/** The request body of an existing employee: only what changed (and a new password). */
function patchInput(values: EmployeeValues, employee: Employee): EmployeeInput {
  const input = createInput(values);
  const changed: EmployeeInput = {};
  for (const [key, value] of Object.entries(input) as [keyof EmployeeInput, unknown][]) {
    if (key === 'password' || employee[key as keyof Employee] !== value) {
      (changed as Record<string, unknown>)[key] = value;
    }
  }
  return changed;
}

function rules(t: TFunction) {
  const v = createValidators(t);
  return (values: EmployeeValues) =>
    compactErrors({
      name: firstError(v.required(values.name), v.maxLength(values.name, 200)),
      email: firstError(v.email(values.email), v.maxLength(values.email, 254)),
      password: values.password
        ? firstError(v.minLength(values.password, 10), v.maxLength(values.password, 200))
        : undefined,
      signatureText: v.maxLength(values.signatureText, 5000),
      signatureHtml: v.maxLength(values.signatureHtml, 20_000),
    });
}

interface EmployeeFormProps {
  /** Absent when creating. */
  employee?: Employee;
  onSaved: (employee: Employee) => void;
  onCancel: () => void;
}

/** Employee fields (create modal, edit modal and the card's Details tab). */
export function EmployeeForm({ employee, onSaved, onCancel }: EmployeeFormProps) {
  const { t, i18n } = useTranslation();
  const { create, update } = useResourceMutations(employeesApi, ['groups', 'session']);
  const form = useFormState(initialValues(employee, i18n.language === 'pl' ? 'pl' : 'en'), rules(t));
  const { onSubmit, otherErrors, saving } = useFormSubmit(
    form,
    (key) => FIELDS.has(key),
    async (values) => {
      const input = employee ? patchInput(values, employee) : null;
      if (employee && input && Object.keys(input).length === 0) {
        onSaved(employee);
        return;
      }
      const saved =
        employee && input
          ? await update.mutateAsync({ id: employee.id, input })
          : await create.mutateAsync(createInput(values));
      notifySuccess(t(employee ? 'employees.updated' : 'employees.created', { name: saved.name }));
      onSaved(saved);
    },
  );

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="md">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <TextInput
            label={t('employees.fields.name')}
            required
            autoComplete="off"
            data-autofocus
            {...form.textProps('name')}
          />
          <TextInput
            label={t('employees.fields.email')}
            type="email"
            required
            autoComplete="off"
            {...form.textProps('email')}
          />
          <Select
            label={t('employees.fields.role')}
            description={t('employees.fields.roleHint')}
            allowDeselect={false}
            data={[
              { value: 'employee', label: t('roles.employee') },
              { value: 'admin', label: t('roles.admin') },
            ]}
            value={form.values.role}
            onChange={(value) => form.setFieldValue('role', value === 'admin' ? 'admin' : 'employee')}
            error={form.errors.role}
          />
          <Select
            label={t('employees.fields.language')}
            description={t('employees.fields.languageHint')}
            allowDeselect={false}
            data={[
              { value: 'pl', label: t('language.pl') },
              { value: 'en', label: t('language.en') },
            ]}
            value={form.values.language}
            onChange={(value) => form.setFieldValue('language', value === 'pl' ? 'pl' : 'en')}
            error={form.errors.language}
          />
        </SimpleGrid>
        <PasswordInput
          label={t(employee ? 'employees.fields.newPassword' : 'employees.fields.password')}
          description={t(employee ? 'employees.fields.newPasswordHint' : 'employees.fields.passwordHint')}
          autoComplete="new-password"
          visibilityToggleButtonProps={{ 'aria-label': t('login.togglePassword') }}
          {...form.textProps('password')}
        />
        <Switch
          label={t('employees.fields.active')}
          description={t('employees.fields.activeHint')}
          checked={form.values.active}
          onChange={(event) => form.setFieldValue('active', event.currentTarget.checked)}
          error={form.errors.active}
        />
        <Divider label={t('employees.fields.signature')} labelPosition="left" mt="xs" />
        <Textarea
          label={t('employees.fields.signatureText')}
          description={t('employees.fields.signatureTextHint')}
          autosize
          minRows={3}
          maxRows={8}
          {...form.textProps('signatureText')}
        />
        <Textarea
          label={t('employees.fields.signatureHtml')}
          description={t('employees.fields.signatureHtmlHint')}
          autosize
          minRows={3}
          maxRows={8}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } }}
          {...form.textProps('signatureHtml')}
        />
        <FormActions
          submitLabel={t(employee ? 'actions.save' : 'actions.create')}
          onCancel={onCancel}
          loading={saving}
          otherErrors={otherErrors}
        />
      </Stack>
    </form>
  );
}
