import { Anchor, Avatar, Badge, Button, Group, Modal, Stack, Text, VisuallyHidden } from '@mantine/core';
import { IconPlus, IconUsers } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { employeesApi } from '../../shared/api/resources';
import type { Employee } from '../../shared/api/types';
import { initials } from '../../shared/lib/initials';
import { useListParams } from '../../shared/lib/use-list-params';
import { useResourceList } from '../../shared/lib/use-resource';
import { type Column, DataTable } from '../../shared/ui/data-table';
import { DeleteItemModal } from '../../shared/ui/delete-item-modal';
import { ListEmptyState } from '../../shared/ui/list-empty-state';
import { PageHeader } from '../../shared/ui/page-header';
import { RowActions } from '../../shared/ui/row-actions';
import { SearchInput } from '../../shared/ui/search-input';
import { useIsAdmin, useSession } from '../auth/session-query';
import { EmployeeForm } from './employee-form';

/** Account management → Employees. */
export function EmployeesPage() {
  const { t } = useTranslation();
  const isAdmin = useIsAdmin();
  const { employee: me } = useSession();
  const list = useListParams();
  const query = useResourceList(employeesApi, list.params);
  const [editing, setEditing] = useState<Employee | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Employee | null>(null);

  const columns: Column<Employee>[] = [
    {
      key: 'name',
      header: t('employees.fields.name'),
      render: (employee) => (
        <Group gap="sm" wrap="nowrap">
          <Avatar color="indigo" radius="xl" size={34}>
            {initials(employee.name)}
          </Avatar>
          <Stack gap={0} miw={0}>
            <Anchor component={Link} to={`/employees/${employee.id}`} fw={500} size="sm">
              {employee.name}
            </Anchor>
            {employee.id === me.id ? (
              <Text size="xs" c="dimmed">
                {t('employees.you')}
              </Text>
            ) : null}
          </Stack>
        </Group>
      ),
    },
    {
      key: 'email',
      header: t('employees.fields.email'),
      render: (employee) => <Text size="sm">{employee.email}</Text>,
    },
    {
      key: 'role',
      header: t('employees.fields.role'),
      render: (employee) => (
        <Badge variant="light" color={employee.role === 'admin' ? 'indigo' : 'gray'}>
          {t(`roles.${employee.role}`)}
        </Badge>
      ),
    },
    {
      key: 'language',
      header: t('employees.fields.language'),
      wideOnly: true,
      render: (employee) => <Text size="sm">{t(`language.${employee.language}`)}</Text>,
    },
    {
      key: 'status',
      header: t('employees.fields.status'),
      render: (employee) => (
        <Badge variant="dot" color={employee.active ? 'teal' : 'gray'}>
          {t(employee.active ? 'employees.active' : 'employees.inactive')}
        </Badge>
      ),
    },
  ];
  if (isAdmin) {
    columns.push({
      key: 'actions',
      header: <VisuallyHidden>{t('list.actions')}</VisuallyHidden>,
      align: 'right',
      width: 96,
      render: (employee) => (
        <RowActions
          name={employee.name}
          onEdit={() => setEditing(employee)}
          onDelete={employee.id === me.id ? undefined : () => setDeleting(employee)}
        />
      ),
    });
  }

  const addButton = isAdmin ? (
    <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
      {t('employees.add')}
    </Button>
  ) : null;

  return (
    <>
      <PageHeader
        title={t('employees.title')}
        description={t(isAdmin ? 'employees.description' : 'employees.descriptionReadOnly')}
        breadcrumbs={[{ label: t('nav.accountManagement') }, { label: t('employees.title') }]}
        actions={addButton}
      />
      <Group mb="md" justify="space-between">
        <SearchInput value={list.search} onChange={list.setSearch} placeholder={t('employees.search')} />
      </Group>
      <DataTable
        label={t('employees.title')}
        columns={columns}
        rowKey={(employee) => employee.id}
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
            icon={<IconUsers />}
            title={t('employees.emptyTitle')}
            description={t('employees.emptyDescription')}
            action={addButton}
          />
        }
      />
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? t('employees.addTitle') : t('employees.editTitle')}
        size="lg"
      >
        {editing !== null ? (
          <EmployeeForm
            employee={editing === 'new' ? undefined : editing}
            onCancel={() => setEditing(null)}
            onSaved={() => setEditing(null)}
          />
        ) : null}
      </Modal>
      <DeleteItemModal
        api={employeesApi}
        related={['groups']}
        item={deleting}
        title={t('employees.deleteTitle')}
        message={(name) => t('employees.deleteMessage', { name })}
        deletedMessage={(name) => t('employees.deleted', { name })}
        onClose={() => setDeleting(null)}
      />
    </>
  );
}
