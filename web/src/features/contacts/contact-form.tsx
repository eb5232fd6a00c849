import { SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { contactsApi } from '../../shared/api/resources';
import type { Contact, ContactCreateInput } from '../../shared/api/types';
import { useFormState } from '../../shared/lib/use-form-state';
import { useFormSubmit } from '../../shared/lib/use-form-submit';
import { useResourceMutations } from '../../shared/lib/use-resource';
import { compactErrors, createValidators, firstError } from '../../shared/lib/validators';
import { FormActions } from '../../shared/ui/form-actions';
import { notifySuccess } from '../../shared/ui/notify';
import { ContactEmailsEditor, type EmailRow, newEmailRow } from './contact-emails-editor';

interface ContactValues {
  name: string;
  company: string;
  notes: string;
  emails: EmailRow[];
}

const TOP_FIELDS: ReadonlySet<string> = new Set<keyof ContactValues>(['name', 'company', 'notes', 'emails']);
const isDisplayed = (key: string) => TOP_FIELDS.has(key) || /^emails\.\d+(\.(email|label))?$/u.test(key);

function rules(t: TFunction) {
  const v = createValidators(t);
  return (values: ContactValues) => {
    const errors: Record<string, string | undefined> = {
      name: firstError(v.required(values.name), v.maxLength(values.name, 200)),
      company: v.maxLength(values.company, 200),
      notes: v.maxLength(values.notes, 10_000),
      emails: values.emails.length === 0 ? t('contacts.fields.emailsRequired') : undefined,
    };
    const seen = new Set<string>();
    values.emails.forEach((row, index) => {
      const normalized = row.email.trim().toLowerCase();
      errors[`emails.${index}.email`] = firstError(
        v.email(row.email),
        v.maxLength(row.email, 254),
        seen.has(normalized) ? t('contacts.fields.duplicateEmail') : undefined,
      );
      errors[`emails.${index}.label`] = v.maxLength(row.label, 100);
      seen.add(normalized);
    });
    return compactErrors(errors);
  };
}

function initialValues(contact: Contact | undefined): ContactValues {
  const rows =
    contact && contact.emails.length > 0
      ? contact.emails.map((address) => ({
          ...newEmailRow(address.isPrimary),
          email: address.email,
          label: address.label,
        }))
      : [newEmailRow(true)];
  const first = rows[0];
  if (first && !rows.some((row) => row.isPrimary)) rows[0] = { ...first, isPrimary: true };
  return {
    name: contact?.name ?? '',
    company: contact?.company ?? '',
    notes: contact?.notes ?? '',
    emails: rows,
  };
}

interface ContactFormProps {
  contact?: Contact;
  onDone: () => void;
}

/** Create or edit a contact with one or more addresses. */
export function ContactForm({ contact, onDone }: ContactFormProps) {
  const { t } = useTranslation();
  const { create, update } = useResourceMutations(contactsApi);
  const form = useFormState(initialValues(contact), rules(t));
  const { onSubmit, otherErrors, saving } = useFormSubmit(form, isDisplayed, async (values) => {
    const input: ContactCreateInput = {
      name: values.name.trim(),
      company: values.company.trim(),
      notes: values.notes.trim(),
      emails: values.emails.map((row) => ({
        email: row.email.trim(),
        label: row.label.trim(),
        isPrimary: row.isPrimary,
      })),
    };
    const saved = contact
      ? await update.mutateAsync({ id: contact.id, input })
      : await create.mutateAsync(input);
    notifySuccess(t(contact ? 'contacts.updated' : 'contacts.created', { name: saved.name }));
    onDone();
  });

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="md">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <TextInput label={t('contacts.fields.name')} required data-autofocus {...form.textProps('name')} />
          <TextInput label={t('contacts.fields.company')} {...form.textProps('company')} />
        </SimpleGrid>
        <ContactEmailsEditor
          rows={form.values.emails}
          errors={form.errors}
          onChange={(rows, touched) =>
            form.updateValues((previous) => ({ ...previous, emails: rows }), touched)
          }
        />
        <Textarea
          label={t('contacts.fields.notes')}
          description={t('contacts.fields.notesHint')}
          autosize
          minRows={3}
          maxRows={8}
          {...form.textProps('notes')}
        />
        <FormActions
          submitLabel={t(contact ? 'actions.save' : 'actions.create')}
          onCancel={onDone}
          loading={saving}
          otherErrors={otherErrors}
        />
      </Stack>
    </form>
  );
}
