import { Alert, Anchor, Group, Loader, Select, Stack, Text, Tooltip } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { apiRequest } from '../../shared/api/http-client';
import { ADDRESSES_KEY, mailApi } from '../../shared/api/mail-api';
import type { SenderOption, SenderPreview } from '../../shared/api/mail-types';
import { AddressHealthBadge } from '../email-addresses/address-health-badge';

/** The composer's sender preview (M26–M28): this employee, this project, this task. */
export function useTaskSenders(employeeId: string, projectId: string, taskId: string) {
  return useQuery({
    queryKey: [ADDRESSES_KEY, 'senders', employeeId, projectId, taskId],
    queryFn: ({ signal }) =>
      apiRequest<SenderPreview>('GET', '/api/senders', {
        query: { employeeId, projectId, taskId, excludedLimit: 20 },
        signal,
      }),
  });
}

const optionLabel = (o: SenderOption) => (o.displayName ? `${o.displayName} <${o.email}>` : o.email);

/**
 * From picker: the default sender pre-selected and every applicable choice, each with the
 * preview's reason on hover; below it the chosen address's health (M50), with a warning when
 * it is failing or paused, before anyone sends.
 */
export function SenderPicker({
  preview,
  loading,
  employeeId,
  value,
  onChange,
}: {
  preview: SenderPreview | undefined;
  loading: boolean;
  employeeId: string;
  value: string | null;
  onChange: (addressId: string | null) => void;
}) {
  const { t } = useTranslation();
  // A phone's input is too narrow for "Name <address> (default)": the address is what matters,
  // so there the name is left out of the input (the list still shows both, wrapped).
  const phone = useMediaQuery('(max-width: 48em)') ?? false;
  const choices = preview?.choices ?? [];
  const chosen = choices.find((c) => c.addressId === value) ?? preview?.default ?? null;
  // Steps 1–2 of M25 are the employee's own addresses, 3–4 company ones.
  const owner =
    chosen?.addressId && chosen.step <= 2
      ? ({ scope: 'employee', employeeId } as const)
      : ({ scope: 'company' } as const);
  const address = useQuery({
    queryKey: [ADDRESSES_KEY, 'one', chosen?.addressId],
    queryFn: ({ signal }) => mailApi.get(owner, chosen!.addressId!, signal),
    enabled: Boolean(chosen?.addressId),
  });
  if (loading) return <Loader size="sm" aria-label={t('tasks.composer.from')} />;
  // Addresses this employee could send from that are paused (lost grant, refused sign-in, M50):
  // said before anyone writes, with where to fix it.
  const paused = (preview?.excluded ?? []).filter(
    (e) => e.reasons.includes('needs_reconnect') || e.reasons.includes('needs_attention'),
  );
  const pausedAlert =
    paused.length > 0 ? (
      <Alert color="red" icon={<IconAlertTriangle size={18} />} role="alert" data-testid="sender-paused">
        <Stack gap={4}>
          {paused.map((e) => (
            <Text size="sm" key={e.addressId}>
              {t(
                e.reasons.includes('needs_reconnect')
                  ? 'tasks.composer.pausedReconnect'
                  : 'tasks.composer.pausedAttention',
                { email: e.email },
              )}
            </Text>
          ))}
          <Anchor
            component={Link}
            to={paused[0]!.scope === 'company' ? '/email/company-addresses' : '/email/employee-addresses'}
            size="sm"
          >
            {t('tasks.composer.settingsLink')}
          </Anchor>
        </Stack>
      </Alert>
    ) : null;
  if (!preview?.default)
    return (
      <Stack gap={6}>
        {pausedAlert}
        <Alert color="orange" icon={<IconAlertTriangle size={18} />} data-testid="no-sender">
          <Text size="sm">{t('tasks.composer.noSender')}</Text>
          <Anchor component={Link} to="/email/employee-addresses" size="sm">
            {t('tasks.composer.settingsLink')}
          </Anchor>
        </Alert>
      </Stack>
    );
  const marked = (o: SenderOption, name: string) =>
    o === preview.default || o.addressId === preview.default?.addressId
      ? t('tasks.composer.defaultMark', { name })
      : name;
  const health = address.data ? (address.data.active ? address.data.health : 'disabled') : null;
  return (
    <Stack gap={6}>
      <Select
        label={t('tasks.composer.from')}
        description={t('tasks.composer.fromHint')}
        data={choices.map((o) => ({
          value: o.addressId ?? 'system',
          label: marked(o, phone ? o.email : optionLabel(o)),
        }))}
        value={chosen?.addressId ?? 'system'}
        onChange={(v) => onChange(v && v !== 'system' ? v : null)}
        allowDeselect={false}
        renderOption={({ option }) => {
          const o = choices.find((c) => (c.addressId ?? 'system') === option.value);
          return (
            <Tooltip
              label={
                o ? t(`senderPreview.rules.${o.because.rule}` as 'senderPreview.rules.own_all_projects') : ''
              }
              position="left"
              withArrow
            >
              <Text
                size="sm"
                style={{ overflowWrap: 'anywhere' }}
                title={
                  o
                    ? t(`senderPreview.rules.${o.because.rule}` as 'senderPreview.rules.own_all_projects')
                    : undefined
                }
              >
                {o?.displayName ? (
                  // Name and address on their own lines, so a long address wraps instead of clipping.
                  <>
                    {o.displayName} <br />
                    {marked(o, `<${o.email}>`)}
                  </>
                ) : (
                  option.label
                )}
              </Text>
            </Tooltip>
          );
        }}
        comboboxProps={{ withinPortal: true }}
        data-testid="sender-picker"
      />
      {chosen ? (
        <Text size="xs" c="dimmed">
          {t(`senderPreview.rules.${chosen.because.rule}` as 'senderPreview.rules.own_all_projects')}
        </Text>
      ) : null}
      {address.data && health ? (
        <Group gap="xs" data-testid="sender-health">
          {/* The badge carries the state (its text is what a screen reader reads); saying it in
              the label too made it read twice. */}
          <Text size="sm">{t('tasks.composer.health')}</Text>
          <AddressHealthBadge address={address.data} />
        </Group>
      ) : null}
      {health && health !== 'ok' ? (
        <Alert
          color={health === 'failing' ? 'orange' : 'red'}
          icon={<IconAlertTriangle size={18} />}
          role="alert"
        >
          <Text size="sm">{t(`addresses.healthHint.${health}`)}</Text>
        </Alert>
      ) : null}
      {pausedAlert}
    </Stack>
  );
}
