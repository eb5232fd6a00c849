import { Avatar, Badge, Group, Stack, Text, Tooltip } from '@mantine/core';
import { IconAddressBook } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { contactsApi } from '../../shared/api/resources';
import type { Contact } from '../../shared/api/types';
import { formatDateTime } from '../../shared/lib/format-date';
import { initials } from '../../shared/lib/initials';
import type { Column } from '../../shared/ui/data-table';
import { ResourcePage } from '../../shared/ui/resource-page';
import { useIsAdmin } from '../auth/session-query';
import { ContactForm } from './contact-form';

const primaryEmail = (contact: Contact) =>
  contact.emails.find((address) => address.isPrimary) ?? contact.emails[0];

/** Account management → Contacts: the clients and partners mail goes to. */
export function ContactsPage() {
  const { t, i18n } = useTranslation();
  const isAdmin = useIsAdmin();

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
  return (
    <ResourcePage
      area="contacts"
      canManage={isAdmin}
      api={contactsApi}
      columns={columns}
      emptyIcon={<IconAddressBook />}
      modalSize="xl"
      renderForm={(contact, close) => <ContactForm contact={contact} onDone={close} />}
    />
  );
}
