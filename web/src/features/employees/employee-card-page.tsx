import { Avatar, Badge, Button, Center, Group, Loader, Paper, Tabs, Text } from '@mantine/core';
import { IconAt, IconId, IconTrash, IconUsersGroup } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { employeesApi } from '../../shared/api/resources';
import { initials } from '../../shared/lib/initials';
import { useUrlParams } from '../../shared/lib/url-params';
import { useResourceItem } from '../../shared/lib/use-resource';
import { DeleteItemModal } from '../../shared/ui/delete-item-modal';
import { PageHeader } from '../../shared/ui/page-header';
import { QueryErrorState } from '../../shared/ui/query-error-state';
import { useIsAdmin, useSession } from '../auth/session-query';
import { ExternalAddressList } from '../email-addresses/external-address-list';
import { EmployeeDetails } from './employee-details';
import { EmployeeForm } from './employee-form';
import { EmployeeGroupsTab } from './employee-groups-tab';

const TABS = ['details', 'groups', 'addresses'] as const;
type Tab = (typeof TABS)[number];
const isTab = (value: string | null): value is Tab => TABS.includes(value as Tab);

/** /employees/:id: the employee's card with Details, Groups and External email addresses tabs. */
export function EmployeeCardPage() {
  const { t } = useTranslation();
  const { id } = useParams<{ id: string }>();
  const navigate = useNavigate();
  const isAdmin = useIsAdmin();
  const { employee: me } = useSession();
  const { params: searchParams, update } = useUrlParams();
  const tabParam = searchParams.get('tab');
  const tab: Tab = isTab(tabParam) ? tabParam : 'details';
  const query = useResourceItem(employeesApi, id);
  const [deleting, setDeleting] = useState(false);
  // Bumped by Cancel: remounting the form drops unsaved edits.
  const [formVersion, setFormVersion] = useState(0);
  const breadcrumbs = [
    { label: t('nav.accountManagement'), to: '/employees' },
    { label: t('employees.title'), to: '/employees' },
  ];

  if (query.isPending) {
    return (
      <Center py={80}>
        <Loader aria-label={t('states.loading')} />
      </Center>
    );
  }
  if (query.isError) {
    return (
      <>
        <PageHeader title={t('employees.cardTitle')} breadcrumbs={breadcrumbs} />
        <Paper withBorder radius="md">
          <QueryErrorState error={query.error} onRetry={() => void query.refetch()} />
        </Paper>
      </>
    );
  }

  const employee = query.data;
  const canDelete = isAdmin && employee.id !== me.id;

  return (
    <>
      <PageHeader
        title={employee.name}
        breadcrumbs={[...breadcrumbs, { label: employee.name }]}
        leading={
          <Avatar color="indigo" radius="xl" size={56}>
            {initials(employee.name)}
          </Avatar>
        }
        description={
          <Group gap="xs" component="span">
            <Text span size="sm" c="dimmed">
              {employee.email}
            </Text>
            <Badge variant="light" color={employee.role === 'admin' ? 'indigo' : 'gray'}>
              {t(`roles.${employee.role}`)}
            </Badge>
            {employee.active ? null : (
              <Badge variant="dot" color="gray">
                {t('employees.inactive')}
              </Badge>
            )}
          </Group>
        }
        actions={
          canDelete ? (
            <Button
              variant="default"
              color="red"
              leftSection={<IconTrash size={16} />}
              onClick={() => setDeleting(true)}
            >
              {t('actions.delete')}
            </Button>
          ) : null
        }
      />
      <Tabs
        value={tab}
        onChange={(value) =>
          update(
            (current) => {
              const next = new URLSearchParams(current);
              if (value && value !== 'details') next.set('tab', value);
              else next.delete('tab');
              return next;
            },
            { replace: true },
          )
        }
        keepMounted={false}
      >
        <Tabs.List mb="lg">
          <Tabs.Tab value="details" leftSection={<IconId size={16} />}>
            {t('employees.tabs.details')}
          </Tabs.Tab>
          <Tabs.Tab value="groups" leftSection={<IconUsersGroup size={16} />}>
            {t('employees.tabs.groups')}
          </Tabs.Tab>
          <Tabs.Tab value="addresses" leftSection={<IconAt size={16} />}>
            {t('employees.tabs.addresses')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="details">
          <Paper withBorder radius="md" p="lg" maw={820}>
            {isAdmin ? (
              <EmployeeForm
                key={`${employee.updatedAt}:${formVersion}`}
                employee={employee}
                onSaved={() => undefined}
                onCancel={() => setFormVersion((version) => version + 1)}
              />
            ) : (
              <EmployeeDetails employee={employee} />
            )}
          </Paper>
        </Tabs.Panel>
        <Tabs.Panel value="groups">
          <EmployeeGroupsTab employee={employee} />
        </Tabs.Panel>
        <Tabs.Panel value="addresses">
          <ExternalAddressList scope="employee" employee={employee} />
        </Tabs.Panel>
      </Tabs>
      <DeleteItemModal
        api={employeesApi}
        related={['groups']}
        item={deleting ? employee : null}
        title={t('employees.deleteTitle')}
        message={(name) => t('employees.deleteMessage', { name })}
        deletedMessage={(name) => t('employees.deleted', { name })}
        onClose={() => setDeleting(false)}
        onDeleted={() => navigate('/employees', { replace: true })}
      />
    </>
  );
}
