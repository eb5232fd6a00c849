import { Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import {
  IconAlertTriangle,
  IconMailForward,
  IconPencil,
  IconPlayerPause,
  IconPlayerPlay,
  IconPlugConnected,
  IconRefresh,
  IconShieldCheck,
  IconTrash,
  IconUsersGroup,
} from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { EmailAddress } from '../../shared/api/mail-types';
import { formatDateTime } from '../../shared/lib/format-date';
import { formatRelative } from '../../shared/lib/format-relative';
import { IconAction } from '../../shared/ui/icon-action';
import { SandboxBadge } from '../sandbox/sandbox-banner';
import { AddressHealthBadge } from './address-health-badge';
import type { NameLookup } from './use-name-lookup';

export interface AddressRowActions {
  onEdit: () => void;
  onTest: () => void;
  /** Send a test email (M23); absent for disabled addresses. */
  onSendTestEmail?: () => void;
  /** Collect replies now (M36); absent when the address does not collect. */
  onCheckNow?: () => void;
  checking?: boolean;
  onToggle: () => void;
  toggling: boolean;
  onDelete: () => void;
}

interface AddressRowProps {
  address: EmailAddress;
  isCompany: boolean;
  defaultSenderName: string;
  names: NameLookup;
  /** null: read-only row (an employee looking at company addresses). */
  actions: AddressRowActions | null;
  /** Column names, shown inside each cell when a phone turns the row into a card. */
  labels?: Partial<Record<'address' | 'senderName' | 'projects' | 'access' | 'status' | 'lastTest', string>>;
}

const MAX_ITEMS = 3;

/** A short list of names, one per line (they wrap cleanly, unlike badges), "+N" beyond three. */
function NameList({
  items,
  empty,
}: {
  items: { key: string; label: string; icon?: ReactNode }[];
  empty: string;
}) {
  const { t } = useTranslation();
  if (items.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {empty}
      </Text>
    );
  }
  const shown = items.slice(0, MAX_ITEMS);
  const rest = items.slice(MAX_ITEMS);
  return (
    <Stack gap={2}>
      {shown.map((item) => (
        <Group key={item.key} gap={4} wrap="nowrap" align="flex-start">
          {item.icon}
          <Text size="sm">{item.label}</Text>
        </Group>
      ))}
      {rest.length > 0 ? (
        <Tooltip label={rest.map((item) => item.label).join(', ')} multiline maw={280}>
          <Text size="xs" c="dimmed" style={{ cursor: 'help' }}>
            {t('addresses.more', { n: rest.length })}
          </Text>
        </Tooltip>
      ) : null}
    </Stack>
  );
}

/** An icon button with a tooltip; `label` names the address for screen readers. */
function RowAction(props: {
  tooltip: string;
  label: string;
  color: string;
  onClick: () => void;
  icon: ReactNode;
  loading?: boolean;
}) {
  return (
    <IconAction
      color={props.color}
      onClick={props.onClick}
      loading={props.loading ?? false}
      label={props.label}
      tooltip={props.tooltip}
      icon={props.icon}
    />
  );
}

