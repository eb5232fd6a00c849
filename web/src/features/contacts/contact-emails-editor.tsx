import { Button, Group, Input, Radio, Stack, TextInput, Tooltip } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { FormErrors } from '../../shared/lib/use-form-state';
import { IconAction } from '../../shared/ui/icon-action';

/** One editable address row; `key` only identifies the row on screen. */
export interface EmailRow {
  key: string;
  email: string;
  label: string;
  isPrimary: boolean;
}

let nextRowKey = 0;
/** A blank row with a fresh on-screen identity. */
export const newEmailRow = (isPrimary: boolean): EmailRow => {
  nextRowKey += 1;
  return { key: `row-${nextRowKey}`, email: '', label: '', isPrimary };
};

interface ContactEmailsEditorProps {
  rows: EmailRow[];
  errors: FormErrors;
  /** `touched` is the error path to clear (`emails.2.email`, or `emails` for the whole list). */
  onChange: (rows: EmailRow[], touched: string) => void;
}

/** The contact's addresses: at least one, exactly one primary (replies go to it first). */
export function ContactEmailsEditor({ rows, errors, onChange }: ContactEmailsEditorProps) {
  const { t } = useTranslation();
  const primaryIndex = Math.max(
    0,
    rows.findIndex((row) => row.isPrimary),
  );

  const patchRow = (index: number, patch: Partial<EmailRow>, field: string) =>
    onChange(
      rows.map((row, i) => (i === index ? { ...row, ...patch } : row)),
      `emails.${index}.${field}`,
    );

  return (
    <Input.Wrapper
      label={t('contacts.fields.emails')}
      description={t('contacts.fields.emailsHint')}
      required
      error={errors.emails}
    >
      <Radio.Group
        value={String(primaryIndex)}
        onChange={(value) =>
          onChange(
            rows.map((row, i) => ({ ...row, isPrimary: String(i) === value })),
            'emails',
          )
        }
        mt={6}
      >
        <Stack gap="xs">
          {rows.map((row, index) => (
            <Group key={row.key} gap="xs" align="flex-start" wrap="nowrap">
              <TextInput
                type="email"
                placeholder={t('contacts.emailPlaceholder')}
                aria-label={t('contacts.fields.emailN', { n: index + 1 })}
                value={row.email}
                onChange={(event) => patchRow(index, { email: event.currentTarget.value }, 'email')}
                error={errors[`emails.${index}.email`] ?? errors[`emails.${index}`]}
                style={{ flex: 2 }}
              />
              <TextInput
                placeholder={t('contacts.fields.labelPlaceholder')}
                aria-label={t('contacts.fields.labelN', { n: index + 1 })}
                value={row.label}
                onChange={(event) => patchRow(index, { label: event.currentTarget.value }, 'label')}
                error={errors[`emails.${index}.label`]}
                style={{ flex: 1 }}
              />
              <Tooltip label={t('contacts.fields.primaryHint')} withArrow>
                <Radio
                  value={String(index)}
                  label={t('contacts.fields.primary')}
                  aria-label={t('contacts.fields.primaryN', { n: index + 1 })}
                  mt={8}
                />
              </Tooltip>
              <IconAction
                color="red"
                mt={4}
                size="lg"
                disabled={rows.length === 1}
                label={t('contacts.fields.removeEmailN', { n: index + 1 })}
                tooltip={t('contacts.fields.removeEmail')}
                onClick={() => {
                  const rest = rows.filter((_, i) => i !== index);
                  const first = rest[0];
                  if (first && !rest.some((r) => r.isPrimary)) rest[0] = { ...first, isPrimary: true };
                  onChange(rest, 'emails');
                }}
                icon={<IconTrash size={16} />}
              />
            </Group>
          ))}
        </Stack>
      </Radio.Group>
      <Button
        variant="subtle"
        size="xs"
        mt="xs"
        leftSection={<IconPlus size={14} />}
        onClick={() => onChange([...rows, newEmailRow(false)], 'emails')}
        disabled={rows.length >= 20}
      >
        {t('contacts.fields.addEmail')}
      </Button>
    </Input.Wrapper>
  );
}
