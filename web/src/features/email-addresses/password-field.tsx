import { Alert, Button, Group, PasswordInput, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconKey, IconScissors } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { normalizeAppPassword } from '../../../../src/domain/presets/detect';
import type { MailPreset } from '../../shared/api/mail-types';
import { localized } from './preset-picker';

interface PasswordFieldProps {
  value: string;
  onChange: (value: string) => void;
  preset: MailPreset | null;
  /** Editing a saved address that has a stored password. */
  passwordSet: boolean;
  /** M21: the endpoint or login changed, so the stored password will not be used. */
  mustReenter: boolean;
  error: string | undefined;
}

const SPACE = /[\s\u200b\u2060]/u;
const EDGE_SPACE = /^[\s\u200b\u2060]|[\s\u200b\u2060]$/u;

/**
 * The mailbox password (write-only, M51). Pasted app passwords lose their spaces where the
 * provider never uses any (M46, `normalizeAppPassword`); other spaces are kept and pointed
 * out. A saved password is never shown: the field stays empty to keep it.
 */
export function PasswordField({
  value,
  onChange,
  preset,
  passwordSet,
  mustReenter,
  error,
}: PasswordFieldProps) {
  const { t, i18n } = useTranslation();
  // The text as pasted, while the notice "spaces removed" offers to undo.
  const [stripped, setStripped] = useState<string | null>(null);
  const presetName = preset ? localized(preset.name, i18n.language) : '';
  const appPassword = preset?.auth.appPassword === 'required';

  const change = (raw: string) => {
    const normalized = normalizeAppPassword(preset?.id ?? null, raw);
    setStripped(normalized.changed ? raw : null);
    onChange(normalized.value);
  };

  const keeping = passwordSet && !mustReenter;
  const description = keeping
    ? t('addressForm.passwordKeep')
    : appPassword
      ? t('addressForm.passwordAppHint', { name: presetName })
      : t('addressForm.passwordHint');

  return (
    <Stack gap={6}>
      <PasswordInput
        label={appPassword ? t('addressForm.appPassword') : t('addressForm.password')}
        description={description}
        placeholder={keeping ? t('addressForm.passwordKeepPlaceholder') : undefined}
        required={!keeping}
        value={value}
        onChange={(event) => change(event.currentTarget.value)}
        error={error}
        autoComplete="new-password"
        leftSection={<IconKey size={16} />}
        visibilityToggleButtonProps={{ 'aria-label': t('login.togglePassword') }}
      />
      {/* One message: once the field shows its error, the same advice is not repeated here. */}
      {mustReenter && passwordSet && value === '' && !error ? (
        <Alert color="yellow" variant="light" p="xs" icon={<IconAlertTriangle size={16} />}>
          <Text size="sm">{t('addressForm.passwordReenter')}</Text>
        </Alert>
      ) : null}
      {stripped !== null ? (
        <Alert color="indigo" variant="light" p="xs" icon={<IconScissors size={16} />}>
          <Group justify="space-between" gap="xs">
            <Text size="sm">{t('addressForm.spacesStripped', { name: presetName })}</Text>
            <Button
              size="compact-xs"
              variant="subtle"
              onClick={() => {
                onChange(stripped);
                setStripped(null);
              }}
            >
              {t('addressForm.spacesRestore')}
            </Button>
          </Group>
        </Alert>
      ) : SPACE.test(value) ? (
        <Alert color="yellow" variant="light" p="xs" icon={<IconAlertTriangle size={16} />}>
          <Text size="sm">
            {EDGE_SPACE.test(value) ? t('addressForm.spacesAtEdges') : t('addressForm.spacesInside')}
          </Text>
        </Alert>
      ) : null}
    </Stack>
  );
}
