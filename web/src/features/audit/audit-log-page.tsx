import { Anchor, Badge, Button, ColorSwatch, EmptyState, Group, Select, Stack, Text } from '@mantine/core';
import { IconFilter, IconFilterOff, IconHistory, IconX } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { mailApi } from '../../shared/api/mail-api';
import type { AuditEntry } from '../../shared/api/mail-types';
import { formatDateTime } from '../../shared/lib/format-date';
import { useUrlParams } from '../../shared/lib/url-params';
import { type Column, DataTable } from '../../shared/ui/data-table';
import { IconAction } from '../../shared/ui/icon-action';
import { PageHeader } from '../../shared/ui/page-header';
import { AuditDetails } from './audit-details';
import { useTargetNames } from './use-target-names';

const PAGE_SIZE = 25;

/** Actions the log knows, by area (the server may add more; those still show raw). */
export const AUDIT_ACTIONS: Record<string, string[]> = {
  employee: ['employee.created', 'employee.updated', 'employee.deleted'],
  group: ['group.created', 'group.updated', 'group.deleted'],
  project: ['project.created', 'project.updated', 'project.deleted'],
  contact: ['contact.created', 'contact.updated', 'contact.deleted'],
  email_address: [
    'email_address.created',
    'email_address.updated',
    'email_address.tested',
    'email_address.enabled',
    'email_address.disabled',
    'email_address.deleted',
  ],
  workspace: ['workspace.updated'],
};

const ACTION_COLORS: Record<string, string> = {
  created: 'teal',
  updated: 'indigo',
  deleted: 'red',
  tested: 'cyan',
  enabled: 'teal',
  disabled: 'gray',
};

