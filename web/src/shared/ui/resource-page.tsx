import { Button, Group, Modal, type ModalProps, VisuallyHidden } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ResourceApi } from '../api/resource-api';
import { useListParams } from '../lib/use-list-params';
import { useResourceList } from '../lib/use-resource';
import { type Column, DataTable } from './data-table';
import { DeleteItemModal } from './delete-item-modal';
import { ListEmptyState } from './list-empty-state';
import { PageHeader } from './page-header';
import { RowActions } from './row-actions';
import { SearchInput } from './search-input';

/** The admin list pages built on this component; each has the same set of texts in i18n. */
export type ResourceArea = 'employees' | 'groups' | 'projects' | 'contacts';

interface ResourcePageProps<T extends { id: string; name: string }> {
  area: ResourceArea;
  /** Admins add, edit and delete; everyone else reads. */
  canManage: boolean;
  api: ResourceApi<T, never, never>;
  /** The item's own columns; the actions column is added for admins. */
  columns: Column<T>[];
  emptyIcon: ReactNode;
  /** Replaces the `<area>.description` text (e.g. a read-only variant). */
  description?: string;
  /** Replaces the empty-list text (default: the admin or read-only variant). */
  emptyDescription?: string;
  modalSize?: ModalProps['size'];
  /** Other resources whose cached data mention this one (refreshed after a delete). */
  related?: readonly string[];
  /** Whether the row offers Delete (e.g. not for yourself). */
  canDelete?: (item: T) => boolean;
  /** The add/edit form; `close` ends the dialog (after saving or cancelling). */
  renderForm: (item: T | undefined, close: () => void) => ReactNode;
}

/**
 * Account management list page: header with "Add", search, paged table, add/edit dialog and
 * delete confirmation. Pages supply their columns and form; the rest is the same everywhere.
 */
export function ResourcePage<T extends { id: string; name: string }>(props: ResourcePageProps<T>) {
  const { t } = useTranslation();
  const { area } = props;
  const isAdmin = props.canManage;
  const list = useListParams();
  const query = useResourceList(props.api, list.params);
  const [editing, setEditing] = useState<T | 'new' | null>(null);
  const [deleting, setDeleting] = useState<T | null>(null);
  const close = () => setEditing(null);

  const columns: Column<T>[] = [...props.columns];
  if (isAdmin) {
    columns.push({
      key: 'actions',
      header: <VisuallyHidden>{t('list.actions')}</VisuallyHidden>,
      align: 'right',
      width: 96,
      render: (item) => (
        <RowActions
          name={item.name}
          onEdit={() => setEditing(item)}
          onDelete={props.canDelete && !props.canDelete(item) ? undefined : () => setDeleting(item)}
        />
      ),
    });
  }

  const addButton = isAdmin ? (
    <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
      {t(`${area}.add`)}
    </Button>
  ) : null;

  return (
    <>
      <PageHeader
        title={t(`${area}.title`)}
        description={props.description ?? t(`${area}.description`)}
        breadcrumbs={[{ label: t('nav.accountManagement'), to: '/employees' }, { label: t(`${area}.title`) }]}
        actions={addButton}
      />
      <Group mb="md">
        <SearchInput value={list.search} onChange={list.setSearch} placeholder={t(`${area}.search`)} />
      </Group>
      <DataTable
        label={t(`${area}.title`)}
        columns={columns}
        rowKey={(item) => item.id}
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
            icon={props.emptyIcon}
            title={t(`${area}.emptyTitle`)}
            description={
              props.emptyDescription ?? (isAdmin ? t(`${area}.emptyDescription`) : t('list.emptyReadOnly'))
            }
            action={addButton}
          />
        }
      />
      <Modal
        opened={editing !== null}
        onClose={close}
        title={editing === 'new' ? t(`${area}.addTitle`) : t(`${area}.editTitle`)}
        size={props.modalSize ?? 'lg'}
      >
        {editing !== null ? props.renderForm(editing === 'new' ? undefined : editing, close) : null}
      </Modal>
      <DeleteItemModal
        api={props.api}
        {...(props.related ? { related: props.related } : {})}
        item={deleting}
        title={t(`${area}.deleteTitle`)}
        message={(name) => t(`${area}.deleteMessage`, { name })}
        deletedMessage={(name) => t(`${area}.deleted`, { name })}
        onClose={() => setDeleting(null)}
      />
    </>
  );
}
