import { Stack, Switch, Textarea, TextInput } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { projectsApi } from '../../shared/api/resources';
import type { Project, ProjectCreateInput } from '../../shared/api/types';
import { useFormState } from '../../shared/lib/use-form-state';
import { useFormSubmit } from '../../shared/lib/use-form-submit';
import { useResourceMutations } from '../../shared/lib/use-resource';
import { compactErrors, createValidators, firstError } from '../../shared/lib/validators';
import { FormActions } from '../../shared/ui/form-actions';
import { notifySuccess } from '../../shared/ui/notify';

/** The form edits these fields of the project as the API shows it. */
type ProjectValues = Pick<Project, 'name' | 'description' | 'archived'>;

const FIELDS: ReadonlySet<string> = new Set<keyof ProjectValues>(['name', 'description', 'archived']);

function rules(t: TFunction) {
  const v = createValidators(t);
  return (values: ProjectValues) =>
    compactErrors({
      name: firstError(v.required(values.name), v.maxLength(values.name, 200)),
      description: v.maxLength(values.description, 5000),
    });
}

interface ProjectFormProps {
  project?: Project;
  onDone: () => void;
}

/** Create or edit a project. Archiving is offered only for existing projects. */
export function ProjectForm({ project, onDone }: ProjectFormProps) {
  const { t } = useTranslation();
  const { create, update } = useResourceMutations(projectsApi);
  const form = useFormState<ProjectValues>(
    {
      name: project?.name ?? '',
      description: project?.description ?? '',
      archived: project?.archived ?? false,
    },
    rules(t),
  );
  const { onSubmit, otherErrors, saving } = useFormSubmit(
    form,
    (key) => FIELDS.has(key),
    async (values) => {
      const base: ProjectCreateInput = { name: values.name.trim(), description: values.description.trim() };
      const saved = project
        ? await update.mutateAsync({ id: project.id, input: { ...base, archived: values.archived } })
        : await create.mutateAsync(base);
      notifySuccess(t(project ? 'projects.updated' : 'projects.created', { name: saved.name }));
      onDone();
    },
  );

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="md">
        <TextInput label={t('projects.fields.name')} required data-autofocus {...form.textProps('name')} />
        <Textarea
          label={t('projects.fields.description')}
          description={t('projects.fields.descriptionHint')}
          autosize
          minRows={3}
          maxRows={8}
          {...form.textProps('description')}
        />
        {project ? (
          <Switch
            label={t('projects.fields.archived')}
            description={t('projects.fields.archivedHint')}
            checked={form.values.archived}
            onChange={(event) => form.setFieldValue('archived', event.currentTarget.checked)}
            error={form.errors.archived}
          />
        ) : null}
        <FormActions
          submitLabel={t(project ? 'actions.save' : 'actions.create')}
          onCancel={onDone}
          loading={saving}
          otherErrors={otherErrors}
        />
      </Stack>
    </form>
  );
}
