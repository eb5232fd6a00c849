import { Avatar, Badge, Button, Group, Modal, Text, VisuallyHidden } from '@mantine/core';
import { IconFolder, IconFolders, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { projectsApi } from '../../shared/api/resources';
import type { Project } from '../../shared/api/types';
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
import { ProjectForm } from './project-form';

/** Account management → Projects. */
export function ProjectsPage() {
  const { t, i18n } = useTranslation();
  const isAdmin = useIsAdmin();
  const list = useListParams();
  const query = useResourceList(projectsApi, list.params);
  const [editing, setEditing] = useState<Project | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Project | null>(null);

  const columns: Column<Project>[] = [
    {
      key: 'name',
      header: t('projects.fields.name'),
      render: (project) => (
        <Group gap="sm" wrap="nowrap">
          <Avatar color={project.archived ? 'gray' : 'cyan'} radius="md" size={32}>
            <IconFolder size={18} />
          </Avatar>
          <Text size="sm" fw={500} c={project.archived ? 'dimmed' : undefined}>
            {project.name}
          </Text>
        </Group>
      ),
    },
    {
      key: 'description',
      header: t('projects.fields.description'),
      render: (project) => (
        <Text size="sm" c="dimmed" lineClamp={2}>
          {project.description || '—'}
        </Text>
      ),
    },
    {
      key: 'status',
      header: t('projects.fields.status'),
      width: 140,
      render: (project) => (
        <Badge variant="dot" color={project.archived ? 'gray' : 'teal'}>
          {t(project.archived ? 'projects.archived' : 'projects.active')}
        </Badge>
      ),
    },
    {
      key: 'updated',
      header: t('common.updatedAt'),
      wideOnly: true,
      width: 200,
      render: (project) => (
        <Text size="sm" c="dimmed">
          {formatDateTime(project.updatedAt, i18n.language)}
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
      render: (project) => (
        <RowActions
          name={project.name}
          onEdit={() => setEditing(project)}
          onDelete={() => setDeleting(project)}
        />
      ),
    });
  }

  const addButton = isAdmin ? (
    <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
      {t('projects.add')}
    </Button>
  ) : null;

  return (
    <>
      <PageHeader
        title={t('projects.title')}
        description={t('projects.description')}
        breadcrumbs={[{ label: t('nav.accountManagement') }, { label: t('projects.title') }]}
        actions={addButton}
      />
      <Group mb="md">
        <SearchInput value={list.search} onChange={list.setSearch} placeholder={t('projects.search')} />
      </Group>
      <DataTable
        label={t('projects.title')}
        columns={columns}
        rowKey={(project) => project.id}
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
            icon={<IconFolders />}
            title={t('projects.emptyTitle')}
            description={isAdmin ? t('projects.emptyDescription') : t('list.emptyReadOnly')}
            action={addButton}
          />
        }
      />
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? t('projects.addTitle') : t('projects.editTitle')}
        size="lg"
      >
        {editing !== null ? (
          <ProjectForm project={editing === 'new' ? undefined : editing} onDone={() => setEditing(null)} />
        ) : null}
      </Modal>
      <DeleteItemModal
        api={projectsApi}
        item={deleting}
        title={t('projects.deleteTitle')}
        message={(name) => t('projects.deleteMessage', { name })}
        deletedMessage={(name) => t('projects.deleted', { name })}
        onClose={() => setDeleting(null)}
      />
    </>
  );
}
