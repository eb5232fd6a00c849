import {
  Divider,
  Grid,
  MultiSelect,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { employeesApi, groupsApi, MAX_PAGE_SIZE, projectsApi } from '../../shared/api/resources';
import type { FormErrors } from '../../shared/lib/use-form-state';
import { useResourceList } from '../../shared/lib/use-resource';
import type { AddressValues } from './address-form-model';

interface AdditionalOptionsProps {
  values: AddressValues;
  set: <K extends keyof AddressValues>(field: K, value: AddressValues[K]) => void;
  errors: FormErrors;
  isCompany: boolean;
}

/** Option lists for the pickers; ids not on the loaded page still get a neutral label. */
function useOptions(
  isCompany: boolean,
  selected: { projects: string[]; employees: string[]; groups: string[] },
) {
  const { t } = useTranslation();
  const projects = useResourceList(projectsApi, { limit: MAX_PAGE_SIZE, offset: 0 });
  const employees = useResourceList(employeesApi, { limit: MAX_PAGE_SIZE, offset: 0 }, isCompany);
  const groups = useResourceList(groupsApi, { limit: MAX_PAGE_SIZE, offset: 0 }, isCompany);
  const withUnknown = (options: { value: string; label: string }[], ids: string[]) => [
    ...options,
    ...ids
      .filter((id) => !options.some((option) => option.value === id))
      .map((id) => ({ value: id, label: t('addressForm.unknownItem') })),
  ];
  return {
    projects: withUnknown(
      (projects.data?.items ?? []).map((p) => ({ value: p.id, label: p.name })),
      selected.projects,
    ),
    employees: withUnknown(
      (employees.data?.items ?? []).map((e) => ({ value: e.id, label: `${e.name} <${e.email}>` })),
      selected.employees,
    ),
    groups: withUnknown(
      (groups.data?.items ?? []).map((g) => ({ value: g.id, label: g.name })),
      selected.groups,
    ),
    loading: projects.isPending,
  };
}

/**
 * "Additional options" of an address (M9, M12, M13): projects, access (company addresses),
 * Reply-To, signature, copies, receiving and tasks from new mail, active. None of them needs
 * a new connection test when changed (M20).
 */
export function AdditionalOptions({ values, set, errors, isCompany }: AdditionalOptionsProps) {
  const { t } = useTranslation();
  const options = useOptions(isCompany, {
    projects: [...values.projectIds, ...(values.newMailProjectId ? [values.newMailProjectId] : [])],
    employees: values.accessEmployeeIds,
    groups: values.accessGroupIds,
  });

  return (
    <Stack gap="md">
      <MultiSelect
        label={t('addressForm.projects')}
        description={t('addressForm.projectsHint')}
        placeholder={values.projectIds.length === 0 ? t('addressForm.allProjects') : undefined}
        data={options.projects}
        value={values.projectIds}
        onChange={(next) => set('projectIds', next)}
        error={errors.projectIds}
        searchable
        clearable
        hidePickedOptions
        nothingFoundMessage={t('addressForm.nothingFound')}
      />
      {isCompany ? (
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <MultiSelect
            label={t('addressForm.accessEmployees')}
            description={t('addressForm.accessHint')}
            placeholder={
              values.accessEmployeeIds.length > 0
                ? undefined
                : values.accessGroupIds.length > 0
                  ? t('addressForm.addEmployees')
                  : t('addressForm.everyone')
            }
            data={options.employees}
            value={values.accessEmployeeIds}
            onChange={(next) => set('accessEmployeeIds', next)}
            error={errors.accessEmployeeIds}
            searchable
            clearable
            hidePickedOptions
            nothingFoundMessage={t('addressForm.nothingFound')}
          />
          <MultiSelect
            label={t('addressForm.accessGroups')}
            description={t('addressForm.accessGroupsHint')}
            placeholder={values.accessGroupIds.length === 0 ? t('addressForm.noGroups') : undefined}
            data={options.groups}
            value={values.accessGroupIds}
            onChange={(next) => set('accessGroupIds', next)}
            error={errors.accessGroupIds}
            searchable
            clearable
            hidePickedOptions
            nothingFoundMessage={t('addressForm.nothingFound')}
          />
        </SimpleGrid>
      ) : null}
      <TextInput
        label={t('addressForm.replyTo')}
        description={t('addressForm.replyToHint')}
        placeholder={t('addressForm.replyToPlaceholder')}
        value={values.replyTo}
        onChange={(event) => set('replyTo', event.currentTarget.value)}
        error={errors.replyTo}
        type="email"
      />
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
        <Textarea
          label={t('addressForm.signatureText')}
          description={t('addressForm.signatureHint')}
          autosize
          minRows={3}
          maxRows={8}
          value={values.signatureText}
          onChange={(event) => set('signatureText', event.currentTarget.value)}
          error={errors.signatureText}
        />
        <Textarea
          label={t('addressForm.signatureHtml')}
          description={t('addressForm.signatureHtmlHint')}
          autosize
          minRows={3}
          maxRows={8}
          value={values.signatureHtml}
          onChange={(event) => set('signatureHtml', event.currentTarget.value)}
          error={errors.signatureHtml}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } }}
        />
      </SimpleGrid>
      <Divider />
      <Switch
        label={t('addressForm.bccSelf')}
        description={t('addressForm.bccSelfHint')}
        checked={values.bccSelf}
        onChange={(event) => set('bccSelf', event.currentTarget.checked)}
      />
      <Switch
        label={t('addressForm.collectReplies')}
        description={t('addressForm.collectRepliesHint')}
        checked={values.collectReplies}
        onChange={(event) => set('collectReplies', event.currentTarget.checked)}
      />
      <Grid gap="md" align="flex-start">
        <Grid.Col span={{ base: 12, sm: 7 }}>
          <Switch
            label={t('addressForm.leaveOnServer')}
            description={t('addressForm.leaveOnServerHint')}
            checked={values.leaveOnServer}
            disabled={!values.collectReplies}
            onChange={(event) => set('leaveOnServer', event.currentTarget.checked)}
          />
        </Grid.Col>
        {!values.leaveOnServer ? (
          <Grid.Col span={{ base: 12, sm: 5 }}>
            <NumberInput
              label={t('addressForm.deleteAfterDays')}
              description={t('addressForm.deleteAfterDaysHint')}
              min={0}
              max={3650}
              allowDecimal={false}
              allowNegative={false}
              value={values.deleteAfterDays}
              onChange={(next) => set('deleteAfterDays', typeof next === 'number' ? next : '')}
              error={errors.deleteAfterDays}
            />
          </Grid.Col>
        ) : null}
      </Grid>
      <Grid gap="md" align="flex-start">
        <Grid.Col span={{ base: 12, sm: 7 }}>
          <Switch
            label={t('addressForm.createTasks')}
            description={t('addressForm.createTasksHint')}
            checked={values.createTasksFromNewMail}
            disabled={!values.collectReplies}
            onChange={(event) => set('createTasksFromNewMail', event.currentTarget.checked)}
          />
        </Grid.Col>
        {values.createTasksFromNewMail ? (
          <Grid.Col span={{ base: 12, sm: 5 }}>
            <Select
              label={t('addressForm.newMailProject')}
              required
              data={options.projects}
              value={values.newMailProjectId}
              onChange={(next) => set('newMailProjectId', next)}
              error={errors.newMailProjectId}
              searchable
              nothingFoundMessage={t('addressForm.nothingFound')}
            />
          </Grid.Col>
        ) : null}
      </Grid>
      <Divider />
      <Switch
        label={t('addressForm.active')}
        description={t('addressForm.activeHint')}
        checked={values.active}
        onChange={(event) => set('active', event.currentTarget.checked)}
      />
    </Stack>
  );
}
