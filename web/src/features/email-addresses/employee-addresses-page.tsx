import { Center, Loader, Paper, Select, Stack } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { employeesApi } from '../../shared/api/resources';
import type { Employee } from '../../shared/api/types';
import { useResourceItem, useResourceList } from '../../shared/lib/use-resource';
import { PageHeader } from '../../shared/ui/page-header';
import { QueryErrorState } from '../../shared/ui/query-error-state';
import { useIsAdmin, useSession } from '../auth/session-query';
import { ExternalAddressList } from './external-address-list';

const PICKER_SIZE = 20;

const optionLabel = (employee: Employee) => `${employee.name} <${employee.email}>`;

/**
 * Account management → Email → Outgoing messages → Employee external email addresses (M6):
 * admins pick an employee (kept in `?employee=`); everyone else sees their own list.
 */
export function EmployeeAddressesPage() {
  const { t } = useTranslation();
  const isAdmin = useIsAdmin();
  const { employee: me } = useSession();
  const [searchParams, setSearchParams] = useSearchParams();
  const selectedId = isAdmin ? (searchParams.get('employee') ?? me.id) : me.id;
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const selected = useResourceItem(employeesApi, selectedId === me.id ? undefined : selectedId);
  const employee = selectedId === me.id ? me : selected.data;
  const selectedLabel = employee ? optionLabel(employee) : '';
  // After a pick the input shows the picked label: that is not a search.
  const q = debounced.trim() && debounced !== selectedLabel ? debounced.trim() : undefined;
  const options = useResourceList(employeesApi, { limit: PICKER_SIZE, offset: 0, q }, isAdmin);

  const data = (options.data?.items ?? []).map((item) => ({ value: item.id, label: optionLabel(item) }));
  if (employee && !data.some((option) => option.value === employee.id)) {
    data.unshift({ value: employee.id, label: selectedLabel });
  }

  return (
    <>
      <PageHeader
        title={t('addresses.employee.title')}
        description={t(isAdmin ? 'addresses.employee.description' : 'addresses.employee.descriptionOwn')}
        breadcrumbs={[
          { label: t('nav.accountManagement') },
          { label: t('nav.email') },
          { label: t('nav.outgoingMessages') },
          { label: t('addresses.employee.title') },
        ]}
      />
      <Stack gap="md">
        {isAdmin ? (
          <Paper withBorder radius="md" p="md" shadow="xs">
            <Select
              label={t('addresses.employee.pickLabel')}
              placeholder={t('addresses.employee.pickPlaceholder')}
              searchable
              leftSection={<IconSearch size={16} />}
              searchValue={search}
              onSearchChange={setSearch}
              filter={({ options: all }) => all}
              nothingFoundMessage={
                options.isFetching ? t('states.loading') : t('addresses.employee.pickNothing')
              }
              data={data}
              value={selectedId}
              allowDeselect={false}
              onChange={(value) => {
                if (!value) return;
                setSearchParams((previous) => {
                  const next = new URLSearchParams(previous);
                  next.set('employee', value);
                  return next;
                });
              }}
              maw={480}
            />
          </Paper>
        ) : null}
        {employee ? (
          <ExternalAddressList scope="employee" employee={employee} />
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
