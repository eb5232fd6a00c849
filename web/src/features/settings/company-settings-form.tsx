import { Button, Group, Paper, Select, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../shared/api/types';
import { useFormState } from '../../shared/lib/use-form-state';
import { useFormSubmit } from '../../shared/lib/use-form-submit';
import { compactErrors, createValidators, firstError } from '../../shared/lib/validators';
import { notifySuccess } from '../../shared/ui/notify';
import { SESSION_KEY } from '../auth/session-query';
import { settingsApi, WORKSPACE_KEY, WORKSPACE_NAME_MAX, type WorkspaceSettings } from './settings-api';

/** The settings the form edits, as the API shows them. */
type Values = Pick<
  WorkspaceSettings,
  'name' | 'defaultLanguage' | 'employeesManageOwnAddresses' | 'oneEmailForAllRecipients'
>;
const FIELDS: ReadonlySet<string> = new Set([
  'name',
  'defaultLanguage',
  'employeesManageOwnAddresses',
  'oneEmailForAllRecipients',
]);

const rules = (t: TFunction) => (values: Values) => {
  const v = createValidators(t);
  return compactErrors({
    name: firstError(v.required(values.name), v.maxLength(values.name.trim(), WORKSPACE_NAME_MAX)),
  });
};

/** Name, default language and the M48 switch; an admin's first save ends the naming invite. */
export function CompanySettingsForm({
  settings,
  canEdit,
}: {
  settings: WorkspaceSettings;
  canEdit: boolean;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const form = useFormState<Values>(
    {
      name: settings.name,
      defaultLanguage: settings.defaultLanguage,
      employeesManageOwnAddresses: settings.employeesManageOwnAddresses,
      oneEmailForAllRecipients: settings.oneEmailForAllRecipients,
    },
    rules(t),
  );
  const { onSubmit, otherErrors, saving } = useFormSubmit(
    form,
    (key) => FIELDS.has(key),
    async (values) => {
      const saved = await settingsApi.update({ ...values, name: values.name.trim() });
      queryClient.setQueryData(WORKSPACE_KEY, saved);
      // The session carries the company name shown in the navigation.
      await queryClient.invalidateQueries({ queryKey: SESSION_KEY });
      form.setFieldValue('name', saved.name);
      notifySuccess(t('settings.saved'));
    },
  );

  return (
    <Paper withBorder radius="md" p="lg">
      <form onSubmit={onSubmit} noValidate aria-labelledby="company-settings-title">
        <Stack gap="md">
          <Title order={2} size="h4" id="company-settings-title">
            {t('settings.company.title')}
          </Title>
          <TextInput
            label={t('settings.company.name')}
            description={t('settings.company.nameHint')}
            required
            disabled={!canEdit}
            data-autofocus
            {...form.textProps('name')}
          />
          <Select
            label={t('settings.company.defaultLanguage')}
            description={t('settings.company.defaultLanguageHint')}
            allowDeselect={false}
            disabled={!canEdit}
            data={[
              { value: 'pl', label: t('settings.languages.pl') },
              { value: 'en', label: t('settings.languages.en') },
            ]}
            value={form.values.defaultLanguage}
            onChange={(next) => next && form.setFieldValue('defaultLanguage', next as Language)}
          />
          <Switch
            label={t('settings.company.employeesManageOwn')}
            description={t('settings.company.employeesManageOwnHint')}
            disabled={!canEdit}
            checked={form.values.employeesManageOwnAddresses}
            onChange={(event) =>
              form.setFieldValue('employeesManageOwnAddresses', event.currentTarget.checked)
            }
          />
          <Switch
            label={t('settings.company.oneEmailForAll')}
            description={t('settings.company.oneEmailForAllHint')}
            disabled={!canEdit}
            checked={form.values.oneEmailForAllRecipients}
            onChange={(event) => form.setFieldValue('oneEmailForAllRecipients', event.currentTarget.checked)}
          />
          {canEdit ? (
            <Group justify="flex-end">
              {otherErrors.length > 0 ? (
                <Text size="sm" c="red" role="alert">
                  {otherErrors.join(' ')}
                </Text>
              ) : null}
              <Button type="submit" loading={saving}>
                {t('actions.save')}
              </Button>
            </Group>
          ) : (
            <Text size="sm" c="dimmed">
              {t('settings.adminOnly')}
            </Text>
          )}
        </Stack>
      </form>
    </Paper>
  );
}
