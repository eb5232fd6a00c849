import { Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconCheck } from '@tabler/icons-react';
import type { TFunction } from 'i18next';
import { errorMessage, errorReference } from '../lib/error-message';

/** Green toast after a successful action. */
export function notifySuccess(message: string): void {
  notifications.show({ color: 'teal', icon: <IconCheck size={18} />, message, autoClose: 4000 });
}

/** Red toast with the server's message (and a support reference for server faults). */
export function notifyError(error: unknown, t: TFunction, title?: string): void {
  const reference = errorReference(error);
  notifications.show({
    color: 'red',
    icon: <IconAlertTriangle size={18} />,
    title,
    message: (
      <>
        {errorMessage(error, t)}
        {reference ? (
          <Text size="xs" c="dimmed" mt={4}>
            {t('errors.reference', { id: reference })}
          </Text>
        ) : null}
      </>
    ),
    autoClose: 8000,
  });
}
