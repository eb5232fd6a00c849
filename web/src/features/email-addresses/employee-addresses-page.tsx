import { Center, Loader, Paper, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { employeesApi } from '../../shared/api/resources';
import { useUrlParams } from '../../shared/lib/url-params';
import { useResourceItem } from '../../shared/lib/use-resource';
import { PageHeader } from '../../shared/ui/page-header';
import { QueryErrorState } from '../../shared/ui/query-error-state';
import { useIsAdmin, useSession } from '../auth/session-query';
import { EmployeePicker } from '../employees/employee-picker';
import { ExternalAddressList } from './external-address-list';

/**
 * Account management → Email → Outgoing messages → Employee external email addresses (M6):
 * admins pick an employee (kept in `?employee=`); everyone else sees their own list.
 */
export function EmployeeAddressesPage() {
  const { t } = useTranslation();
  const isAdmin = useIsAdmin();
  const { employee: me } = useSession();
  const { params: searchParams, update } = useUrlParams();
  const selectedId = isAdmin ? (searchParams.get('employee') ?? me.id) : me.id;
  const selected = useResourceItem(employeesApi, selectedId === me.id ? undefined : selectedId);
  const employee = selectedId === me.id ? me : selected.data;

  return (
    <>
      <PageHeader
        title={t('addresses.employee.title')}
        description={t(isAdmin ? 'addresses.employee.description' : 'addresses.employee.descriptionOwn')}
        breadcrumbs={[
          { label: t('nav.accountManagement'), to: '/employees' },
          { label: t('nav.email'), to: '/email/company-addresses' },
          { label: t('nav.outgoingMessages'), to: '/email/company-addresses' },
          { label: t('addresses.employee.title') },
        ]}
      />
      <Stack gap="md">
        {isAdmin ? (
          <Paper withBorder radius="md" p="md" shadow="xs">
            <EmployeePicker
              label={t('addresses.employee.pickLabel')}
              placeholder={t('addresses.employee.pickPlaceholder')}
              selected={employee ?? null}
              onPick={(picked) =>
                update((current) => {
                  const next = new URLSearchParams(current);
                  next.set('employee', picked.id);
                  return next;
                })
              }
              maw={480}
            />
          </Paper>
        ) : null}
        {employee ? (
          <ExternalAddressList key={employee.id} scope="employee" employee={employee} />
        ) : selected.isError ? (
          <Paper withBorder radius="md">
            <QueryErrorState error={selected.error} onRetry={() => void selected.refetch()} />
          </Paper>
        ) : (
          <Center py={60}>
            <Loader aria-label={t('states.loading')} />
          </Center>
        )}
      </Stack>
    </>
  );
}
