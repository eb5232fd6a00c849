import { Badge, Stack, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AddressHealth, EmailAddress } from '../../shared/api/mail-types';
import { formatDateTime } from '../../shared/lib/format-date';

const COLORS: Record<AddressHealth, string> = {
  ok: 'teal',
  failing: 'orange',
  needs_attention: 'red',
  needs_reconnect: 'red',
  disabled: 'gray',
};

const TEXT_KEYS = ['title', 'message', 'cause', 'reason', 'reply', 'lastError', 'error'] as const;
const DATE_KEYS = ['since', 'at', 'lastFailureAt', 'failedAt'] as const;
const COUNT_KEYS = ['count', 'failures', 'streak', 'errorStreak'] as const;

/**
 * What the worker recorded about the status (its shape is open: the outbox and the poller
 * fill it), reduced to the plain facts a tooltip can show.
 */
function detailFacts(detail: Record<string, unknown> | null) {
  if (!detail) return { texts: [] as string[], since: null as string | null, count: null as number | null };
  const texts = TEXT_KEYS.map((key) => detail[key]).filter(
    (v): v is string => typeof v === 'string' && v !== '',
  );
  const since = DATE_KEYS.map((key) => detail[key]).find((v): v is string => typeof v === 'string') ?? null;
  const count = COUNT_KEYS.map((key) => detail[key]).find((v): v is number => typeof v === 'number') ?? null;
  return { texts: [...new Set(texts)].slice(0, 3), since, count };
}

/** Health of an address (M50) with what it means and the last recorded problem. */
export function AddressHealthBadge({ address }: { address: EmailAddress }) {
  const { t, i18n } = useTranslation();
  const health: AddressHealth = address.active ? address.health : 'disabled';
  const facts = detailFacts(address.healthDetail);
  const code = address.healthDetail?.code;
  const removed = String(address.healthDetail?.removed ?? '');
  const removedKind = address.healthDetail?.removedKind;
  const kind =
    removedKind === 'group' || removedKind === 'employee' || removedKind === 'project'
      ? t(`addresses.removedKind.${removedKind}`)
      : '';
  const label = (
    <Stack gap={2} maw={320}>
      <Text size="xs">{t(`addresses.healthHint.${health}`)}</Text>
      {code === 'access_list_emptied' || code === 'projects_emptied' ? (
        <Text size="xs">{t(`addresses.disabledBecause.${code}`, { name: removed, kind })}</Text>
      ) : null}
      {facts.texts.map((text) => (
        <Text size="xs" key={text} style={{ wordBreak: 'break-word' }}>
          {text}
        </Text>
      ))}
      {facts.count !== null ? (
        <Text size="xs">{t('addresses.healthFailures', { count: facts.count })}</Text>
      ) : null}
      {facts.since ? (
        <Text size="xs">
          {t('addresses.healthSince', { date: formatDateTime(facts.since, i18n.language) })}
        </Text>
      ) : null}
    </Stack>
  );
  return (
    <Tooltip label={label} multiline withArrow events={{ hover: true, focus: true, touch: true }}>
      <Badge
        color={COLORS[health]}
        variant={health === 'ok' ? 'light' : 'filled'}
        style={{ cursor: 'help' }}
        tabIndex={0}
      >
        {t(`addresses.health.${health}`)}
      </Badge>
    </Tooltip>
  );
}
