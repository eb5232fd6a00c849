import { Button, CloseButton, EmptyState, Group, Select, Stack, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconFilterOff, IconSend } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { mailApi } from '../../shared/api/mail-api';
import { employeesApi } from '../../shared/api/resources';
import { dayEnd, dayStart } from '../../shared/lib/day-range';
import { formatDateTime } from '../../shared/lib/format-date';
import { useUrlParams } from '../../shared/lib/url-params';
import { useResourceItem } from '../../shared/lib/use-resource';
import { type Column, DataTable } from '../../shared/ui/data-table';
import { DayInput } from '../../shared/ui/day-input';
import { PageHeader } from '../../shared/ui/page-header';
import { SearchInput } from '../../shared/ui/search-input';
import { useIsAdmin } from '../auth/session-query';
import { EmployeePicker } from '../employees/employee-picker';
import { deliveryApi, MESSAGES_KEY } from './delivery-api';
import type { DeliveryLogItem, OutgoingStatus } from './delivery-types';
import { MessageState } from './MessageState';

const PAGE_SIZE = 25;
const STATUSES: OutgoingStatus[] = [
  'queued',
  'sending',
  'sent',
  'deferred',
  'failed',
  'uncertain',
  'bounced',
];

/**
 * Email → Delivery log (issue 9 item 6): every outgoing email with its state and, on failure,
 * the explanation and the way out. Admins see the whole company's; an employee their own.
 */
