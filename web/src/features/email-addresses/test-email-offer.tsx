import { Alert, Button, Group, Text } from '@mantine/core';
import { IconMailForward } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { EmailAddress } from '../../shared/api/mail-types';

/** The offer shown after adding an address: send it a test email now (M23, optional). */
export function TestEmailOffer({
  address,
  onClose,
  onSend,
}: {
  address: EmailAddress;
  onClose: () => void;
  onSend: (address: EmailAddress) => void;
}) {
  const { t } = useTranslation();
  return (
    <Alert
      color="indigo"
      variant="light"
      icon={<IconMailForward size={18} />}
      title={t('testEmail.offerTitle', { email: address.email })}
      withCloseButton
      closeButtonLabel={t('actions.close')}
      onClose={onClose}
      data-testid="test-email-offer"
    >
      <Group justify="space-between" gap="sm">
        <Text size="sm">{t('testEmail.offerText')}</Text>
        <Button size="xs" leftSection={<IconMailForward size={14} />} onClick={() => onSend(address)}>
          {t('testEmail.action')}
        </Button>
      </Group>
    </Alert>
  );
}
