import { MultiSelect, Stack, Textarea, TextInput } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { employeesApi, groupsApi, MAX_PAGE_SIZE } from '../../shared/api/resources';
import type { Group, GroupCreateInput } from '../../shared/api/types';
import { useFormState } from '../../shared/lib/use-form-state';
import { useFormSubmit } from '../../shared/lib/use-form-submit';
import { useResourceList, useResourceMutations } from '../../shared/lib/use-resource';
import { compactErrors, createValidators, firstError } from '../../shared/lib/validators';
import { FormActions } from '../../shared/ui/form-actions';
import { notifySuccess } from '../../shared/ui/notify';

/** The form edits these fields of the group as the API shows it. */
type GroupValues = Pick<Group, 'name' | 'description' | 'memberIds'>;

const FIELDS: ReadonlySet<string> = new Set<keyof GroupValues>(['name', 'description', 'memberIds']);

function rules(t: TFunction) {
  const v = createValidators(t);
  return (values: GroupValues) =>
    compactErrors({
      name: firstError(v.required(values.name), v.maxLength(values.name, 200)),
      description: v.maxLength(values.description, 2000),
    });
}

interface GroupFormProps {
  group?: Group;
  onDone: () => void;
}

/** Create or edit a group: name, description and members. */
export function GroupForm({ group, onDone }: GroupFormProps) {
  const { t } = useTranslation();
  const { create, update } = useResourceMutations(groupsApi, ['employees']);
  const employees = useResourceList(employeesApi, { limit: MAX_PAGE_SIZE, offset: 0 });
  const form = useFormState<GroupValues>(
    { name: group?.name ?? '', description: group?.description ?? '', memberIds: group?.memberIds ?? [] },
    rules(t),
  );
  const { onSubmit, otherErrors, saving } = useFormSubmit(
    form,
    (key) => FIELDS.has(key),
    async (values) => {
      const input: GroupCreateInput = {
        name: values.name.trim(),
        description: values.description.trim(),
        memberIds: values.memberIds,
      };
      const saved = group
        ? await update.mutateAsync({ id: group.id, input })
        : await create.mutateAsync(input);
      notifySuccess(t(group ? 'groups.updated' : 'groups.created', { name: saved.name }));
      onDone();
    },
  );

  // Members not on the loaded page still need a label: fall back to a neutral one.
  const known = new Map((employees.data?.items ?? []).map((employee) => [employee.id, employee]));
  const options = [
    ...[...known.values()].map((employee) => ({
      value: employee.id,
      label: `${employee.name} <${employee.email}>`,
    })),
    ...form.values.memberIds
      .filter((id) => !known.has(id))
      .map((id) => ({ value: id, label: t('groups.unknownMember') })),
  ];

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="md">
        <TextInput label={t('groups.fields.name')} required data-autofocus {...form.textProps('name')} />
        <Textarea
          label={t('groups.fields.description')}
          autosize
          minRows={2}
          maxRows={6}
          {...form.textProps('description')}
        />
        <MultiSelect
          label={t('groups.fields.members')}
          description={t('groups.fields.membersHint')}
          placeholder={form.values.memberIds.length === 0 ? t('groups.fields.membersPlaceholder') : undefined}
          searchable
          clearable
          hidePickedOptions
          nothingFoundMessage={t('groups.fields.membersNothingFound')}
          data={options}
          value={form.values.memberIds}
          onChange={(value) => form.setFieldValue('memberIds', value)}
          error={form.errors.memberIds}
          disabled={employees.isPending}
        />
        <FormActions
          submitLabel={t(group ? 'actions.save' : 'actions.create')}
          onCancel={onDone}
          loading={saving}
          otherErrors={otherErrors}
        />
      </Stack>
    </form>
  );
}
