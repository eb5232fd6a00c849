import { Badge, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AuditEntry, CatalogueItem } from '../../shared/api/mail-types';
import { CommonCausesLink } from '../email-addresses/diagnosis-panel';

type Direction = { host?: unknown; port?: unknown; protocol?: unknown; ok?: unknown; cause?: unknown };

const asDirection = (value: unknown): Direction | null =>
  typeof value === 'object' && value !== null ? (value as Direction) : null;

/** Keys shown by dedicated renderers, not in the generic key/value list. */
const HANDLED = new Set(['changed', 'smtp', 'incoming', 'ok', 'durationMs']);

function TestDirection({ label, d, catalogue }: { label: string; d: Direction; catalogue: CatalogueItem[] }) {
  const { t } = useTranslation();
  const cause = typeof d.cause === 'string' ? d.cause : null;
  const title = cause ? (catalogue.find((entry) => entry.id === cause)?.title ?? cause) : null;
  return (
    <Group gap={6} wrap="nowrap" align="flex-start">
      <Badge
        size="xs"
        color={d.ok === true ? 'teal' : 'red'}
        variant="light"
        style={{ flexShrink: 0 }}
        mt={2}
      >
        {d.ok === true ? t('audit.ok') : t('audit.failed')}
      </Badge>
      <Text size="xs">
        {label} {String(d.host ?? '?')}:{String(d.port ?? '?')}
        {title ? (
          <>
            {' — '}
            {title} <CommonCausesLink id={cause ?? ''} label={t('audit.causeLink')} />
          </>
        ) : null}
      </Text>
    </Group>
  );
}

/**
 * The details of an audit entry in words (M49): changed field names, test outcomes per
 * direction with the catalogue's cause, and any other facts as "key: value". Never secrets:
 * the server stores none.
 */
export function AuditDetails({
  entry,
  catalogue,
  targetName,
}: {
  entry: AuditEntry;
  catalogue: CatalogueItem[];
  /** What the "concerns" column already shows: not repeated here. */
  targetName: string | null;
}) {
  const { t } = useTranslation();
  const valueText = (key: string, value: string | number | boolean): string => {
    if (typeof value === 'boolean') return t(value ? 'audit.yes' : 'audit.no');
    if (key === 'role' && (value === 'admin' || value === 'employee')) return t(`roles.${value}`);
    if (key === 'scope' && (value === 'company' || value === 'employee'))
      return t(`senderPreview.scope.${value}`);
    if (key === 'durationMs' && typeof value === 'number') return `${value} ms`;
    if (key === 'reason' && (value === 'access_list_emptied' || value === 'projects_emptied'))
      return t(`audit.reasons.${value}`);
    if (key === 'removedKind' && (value === 'group' || value === 'employee' || value === 'project'))
      return t(`audit.kinds.${value}`);
    return String(value);
  };
  const { details } = entry;
  const changed = Array.isArray(details.changed) ? details.changed.filter((x) => typeof x === 'string') : [];
  const smtp = asDirection(details.smtp);
  const incoming = asDirection(details.incoming);
  const rest = Object.entries(details).filter(
    (pair): pair is [string, string | number | boolean] =>
      !HANDLED.has(pair[0]) &&
      ['string', 'number', 'boolean'].includes(typeof pair[1]) &&
      !(pair[0] === 'email' && pair[1] === targetName),
  );

  return (
    <Stack gap={4}>
      {changed.length > 0 ? (
        <Text size="xs">
          {t('audit.changedFields', {
            list: changed.map((field) => t(`audit.fields.${field}`, { defaultValue: field })).join(', '),
          })}
        </Text>
      ) : null}
      {smtp ? <TestDirection label="SMTP" d={smtp} catalogue={catalogue} /> : null}
      {incoming ? (
        <TestDirection
          label={
            typeof incoming.protocol === 'string' ? incoming.protocol.toUpperCase() : t('audit.incoming')
          }
          d={incoming}
          catalogue={catalogue}
        />
      ) : null}
      {rest.map(([key, value]) => (
        <Text size="xs" key={key} style={{ wordBreak: 'break-word' }}>
          <Text span size="xs" c="dimmed">
            {t(`audit.fields.${key}`, { defaultValue: key })}:
          </Text>{' '}
          {valueText(key, value)}
        </Text>
      ))}
    </Stack>
  );
}
