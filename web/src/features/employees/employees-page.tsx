import { Anchor, Avatar, Badge, Group, Stack, Text } from '@mantine/core';
import { IconUsers } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ADDRESSES_KEY } from '../../shared/api/mail-api';
import { employeesApi } from '../../shared/api/resources';
import type { Employee } from '../../shared/api/types';
import { initials } from '../../shared/lib/initials';
import type { Column } from '../../shared/ui/data-table';
import { ResourcePage } from '../../shared/ui/resource-page';
import { useIsAdmin, useSession } from '../auth/session-query';
import { EmployeeForm } from './employee-form';

/** Account management → Employees. */
export function EmployeesPage() {
  const { t } = useTranslation();
  const isAdmin = useIsAdmin();
  const { employee: me } = useSession();

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
  return (
    <ResourcePage
      area="employees"
      canManage={isAdmin}
      api={employeesApi}
      related={['groups', ADDRESSES_KEY]}
      columns={columns}
      emptyIcon={<IconUsers />}
      description={t(isAdmin ? 'employees.description' : 'employees.descriptionReadOnly')}
      emptyDescription={t('employees.emptyDescription')}
      canDelete={(employee) => employee.id !== me.id}
      renderForm={(employee, close) => <EmployeeForm employee={employee} onCancel={close} onSaved={close} />}
    />
  );
}
