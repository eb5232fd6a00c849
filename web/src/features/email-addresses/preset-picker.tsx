import {
  Alert,
  Anchor,
  Badge,
  Button,
  Center,
  Group,
  List,
  Loader,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  UnstyledButton,
} from '@mantine/core';
import { IconExternalLink, IconInfoCircle, IconServer2, IconSparkles } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { emailDomain } from '../../../../src/domain/presets/detect';
import { POLISH_PRESETS } from '../../../../src/domain/presets/presets-polish.data';
import type { LocalizedText, MailPreset } from '../../shared/api/mail-types';
import { QueryErrorState } from '../../shared/ui/query-error-state';
import { SandboxNewcomer } from '../sandbox/sandbox-newcomer';
import { usePresetDetection, usePresets } from './use-presets';

/** Providers shown first to a Polish UI (their data lives in presets-polish.data.ts). */
const POLISH_PRESET_IDS: ReadonlySet<string> = new Set(POLISH_PRESETS.map((p) => p.id));

export const OTHER_PRESET_ID = 'other';
/** The built-in sandbox (offered by the server to the demo workspace only). */
const SANDBOX_PRESET_ID = 'sandbox';

/** A preset text in the UI language. */
export const localized = (text: LocalizedText, language: string) => (language === 'pl' ? text.pl : text.en);

function PresetCard({
  preset,
  suggested,
  onPick,
}: {
  preset: MailPreset;
  suggested: boolean;
  onPick: () => void;
}) {
  const { t, i18n } = useTranslation();
  const smtp = preset.smtp[0];
  return (
    <UnstyledButton
      onClick={onPick}
      aria-label={localized(preset.name, i18n.language)}
      aria-pressed={suggested}
      data-testid={`preset-${preset.id}`}
      h="100%"
    >
      <Paper
        withBorder
        radius="md"
        p="sm"
        h="100%"
        style={{
          borderColor: suggested ? 'var(--mantine-color-indigo-5)' : undefined,
          boxShadow: suggested ? '0 0 0 2px var(--mantine-color-indigo-1)' : undefined,
        }}
      >
        <Stack gap={4}>
          <Text fw={600} size="sm">
            {localized(preset.name, i18n.language)}
          </Text>
          <Text size="xs" c="dimmed" truncate>
            {smtp ? smtp.host : ''}
          </Text>
          <Group gap={4}>
            {suggested ? (
              <Badge size="xs" color="indigo" leftSection={<IconSparkles size={10} />}>
                {t('presets.matchesAddress')}
              </Badge>
            ) : null}
            {preset.auth.appPassword === 'required' ? (
              <Badge size="xs" variant="light" color="grape">
                {t('presets.appPassword')}
              </Badge>
            ) : null}
            {preset.pop3 === null ? (
              <Badge size="xs" variant="light" color="gray">
                {t('presets.imapOnly')}
              </Badge>
            ) : null}
          </Group>
        </Stack>
      </Paper>
    </UnstyledButton>
  );
}

interface PresetPickerProps {
  email: string;
  onEmailChange: (email: string) => void;
  onPick: (preset: MailPreset, variantId: string | null) => void;
}

/**
 * Step 1 of "Add external email address" (M15, M16): popular services as cards, "Other
 * server" last; the address typed here highlights the service it belongs to.
 */