/** Account management → Audit log (M49): who did what and when, for admins. */
export function AuditLogPage() {
  const { t, i18n } = useTranslation();
  const { params, setParams, setParam } = useUrlParams();
  const action = params.get('action') ?? undefined;
  const targetType = params.get('targetType') ?? undefined;
  const targetId = params.get('targetId') ?? undefined;
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  const lookup = useTargetNames();
  const catalogue = useQuery({
    queryKey: ['error-catalogue', i18n.language],
    queryFn: ({ signal }) => mailApi.catalogue(signal),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const query = useQuery({
    queryKey: ['audit-log', { action, targetType, targetId, page }],
    queryFn: ({ signal }) =>
      mailApi.auditLog(
        { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE, action, targetType, targetId },
        signal,
      ),
    placeholderData: keepPreviousData,
  });

  // Entries that carry the target's email (created, tested, deleted) name it for the others.
  const emails = new Map<string, string>();
  for (const entry of query.data?.items ?? []) {
    if (entry.targetId && typeof entry.details.email === 'string')
      emails.set(entry.targetId, entry.details.email);
  }
  const names = (type: string | null, id: string | null, details: Record<string, unknown>) =>
    lookup(type, id, details) ?? (id ? (emails.get(id) ?? null) : null);

  const actionLabel = (a: string) => t(`audit.actions.${a}`, { defaultValue: a });
  const typeLabel = (type: string) => t(`audit.targetTypes.${type}`, { defaultValue: type });

  const columns: Column<AuditEntry>[] = [
    {
      key: 'time',
      header: t('audit.columns.time'),
      width: 170,
      render: (e) => (
        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
          {formatDateTime(e.createdAt, i18n.language)}
        </Text>
      ),
    },
    {
      key: 'who',
      header: t('audit.columns.who'),
      render: (e) =>
        e.actorEmployeeId ? (
          <Anchor component={Link} to={`/employees/${e.actorEmployeeId}`} size="sm">
            {e.actorName || t('audit.unknownActor')}
          </Anchor>
        ) : (
          <Text size="sm">{e.actorName || t('audit.system')}</Text>
        ),
    },
    {
      key: 'action',
      header: t('audit.columns.action'),
      render: (e) => (
        <Group gap={8} wrap="nowrap">
          <ColorSwatch
            size={8}
            withShadow={false}
            color={`var(--mantine-color-${ACTION_COLORS[e.action.split('.')[1] ?? ''] ?? 'gray'}-6)`}
          />
          <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
            {actionLabel(e.action)}
          </Text>
        </Group>
      ),
    },
    {
      key: 'target',
      header: t('audit.columns.target'),
      render: (e) => {
        const name = names(e.targetType, e.targetId, e.details);
        return (
          <Group gap={4} wrap="nowrap">
            <Stack gap={0} miw={0}>
              <Text size="xs" c="dimmed">
                {typeLabel(e.targetType)}
              </Text>
              {e.targetType === 'employee' && e.targetId && e.action !== 'employee.deleted' ? (
                <Anchor component={Link} to={`/employees/${e.targetId}`} size="sm">
                  {name ?? t('audit.unnamed', { id: e.targetId?.slice(0, 8) ?? '—' })}
                </Anchor>
              ) : (
                <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                  {name ?? t('audit.unnamed', { id: e.targetId?.slice(0, 8) ?? '—' })}
                </Text>
              )}
            </Stack>
            {e.targetId && e.targetId !== targetId ? (
              <IconAction
                size="sm"
                color="gray"
                label={t('audit.filterTarget')}
                onClick={() => setParam('targetId', e.targetId)}
                icon={<IconFilter size={14} />}
              />
            ) : null}
          </Group>
        );
      },
    },
    {
      key: 'details',
      header: t('audit.columns.details'),
      render: (e) => (
        <AuditDetails
          entry={e}
          catalogue={catalogue.data ?? []}
          targetName={names(e.targetType, e.targetId, e.details)}
        />
      ),
    },
  ];

  const filtered = Boolean(action || targetType || targetId);
  return (
    <>
      <PageHeader
        title={t('audit.title')}
        description={t('audit.description')}
        breadcrumbs={[{ label: t('nav.accountManagement'), to: '/employees' }, { label: t('audit.title') }]}
      />
      <Group mb="md" gap="sm" align="flex-end">
        <Select
          label={t('audit.filterAction')}
          placeholder={t('audit.allActions')}
          clearable
          searchable
          w={{ base: '100%', sm: 300 }}
          data={Object.entries(AUDIT_ACTIONS).map(([type, actions]) => ({
            group: typeLabel(type),
            items: actions.map((a) => ({ value: a, label: actionLabel(a) })),
          }))}
          value={action ?? null}
          onChange={(value) => setParam('action', value)}
        />
        <Select
          label={t('audit.filterTargetType')}
          placeholder={t('audit.allTargets')}
          clearable
          w={{ base: '100%', sm: 240 }}
          data={Object.keys(AUDIT_ACTIONS).map((type) => ({ value: type, label: typeLabel(type) }))}
          value={targetType ?? null}
          onChange={(value) => setParam('targetType', value)}
        />
        {targetId ? (
          <Badge
            size="lg"
            variant="light"
            tt="none"
            fw={500}
            rightSection={
              <IconAction
                size="xs"
                variant="transparent"
                label={t('audit.clearTarget')}
                onClick={() => setParam('targetId', null)}
                icon={<IconX size={12} />}
              />
            }
          >
            {t('audit.onlyTarget', { name: names(null, targetId, {}) ?? targetId.slice(0, 8) })}
          </Badge>
        ) : null}
      </Group>
      <DataTable
        label={t('audit.title')}
        columns={columns}
        rowKey={(e) => e.id}
        data={query.data}
        isLoading={query.isPending}
        isRefreshing={query.isPlaceholderData}
        error={query.error}
        onRetry={() => void query.refetch()}
        page={page}
        onPageChange={(next) => setParam('page', next > 1 ? String(next) : null)}
        emptyState={
          filtered ? (
            <EmptyState py={48} icon={<IconFilterOff />} withIndicatorBackground title={t('audit.noMatches')}>
              <EmptyState.Actions>
                <Button variant="default" onClick={() => setParams(new URLSearchParams())}>
                  {t('audit.clearFilters')}
                </Button>
              </EmptyState.Actions>
            </EmptyState>
          ) : (
            <EmptyState
              py={48}
              variant="light"
              icon={<IconHistory />}
              title={t('audit.emptyTitle')}
              description={t('audit.emptyDescription')}
            />
          )
        }
      />
    </>
  );
}
