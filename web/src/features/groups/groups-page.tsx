import { Avatar, Group, Text } from '@mantine/core';
import { IconUsersGroup } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ADDRESSES_KEY } from '../../shared/api/mail-api';
import { groupsApi } from '../../shared/api/resources';
import type { Group as GroupModel } from '../../shared/api/types';
import { formatDateTime } from '../../shared/lib/format-date';
import type { Column } from '../../shared/ui/data-table';
import { ResourcePage } from '../../shared/ui/resource-page';
import { useIsAdmin } from '../auth/session-query';
import { GroupForm } from './group-form';

/** Account management → Groups. */
export function GroupsPage() {
  const { t, i18n } = useTranslation();
  const isAdmin = useIsAdmin();

  const columns: Column<GroupModel>[] = [
    {
      key: 'name',
      header: t('groups.fields.name'),
      render: (group) => (
        <Group gap="sm" wrap="nowrap">
          <Avatar color="grape" radius="md" size={32}>
            <IconUsersGroup size={18} />
          </Avatar>
          <Text size="sm" fw={500}>
            {group.name}
          </Text>
        </Group>
      ),
    },
    {
      key: 'description',
      header: t('groups.fields.description'),
      render: (group) => (
        <Text size="sm" c="dimmed" lineClamp={2}>
          {group.description || '—'}
        </Text>
      ),
    },
    {
      key: 'members',
      header: t('groups.fields.members'),
      align: 'right',
      width: 120,
      render: (group) => <Text size="sm">{group.memberIds.length}</Text>,
    },
    {
      key: 'updated',
      header: t('common.updatedAt'),
      wideOnly: true,
      width: 200,
      render: (group) => (
        <Text size="sm" c="dimmed">
          {formatDateTime(group.updatedAt, i18n.language)}
        </Text>
      ),
    },
  ];
  return (
    <ResourcePage
      area="groups"
      canManage={isAdmin}
      api={groupsApi}
      related={['employees', ADDRESSES_KEY]}
      columns={columns}
      emptyIcon={<IconUsersGroup />}
      renderForm={(group, close) => <GroupForm group={group} onDone={close} />}
    />
  );
}