export function DeliveryLogPage() {
  const { t, i18n } = useTranslation();
  const isAdmin = useIsAdmin();
  const { params, setParams, setParam } = useUrlParams();
  const status = (params.get('status') as OutgoingStatus | null) ?? undefined;
  const addressId = params.get('addressId') ?? undefined;
  const employeeId = isAdmin ? (params.get('employeeId') ?? undefined) : undefined;
  const fromDay = params.get('from');
  const toDay = params.get('to');
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  const [search, setSearch] = useState(params.get('q') ?? '');
  const [q] = useDebouncedValue(search.trim(), 300);

  // biome-ignore lint/correctness/useExhaustiveDependencies: only the debounced text drives the URL
  useEffect(() => {
    if ((params.get('q') ?? '') !== q) setParam('q', q);
  }, [q]);

  const filters = {
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
    status,
    addressId,
    employeeId,
    from: dayStart(fromDay),
    to: dayEnd(toDay),
    q: q || undefined,
  };
  const query = useQuery({
    queryKey: [MESSAGES_KEY, 'log', filters, i18n.language],
    queryFn: ({ signal }) => deliveryApi.list(filters, signal),
    placeholderData: keepPreviousData,
  });
  const companyAddresses = useQuery({
    queryKey: ['email-addresses', 'delivery-filter'],
    queryFn: ({ signal }) => mailApi.list({ scope: 'company' }, signal),
    enabled: isAdmin,
    staleTime: 60_000,
  });
  const pickedEmployee = useResourceItem(employeesApi, employeeId);

  // Senders seen on this page complete the company list (own addresses, deleted ones).
  const addressOptions = new Map<string, string>();
  for (const a of companyAddresses.data ?? []) addressOptions.set(a.id, a.email);
  for (const m of query.data?.items ?? [])
    if (m.sender.addressId && !addressOptions.has(m.sender.addressId))
      addressOptions.set(m.sender.addressId, m.sender.email);

  const columns: Column<DeliveryLogItem>[] = [
    {
      key: 'email',
      header: t('delivery.log.columns.email'),
      render: (m) => (
        <Stack gap={2} miw={0}>
          <Text size="sm" fw={600} style={{ overflowWrap: 'anywhere' }}>
            {m.subject || t('delivery.log.noSubject')}
          </Text>
          <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
            {t('delivery.log.toLine', {
              list: m.to.map((r) => (r.name ? `${r.name} <${r.email}>` : r.email)).join(', '),
            })}
          </Text>
          <Text size="xs" c="dimmed">
            {t('delivery.log.taskLine', { task: m.taskTitle })}
          </Text>
        </Stack>
      ),
    },
    {
      key: 'time',
      header: t('delivery.log.columns.time'),
      width: 150,
      render: (m) => <Text size="sm">{formatDateTime(m.createdAt, i18n.language)}</Text>,
    },
    {
      key: 'from',
      header: t('delivery.log.columns.from'),
      render: (m) => (
        <Stack gap={0} miw={0}>
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            {m.sender.email || t('delivery.log.noSender')}
          </Text>
          <Text size="xs" c="dimmed">
            {t('delivery.log.author', { name: m.author.name || t('delivery.log.unknownAuthor') })}
          </Text>
        </Stack>
      ),
    },
    {
      key: 'state',
      header: t('delivery.log.columns.state'),
      width: '38%',
      render: (m) => <MessageState message={m} />,
    },
  ];

  const filtered = Boolean(status || addressId || employeeId || fromDay || toDay || q);
  return (
    <>
      <PageHeader
        title={t('delivery.log.title')}
        description={isAdmin ? t('delivery.log.descriptionAdmin') : t('delivery.log.descriptionOwn')}
        breadcrumbs={[{ label: t('nav.email') }, { label: t('delivery.log.title') }]}
      />
      <Group mb="md" gap="sm" align="flex-end">
        <SearchInput value={search} onChange={setSearch} placeholder={t('delivery.log.search')} />
        <Select
          label={t('delivery.log.filterStatus')}
          placeholder={t('delivery.log.allStatuses')}
          clearable
          w={{ base: '100%', sm: 220 }}
          data={STATUSES.map((s) => ({ value: s, label: t(`delivery.state.label.${s}`) }))}
          value={status ?? null}
          onChange={(value) => setParam('status', value)}
        />
        <Select
          label={t('delivery.log.filterAddress')}
          placeholder={t('delivery.log.allAddresses')}
          clearable
          searchable
          w={{ base: '100%', sm: 260 }}
          data={[...addressOptions].map(([value, label]) => ({ value, label }))}
          value={addressId ?? null}
          onChange={(value) => setParam('addressId', value)}
        />
        {isAdmin ? (
          <EmployeePicker
            label={t('delivery.log.filterEmployee')}
            placeholder={t('delivery.log.allEmployees')}
            w={{ base: '100%', sm: 280 }}
            selected={pickedEmployee.data ?? null}
            onPick={(e) => setParam('employeeId', e.id)}
            rightSection={
              employeeId ? (
                <CloseButton
                  size="sm"
                  aria-label={t('delivery.log.clearEmployee')}
                  onClick={() => setParam('employeeId', null)}
                />
              ) : undefined
            }
          />
        ) : null}
        <DayInput
          label={t('delivery.log.from')}
          w={{ base: '100%', xs: 190 }}
          value={fromDay}
          maxDay={toDay}
          onChange={(day) => setParam('from', day)}
        />
        <DayInput
          label={t('delivery.log.to')}
          w={{ base: '100%', xs: 190 }}
          value={toDay}
          minDay={fromDay}
          onChange={(day) => setParam('to', day)}
        />
      </Group>
      <DataTable
        label={t('delivery.log.title')}
        columns={columns}
        rowKey={(m) => m.id}
        data={query.data}
        isLoading={query.isPending}
        isRefreshing={query.isPlaceholderData}
        error={query.error}
        onRetry={() => void query.refetch()}
        page={page}
        onPageChange={(next) => setParam('page', next > 1 ? String(next) : null)}
        emptyState={
          filtered ? (
            <EmptyState
              py={48}
              icon={<IconFilterOff />}
              withIndicatorBackground
              title={t('delivery.log.noMatches')}
            >
              <EmptyState.Actions>
                <Button
                  variant="default"
                  onClick={() => {
                    setSearch('');
                    setParams(new URLSearchParams());
                  }}
                >
                  {t('delivery.log.clearFilters')}
                </Button>
              </EmptyState.Actions>
            </EmptyState>
          ) : (
            <EmptyState
              py={48}
              variant="light"
              icon={<IconSend />}
              title={t('delivery.log.emptyTitle')}
              description={t('delivery.log.emptyDescription')}
            />
          )
        }
      />
    </>
  );
}