/** One address in the list (M8): identity, scope of use, health, last test and actions. */
export function AddressRow({
  address,
  isCompany,
  defaultSenderName,
  names,
  actions,
  labels,
}: AddressRowProps) {
  const { t, i18n } = useTranslation();
  const idn = address.emailAscii !== address.email;
  const pinned = address.smtp.pinnedCertSha256 !== null || address.incoming.pinnedCertSha256 !== null;
  const unknown = t('addresses.unknownName');

  return (
    <Table.Tr>
      <Table.Td data-label={labels?.address}>
        <Stack gap={2}>
          <Group gap={6} wrap="nowrap">
            <Text size="sm" fw={600} style={{ whiteSpace: 'nowrap' }}>
              {address.email}
            </Text>
            {pinned ? (
              <Tooltip label={t('addresses.pinnedHint')} multiline maw={280}>
                <IconShieldCheck
                  size={16}
                  color="var(--mantine-color-teal-6)"
                  aria-label={t('addresses.pinned')}
                />
              </Tooltip>
            ) : null}
          </Group>
          <SandboxBadge presetId={address.presetId} />
          {idn ? (
            <Tooltip label={t('addresses.idnHint', { ascii: address.emailAscii })} multiline maw={320}>
              <Group gap={4} wrap="nowrap">
                <IconAlertTriangle size={13} color="var(--mantine-color-yellow-7)" />
                <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                  {address.emailAscii}
                </Text>
              </Group>
            </Tooltip>
          ) : null}
        </Stack>
      </Table.Td>
      <Table.Td data-label={labels?.senderName}>
        {address.displayName ? (
          <Text size="sm">{address.displayName}</Text>
        ) : (
          <Text size="sm" c="dimmed">
            {t('addresses.defaultSenderName', { name: defaultSenderName })}
          </Text>
        )}
      </Table.Td>
      <Table.Td data-label={labels?.projects}>
        <NameList
          empty={t('addresses.allProjects')}
          items={address.projectIds.map((id) => ({ key: id, label: names.project(id) ?? unknown }))}
        />
      </Table.Td>
      {isCompany ? (
        <Table.Td data-label={labels?.access}>
          <NameList
            empty={t('addresses.everyone')}
            items={[
              ...address.access.groupIds.map((id) => ({
                key: id,
                label: names.group(id) ?? unknown,
                icon: <IconUsersGroup size={14} style={{ marginTop: 3, flexShrink: 0 }} />,
              })),
              ...address.access.employeeIds.map((id) => ({ key: id, label: names.employee(id) ?? unknown })),
            ]}
          />
        </Table.Td>
      ) : null}
      <Table.Td data-label={labels?.status} style={{ whiteSpace: 'nowrap', minWidth: 120 }}>
        <AddressHealthBadge address={address} />
      </Table.Td>
      <Table.Td data-label={labels?.lastTest}>
        {address.lastTestOkAt ? (
          <Tooltip label={formatDateTime(address.lastTestOkAt, i18n.language)}>
            <Text size="sm" style={{ whiteSpace: 'nowrap' }} data-testid="last-test">
              {formatRelative(address.lastTestOkAt, i18n.language)}
            </Text>
          </Tooltip>
        ) : (
          <Text size="sm" c="dimmed">
            {t('addresses.neverTested')}
          </Text>
        )}
      </Table.Td>
      {actions ? (
        <Table.Td data-actions style={{ width: 1 }}>
          <Group gap={2} justify="flex-end" wrap="nowrap">
            <RowAction
              tooltip={t('actions.edit')}
              label={t('actions.editNamed', { name: address.email })}
              color="gray"
              onClick={actions.onEdit}
              icon={<IconPencil size={18} />}
            />
            <RowAction
              tooltip={t('connectionTest.run')}
              label={t('addresses.testNamed', { email: address.email })}
              color="indigo"
              onClick={actions.onTest}
              icon={<IconPlugConnected size={18} />}
            />
            {actions.onSendTestEmail ? (
              <RowAction
                tooltip={t('testEmail.action')}
                label={t('testEmail.actionNamed', { email: address.email })}
                color="indigo"
                onClick={actions.onSendTestEmail}
                icon={<IconMailForward size={18} />}
              />
            ) : null}
            {actions.onCheckNow ? (
              <RowAction
                tooltip={t('ingest.checkNow')}
                label={t('ingest.checkNowNamed', { email: address.email })}
                color="indigo"
                onClick={actions.onCheckNow}
                loading={actions.checking ?? false}
                icon={<IconRefresh size={18} />}
              />
            ) : null}
            <RowAction
              tooltip={t(address.active ? 'addresses.disable' : 'addresses.enable')}
              label={t(address.active ? 'addresses.disableNamed' : 'addresses.enableNamed', {
                email: address.email,
              })}
              color="gray"
              onClick={actions.onToggle}
              loading={actions.toggling}
              icon={address.active ? <IconPlayerPause size={18} /> : <IconPlayerPlay size={18} />}
            />
            <RowAction
              tooltip={t('actions.delete')}
              label={t('actions.deleteNamed', { name: address.email })}
              color="red"
              onClick={actions.onDelete}
              icon={<IconTrash size={18} />}
            />
          </Group>
        </Table.Td>
      ) : null}
    </Table.Tr>
  );
}
