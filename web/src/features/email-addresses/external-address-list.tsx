import { EmptyState, Paper, Table, Text, VisuallyHidden } from '@mantine/core';
import { IconBuildingStore, IconMailCog } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Employee } from '../../shared/api/types';

/** Which list to show: the company's shared addresses or one employee's own. */
export type ExternalAddressListProps = { scope: 'company' } | { scope: 'employee'; employee: Employee };

/**
 * The list of external email addresses (SPEC M5–M8). One component for the company page,
 * the employee page and the employee card's tab (M7). Until mailbox settings exist it shows
 * the columns every address will have and explains what belongs here; both lists start
 * empty (M3).
 */
export function ExternalAddressList(props: ExternalAddressListProps) {
  const { t } = useTranslation();
  const isCompany = props.scope === 'company';
  const columns = [
    t('addresses.columns.address'),
    t('addresses.columns.senderName'),
    t('addresses.columns.projects'),
    ...(isCompany ? [t('addresses.columns.access')] : []),
    t('addresses.columns.status'),
    t('addresses.columns.lastTest'),
  ];

  return (
    <Paper withBorder radius="md" shadow="xs">
      <Table.ScrollContainer minWidth={720}>
        <Table
          horizontalSpacing="md"
          verticalSpacing="sm"
          aria-label={isCompany ? t('addresses.company.title') : t('addresses.employee.listLabel')}
        >
          <Table.Thead>
            <Table.Tr>
              {columns.map((column) => (
                <Table.Th key={column}>
                  <Text size="sm" fw={600} c="dimmed">
                    {column}
                  </Text>
                </Table.Th>
              ))}
              <Table.Th>
                <VisuallyHidden>{t('list.actions')}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
        </Table>
      </Table.ScrollContainer>
      {isCompany ? (
        <EmptyState
          py={56}
          px="md"
          variant="light"
          icon={<IconBuildingStore />}
          title={t('addresses.company.emptyTitle')}
          description={t('addresses.company.emptyDescription')}
        />
      ) : (
        <EmptyState
          py={56}
          px="md"
          variant="light"
          icon={<IconMailCog />}
          title={t('addresses.employee.emptyTitle', { name: props.employee.name })}
          description={t('addresses.employee.emptyDescription')}
        />
      )}
    </Paper>
  );
}
