import { Alert, Button, Group, List, Stack } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

interface FormActionsProps {
  submitLabel: string;
  onCancel: () => void;
  loading: boolean;
  /** Server messages that belong to no visible field. */
  otherErrors?: string[];
}

/** Cancel / submit row at the bottom of a modal form, with leftover server errors above it. */
export function FormActions({ submitLabel, onCancel, loading, otherErrors = [] }: FormActionsProps) {
  const { t } = useTranslation();
  return (
    <Stack gap="md" mt="md">
      {otherErrors.length > 0 ? (
        <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} title={t('errors.formTitle')}>
          <List size="sm">
            {otherErrors.map((message) => (
              <List.Item key={message}>{message}</List.Item>
            ))}
          </List>
        </Alert>
      ) : null}
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onCancel} disabled={loading}>
          {t('actions.cancel')}
        </Button>
        <Button type="submit" loading={loading}>
          {submitLabel}
        </Button>
      </Group>
    </Stack>
  );
}
