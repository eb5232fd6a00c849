import { Avatar, Button, Group, Modal, Text, VisuallyHidden } from '@mantine/core';
import { IconPlus, IconUsersGroup } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { groupsApi } from '../../shared/api/resources';
import type { Group as GroupModel } from '../../shared/api/types';
import { formatDateTime } from '../../shared/lib/format-date';
import { useListParams } from '../../shared/lib/use-list-params';
import { useResourceList } from '../../shared/lib/use-resource';
import { type Column, DataTable } from '../../shared/ui/data-table';
import { DeleteItemModal } from '../../shared/ui/delete-item-modal';
import { ListEmptyState } from '../../shared/ui/list-empty-state';
import { PageHeader } from '../../shared/ui/page-header';
import { RowActions } from '../../shared/ui/row-actions';
import { SearchInput } from '../../shared/ui/search-input';
import { useIsAdmin } from '../auth/session-query';
import { GroupForm } from './group-form';

/** Account management → Groups. */
export function GroupsPage() {
  const { t, i18n } = useTranslation();
  const isAdmin = useIsAdmin();
  const list = useListParams();
  const query = useResourceList(groupsApi, list.params);
  const [editing, setEditing] = useState<GroupModel | 'new' | null>(null);
  const [deleting, setDeleting] = useState<GroupModel | null>(null);

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
  if (isAdmin) {
    columns.push({
      key: 'actions',
      header: <VisuallyHidden>{t('list.actions')}</VisuallyHidden>,
      align: 'right',
      width: 96,
      render: (group) => (
        <RowActions name={group.name} onEdit={() => setEditing(group)} onDelete={() => setDeleting(group)} />
      ),
    });
  }

  const addButton = isAdmin ? (
    <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
      {t('groups.add')}
    </Button>
  ) : null;

  return (
    <>
      <PageHeader
        title={t('groups.title')}
        description={t('groups.description')}
        breadcrumbs={[{ label: t('nav.accountManagement') }, { label: t('groups.title') }]}
        actions={addButton}
      />
      <Group mb="md">
        <SearchInput value={list.search} onChange={list.setSearch} placeholder={t('groups.search')} />
      </Group>
      <DataTable
        label={t('groups.title')}
        columns={columns}
        rowKey={(group) => group.id}
        data={query.data}
        isLoading={query.isPending}
        isRefreshing={query.isPlaceholderData}
        error={query.error}
        onRetry={() => void query.refetch()}
        page={list.page}
        onPageChange={list.setPage}
        emptyState={
          <ListEmptyState
            query={list.q}
            onClearSearch={() => list.setSearch('')}
            icon={<IconUsersGroup />}
            title={t('groups.emptyTitle')}
            description={isAdmin ? t('groups.emptyDescription') : t('list.emptyReadOnly')}
            action={addButton}
          />
        }
      />
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? t('groups.addTitle') : t('groups.editTitle')}
        size="lg"
      >
        {editing !== null ? (
          <GroupForm group={editing === 'new' ? undefined : editing} onDone={() => setEditing(null)} />
        ) : null}
      </Modal>
      <DeleteItemModal
        api={groupsApi}
        related={['employees']}
        item={deleting}
        title={t('groups.deleteTitle')}
        message={(name) => t('groups.deleteMessage', { name })}
        deletedMessage={(name) => t('groups.deleted', { name })}
        onClose={() => setDeleting(null)}
      />
    </>
  );
}
