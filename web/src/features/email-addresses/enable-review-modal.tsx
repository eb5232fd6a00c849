import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { EmailAddress } from '../../shared/api/mail-types';

/** Why an address was disabled when what it was limited to got deleted (restriction-guard.ts). */
export function narrowingOf(address: EmailAddress): 'access_list_emptied' | 'projects_emptied' | null {
  const code = address.healthDetail?.code;
  return code === 'access_list_emptied' || code === 'projects_emptied' ? code : null;
}

interface EnableReviewModalProps {
  /** The address to enable; null keeps the dialog closed. */
  address: EmailAddress | null;
  onClose: () => void;
  onOpenSettings: (address: EmailAddress) => void;
  /** Enable with the list stated as it is now (empty): everyone / all projects. */
  onEnableAsIs: (address: EmailAddress) => void;
  enabling: boolean;
}

/**
 * Enabling an address whose access list or only project was deleted would open it to
 * everyone (or all projects): say so, and offer the settings first. The server refuses a
 * plain enable (RESTRICTION_REVIEW_REQUIRED) in the same case.
 */
export function EnableReviewModal({
  address,
  onClose,
  onOpenSettings,
  onEnableAsIs,
  enabling,
}: EnableReviewModalProps) {
  const { t } = useTranslation();
  const last = useRef<EmailAddress | null>(null);
  if (address) last.current = address;
  const shown = last.current;
  const code = shown ? narrowingOf(shown) : null;
  const kind = shown?.healthDetail?.removedKind;
  const kindText =
    kind === 'group' || kind === 'employee' || kind === 'project' ? t(`addresses.removedKind.${kind}`) : '';
  return (
    <Modal
      opened={address !== null}
      onClose={onClose}
      title={t('addresses.enableReview.title', { email: shown?.email ?? '' })}
      closeButtonProps={{ 'aria-label': t('actions.closeDialog') }}
    >
      {shown && code ? (
        <Stack gap="md">
          <Text size="sm">
            {t(`addresses.enableReview.${code}`, {
              name: String(shown.healthDetail?.removed ?? ''),
              kind: kindText,
            })}
          </Text>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => onEnableAsIs(shown)} loading={enabling}>
              {t(
                code === 'access_list_emptied'
                  ? 'addresses.enableReview.enableAnyway_access'
                  : 'addresses.enableReview.enableAnyway_projects',
              )}
            </Button>
            <Button onClick={() => onOpenSettings(shown)} data-autofocus>
              {t('addresses.enableReview.openSettings')}
            </Button>
          </Group>
        </Stack>
      ) : null}
    </Modal>
  );
}
