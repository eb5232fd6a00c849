import { Avatar, Badge, Button, Group, Modal, Stack, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconAddressBook, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { contactsApi } from '../../shared/api/resources';
import type { Contact } from '../../shared/api/types';
import { formatDateTime } from '../../shared/lib/format-date';
import { initials } from '../../shared/lib/initials';
import { useListParams } from '../../shared/lib/use-list-params';
import { useResourceList } from '../../shared/lib/use-resource';
import { type Column, DataTable } from '../../shared/ui/data-table';
import { DeleteItemModal } from '../../shared/ui/delete-item-modal';
import { ListEmptyState } from '../../shared/ui/list-empty-state';
import { PageHeader } from '../../shared/ui/page-header';
import { RowActions } from '../../shared/ui/row-actions';
import { SearchInput } from '../../shared/ui/search-input';
import { useIsAdmin } from '../auth/session-query';
import { ContactForm } from './contact-form';

const primaryEmail = (contact: Contact) =>
  contact.emails.find((address) => address.isPrimary) ?? contact.emails[0];

/** Account management → Contacts: the clients and partners mail goes to. */
export function ContactsPage() {
  const { t, i18n } = useTranslation();
  const isAdmin = useIsAdmin();
  const list = useListParams();
  const query = useResourceList(contactsApi, list.params);
  const [editing, setEditing] = useState<Contact | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Contact | null>(null);

  const columns: Column<Contact>[] = [
    {
      key: 'name',
      header: t('contacts.fields.name'),
      render: (contact) => (
        <Group gap="sm" wrap="nowrap">
          <Avatar color="orange" radius="xl" size={34}>
            {initials(contact.name)}
          </Avatar>
          <Text size="sm" fw={500}>
            {contact.name}
          </Text>
        </Group>
      ),
    },
    {
      key: 'company',
      header: t('contacts.fields.company'),
      render: (contact) => <Text size="sm">{contact.company || '—'}</Text>,
    },
    {
      key: 'email',
      header: t('contacts.fields.primaryEmail'),
      render: (contact) => {
        const primary = primaryEmail(contact);
        const others = contact.emails.filter((address) => address !== primary);
        return (
          <Group gap={6} wrap="nowrap">
            <Stack gap={0} miw={0}>
              <Text size="sm">{primary?.email ?? '—'}</Text>
              {primary?.label ? (
                <Text size="xs" c="dimmed">
                  {primary.label}
                </Text>
              ) : null}
            </Stack>
            {others.length > 0 ? (
              <Tooltip
                label={others.map((address) => address.email).join(', ')}
                withArrow
                multiline
                maw={320}
              >
                <Badge variant="light" color="gray" size="sm">
                  +{others.length}
                </Badge>
              </Tooltip>
            ) : null}
          </Group>
        );
      },
    },
    {
      key: 'updated',
      header: t('common.updatedAt'),
      wideOnly: true,
      width: 200,
      render: (contact) => (
        <Text size="sm" c="dimmed">
          {formatDateTime(contact.updatedAt, i18n.language)}
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
      render: (contact) => (
        <RowActions
          name={contact.name}
          onEdit={() => setEditing(contact)}
          onDelete={() => setDeleting(contact)}
        />
      ),
    });
  }

  const addButton = isAdmin ? (
    <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
      {t('contacts.add')}
    </Button>
  ) : null;

  return (
    <>
      <PageHeader
        title={t('contacts.title')}
        description={t('contacts.description')}
        breadcrumbs={[{ label: t('nav.accountManagement') }, { label: t('contacts.title') }]}
        actions={addButton}
      />
      <Group mb="md">
        <SearchInput value={list.search} onChange={list.setSearch} placeholder={t('contacts.search')} />
      </Group>
      <DataTable
        label={t('contacts.title')}
        columns={columns}
        rowKey={(contact) => contact.id}
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
            icon={<IconAddressBook />}
            title={t('contacts.emptyTitle')}
            description={isAdmin ? t('contacts.emptyDescription') : t('list.emptyReadOnly')}
            action={addButton}
          />
        }
      />
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? t('contacts.addTitle') : t('contacts.editTitle')}
        size="xl"
      >
        {editing !== null ? (
          <ContactForm contact={editing === 'new' ? undefined : editing} onDone={() => setEditing(null)} />
        ) : null}
      </Modal>
      <DeleteItemModal
        api={contactsApi}
        item={deleting}
        title={t('contacts.deleteTitle')}
        message={(name) => t('contacts.deleteMessage', { name })}
        deletedMessage={(name) => t('contacts.deleted', { name })}
        onClose={() => setDeleting(null)}
      />
    </>
  );
}
