import { Button, CloseButton, Group, Paper, Stack, Text, TextInput } from '@mantine/core';
import { IconSparkles } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { emailDomain } from '../../../../src/domain/presets/detect';
import type { MailPreset } from '../../shared/api/mail-types';
import { localized } from './preset-picker';
import { usePresetDetection, usePresets } from './use-presets';

/** The domain as typed and its punycode form, when they differ (IDN, M9). */
export function punycodeOf(email: string): string | null {
  const at = email.lastIndexOf('@');
  if (at < 0) return null;
  const typed = email
    .slice(at + 1)
    .trim()
    .toLowerCase()
    .replace(/\.$/, '');
  const ascii = emailDomain(email.trim());
  return ascii && ascii !== typed ? `${email.slice(0, at).trim()}@${ascii}` : null;
}

interface EmailFieldProps {
  value: string;
  error: string | undefined;
  presetId: string | null;
  onChange: (email: string) => void;
  onUsePreset: (preset: MailPreset, variantId: string | null) => void;
}

/**
 * The mailbox address, with a suggestion of the matching service as the user types (M16):
 * "Looks like Gmail — use its settings?". The suggestion never blocks and can be dismissed.
 */
export function EmailField({ value, error, presetId, onChange, onUsePreset }: EmailFieldProps) {
  const { t, i18n } = useTranslation();
  const presets = usePresets();
  const detection = usePresetDetection(value);
  const [dismissed, setDismissed] = useState<string[]>([]);
  const suggestedId = detection.data?.presetId ?? null;
  const suggested =
    suggestedId && suggestedId !== presetId && !dismissed.includes(suggestedId)
      ? (presets.data?.find((p) => p.id === suggestedId) ?? null)
      : null;
  const ascii = punycodeOf(value);

  return (
    <Stack gap={6}>
      <TextInput
        label={t('addressForm.email')}
        placeholder={t('addressForm.emailPlaceholder')}
        required
        type="email"
        autoComplete="off"
        spellCheck={false}
        value={value}
        onChange={(event) => onChange(event.currentTarget.value)}
        error={error}
        description={ascii ? t('addressForm.punycode', { ascii }) : undefined}
      />
      {suggested ? (
        <Paper
          withBorder
          radius="md"
          px="sm"
          py={6}
          bg="var(--mantine-color-indigo-0)"
          data-testid="preset-suggestion"
        >
          <Group gap="xs" wrap="nowrap" justify="space-between">
            <Group gap={6} wrap="nowrap">
              <IconSparkles size={16} color="var(--mantine-color-indigo-6)" />
              <Text size="sm">
                {t('addressForm.suggestion', { name: localized(suggested.name, i18n.language) })}
              </Text>
            </Group>
            <Group gap={4} wrap="nowrap">
              <Button
                size="compact-xs"
                onClick={() => onUsePreset(suggested, detection.data?.variantId ?? null)}
              >
                {t('addressForm.useSuggestion')}
              </Button>
              <CloseButton
                size="sm"
                aria-label={t('addressForm.dismissSuggestion')}
                onClick={() => setDismissed((list) => [...list, suggested.id])}
              />
            </Group>
          </Group>
        </Paper>
      ) : null}
    </Stack>
  );
}
