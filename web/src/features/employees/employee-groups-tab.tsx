import { Anchor, Button, EmptyState, Group, Paper, Select, Stack, Table, Text } from '@mantine/core';
import { IconPlus, IconUsersGroup } from '@tabler/icons-react';
import { useMutation, useQueries, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { groupsApi, MAX_PAGE_SIZE } from '../../shared/api/resources';
import type { Employee, Group as GroupModel } from '../../shared/api/types';
import { useResourceList } from '../../shared/lib/use-resource';
import { notifyError, notifySuccess } from '../../shared/ui/notify';
import { QueryErrorState } from '../../shared/ui/query-error-state';
import { useIsAdmin } from '../auth/session-query';

/** The card's Groups tab: the employee's groups; admins add and remove memberships. */
export function EmployeeGroupsTab({ employee }: { employee: Employee }) {
  const { t } = useTranslation();
  const isAdmin = useIsAdmin();
  const queryClient = useQueryClient();
  const [picked, setPicked] = useState<string | null>(null);
  const memberships = useQueries({
    queries: employee.groupIds.map((id) => ({
      queryKey: [groupsApi.key, 'item', id],
      queryFn: ({ signal }: { signal: AbortSignal }) => groupsApi.get(id, signal),
    })),
  });
  const allGroups = useResourceList(groupsApi, { limit: MAX_PAGE_SIZE, offset: 0 }, isAdmin);

  const changeMembership = useMutation({
    mutationFn: ({ group, join }: { group: GroupModel; join: boolean }) =>
      groupsApi.update(group.id, {
        memberIds: join
          ? [...new Set([...group.memberIds, employee.id])]
          : group.memberIds.filter((memberId) => memberId !== employee.id),
      }),
    onSuccess: async (group, { join }) => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: [groupsApi.key] }),
        queryClient.invalidateQueries({ queryKey: ['employees'] }),
      ]);
      setPicked(null);
      notifySuccess(
        t(join ? 'employees.groups.added' : 'employees.groups.removed', {
          name: employee.name,
          group: group.name,
        }),
      );
    },
    onError: (error) => notifyError(error, t),
  });

  const failed = memberships.find((query) => query.isError);
  const loading = memberships.some((query) => query.isPending);
  const groups = memberships.flatMap((query) => (query.data ? [query.data] : []));
  const candidates = (allGroups.data?.items ?? []).filter((group) => !employee.groupIds.includes(group.id));
  const pickedGroup = candidates.find((group) => group.id === picked);

  return (
    <Stack gap="md" maw={820}>
      {isAdmin ? (
        <Paper withBorder radius="md" p="md">
          <Group align="flex-end" gap="sm">
            <Select
              label={t('employees.groups.addLabel')}
              placeholder={t('employees.groups.addPlaceholder')}
              searchable
              clearable
              nothingFoundMessage={t('employees.groups.noCandidates')}
              data={candidates.map((group) => ({ value: group.id, label: group.name }))}
              value={picked}
              onChange={setPicked}
              style={{ flex: 1 }}
              disabled={allGroups.isPending}
            />
            <Button
              leftSection={<IconPlus size={16} />}
              disabled={!pickedGroup}
              loading={changeMembership.isPending && changeMembership.variables?.join === true}
              onClick={() => pickedGroup && changeMembership.mutate({ group: pickedGroup, join: true })}
            >
              {t('employees.groups.add')}
            </Button>
          </Group>
        </Paper>
      ) : null}
      <Paper withBorder radius="md">
        {failed ? (
          <QueryErrorState error={failed.error} onRetry={() => void failed.refetch()} />
        ) : groups.length === 0 && !loading ? (
          <EmptyState
            py={48}
            variant="light"
            icon={<IconUsersGroup />}
            title={t('employees.groups.emptyTitle')}
            description={t('employees.groups.emptyDescription')}
          />
        ) : (
          <Table verticalSpacing="sm" horizontalSpacing="md" aria-label={t('employees.tabs.groups')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('groups.fields.name')}</Table.Th>
                <Table.Th>{t('groups.fields.description')}</Table.Th>
                <Table.Th ta="right">{t('groups.fields.members')}</Table.Th>
                {isAdmin ? <Table.Th w={120} /> : null}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {groups.map((group) => (
                <Table.Tr key={group.id}>
                  <Table.Td>
                    <Anchor
                      component={Link}
                      to={`/groups?q=${encodeURIComponent(group.name)}`}
                      size="sm"
                      fw={500}
                    >
                      {group.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c="dimmed" lineClamp={1}>
                      {group.description}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">{group.memberIds.length}</Table.Td>
                  {isAdmin ? (
                    <Table.Td ta="right">
                      <Button
                        size="xs"
                        variant="subtle"
                        color="red"
                        loading={
                          changeMembership.isPending && changeMembership.variables?.group.id === group.id
                        }
                        onClick={() => changeMembership.mutate({ group, join: false })}
                      >
                        {t('employees.groups.remove')}
                      </Button>
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
    </Stack>
  );
}