export function PresetPicker({ email, onEmailChange, onPick }: PresetPickerProps) {
  const { t, i18n } = useTranslation();
  const presets = usePresets();
  const detection = usePresetDetection(email);
  const suggestedId = detection.data?.presetId ?? null;

  if (presets.isError)
    return <QueryErrorState error={presets.error} onRetry={() => void presets.refetch()} />;
  if (!presets.data) {
    return (
      <Center py="xl">
        <Loader aria-label={t('states.loading')} />
      </Center>
    );
  }
  // A Polish UI lists the Polish providers first (issue 8 item 5); otherwise the catalogue order.
  const catalogue = presets.data.filter((preset) => preset.id !== OTHER_PRESET_ID);
  const popular =
    i18n.language === 'pl'
      ? [
          ...catalogue.filter((p) => POLISH_PRESET_IDS.has(p.id)),
          ...catalogue.filter((p) => !POLISH_PRESET_IDS.has(p.id)),
        ]
      : catalogue;
  const suggested = suggestedId ? presets.data.find((p) => p.id === suggestedId) : undefined;
  // The address matched exactly one service: it is selected; Enter or the button continues,
  // another card changes it. An unknown domain says so and offers "Other server".
  const unknownDomain = detection.data?.presetId === null && detection.data.via === 'none';
  const other = presets.data.find((preset) => preset.id === OTHER_PRESET_ID);
  const variantFor = (preset: MailPreset) =>
    preset.id === suggestedId ? (detection.data?.variantId ?? null) : null;

  return (
    <Stack gap="md">
      <TextInput
        label={t('addressForm.email')}
        description={t('presets.emailHint')}
        placeholder={t('addressForm.emailPlaceholder')}
        value={email}
        onChange={(event) => onEmailChange(event.currentTarget.value)}
        type="email"
        autoComplete="off"
        data-autofocus
        onKeyDown={(event) => {
          if (event.key === 'Enter' && suggested) {
            event.preventDefault();
            onPick(suggested, variantFor(suggested));
          }
        }}
      />
      {suggested && suggested.id !== OTHER_PRESET_ID ? (
        <Alert color="indigo" variant="light" icon={<IconSparkles size={18} />} data-testid="preset-selected">
          <Group justify="space-between" wrap="wrap" gap="sm">
            <Text size="sm">{t('presets.selected', { name: localized(suggested.name, i18n.language) })}</Text>
            <Button size="xs" onClick={() => onPick(suggested, variantFor(suggested))}>
              {t('presets.continueWith', { name: localized(suggested.name, i18n.language) })}
            </Button>
          </Group>
        </Alert>
      ) : null}
      {unknownDomain && other ? (
        <Alert color="gray" variant="light" icon={<IconInfoCircle size={18} />} data-testid="preset-unknown">
          <Group justify="space-between" wrap="wrap" gap="sm">
            <Text size="sm">{t('presets.unknownDomain', { domain: emailDomain(email.trim()) ?? '' })}</Text>
            <Button size="xs" variant="default" onClick={() => onPick(other, null)}>
              {t('presets.chooseOther')}
            </Button>
          </Group>
        </Alert>
      ) : null}
      <div>
        <Text fw={600} size="sm" mb={4}>
          {t('presets.popular')}
        </Text>
        <SimpleGrid cols={{ base: 2, sm: 3, md: 4 }} spacing="sm">
          {popular.map((preset) => (
            <PresetCard
              key={preset.id}
              preset={preset}
              suggested={preset.id === suggestedId}
              onPick={() => onPick(preset, variantFor(preset))}
            />
          ))}
        </SimpleGrid>
      </div>
      {other ? (
        <UnstyledButton onClick={() => onPick(other, null)} aria-label={localized(other.name, i18n.language)}>
          <Paper withBorder radius="md" p="sm">
            <Group gap="sm" wrap="nowrap">
              <IconServer2 size={22} />
              <div>
                <Text fw={600} size="sm">
                  {localized(other.name, i18n.language)}
                </Text>
                <Text size="xs" c="dimmed">
                  {t('presets.otherHint')}
                </Text>
              </div>
            </Group>
          </Paper>
        </UnstyledButton>
      ) : null}
    </Stack>
  );
}

/** What to do at the provider before the test can pass, with the provider's help pages (M15). */
export function PresetNotes({ preset }: { preset: MailPreset }) {
  const { t, i18n } = useTranslation();
  const notes = i18n.language === 'pl' ? preset.notes.pl : preset.notes.en;
  if (notes.length === 0 && preset.links.length === 0) return null;
  return (
    <Alert
      color="indigo"
      variant="light"
      icon={<IconInfoCircle size={18} />}
      title={t('presets.notesTitle', { name: localized(preset.name, i18n.language) })}
      data-testid="preset-notes"
    >
      <List size="sm" spacing={4}>
        {notes.map((note) => (
          <List.Item key={note}>{note}</List.Item>
        ))}
      </List>
      {preset.id === SANDBOX_PRESET_ID ? <SandboxNewcomer where="form" /> : null}
      {preset.links.length > 0 ? (
        <Group gap="md" mt="xs">
          {preset.links.map((link) => (
            <Anchor key={link.url} href={link.url} target="_blank" rel="noopener noreferrer" size="sm">
              <Group gap={4} component="span" wrap="nowrap">
                <IconExternalLink size={14} />
                {localized(link.label, i18n.language)}
              </Group>
            </Anchor>
          ))}
        </Group>
      ) : null}
    </Alert>
  );
}
