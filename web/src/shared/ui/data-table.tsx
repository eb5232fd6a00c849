import { Box, Group, Pagination, Paper, Skeleton, Stack, Table, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { type ReactNode, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { Page } from '../api/types';
import { QueryErrorState } from './query-error-state';

/** One column of a DataTable. */
export interface Column<T> {
  key: string;
  header: ReactNode;
  render: (row: T) => ReactNode;
  width?: number | string;
  align?: 'left' | 'right';
  /** Hidden on narrow screens. */
  wideOnly?: boolean;
}

interface DataTableProps<T> {
  /** Accessible name of the table (usually the page title). */
  label: string;
  columns: Column<T>[];
  rowKey: (row: T) => string;
  data: Page<T> | undefined;
  isLoading: boolean;
  /** True while a newer page is being fetched over the shown one. */
  isRefreshing?: boolean;
  error: unknown;
  onRetry: () => void;
  page: number;
  onPageChange: (page: number) => void;
  /** Shown instead of the table when there are no rows (empty list or no search hits). */
  emptyState: ReactNode;
}

const SKELETON_ROWS = ['a', 'b', 'c', 'd', 'e'];

/** A bordered table with loading skeletons, error and empty states, and a pager. */
export function DataTable<T>(props: DataTableProps<T>) {
  const { t } = useTranslation();
  const { columns, data, page } = props;
  const { onPageChange } = props;

  // A delete (or a narrower search) can leave the current page past the end: step back.
  const lastPage = data ? Math.max(1, Math.ceil(data.total / data.limit)) : 1;
  const pastEnd = data !== undefined && data.items.length === 0 && data.total > 0 && page > lastPage;
  useEffect(() => {
    if (pastEnd) onPageChange(lastPage);
  }, [pastEnd, lastPage, onPageChange]);

  const narrow = useMediaQuery('(max-width: 47.99em)') ?? false;
  const wideOnly = (column: Column<T>) => (column.wideOnly ? { visibleFrom: 'md' as const } : {});

  let body: ReactNode;
  if (props.error && !data) {
    body = <QueryErrorState error={props.error} onRetry={props.onRetry} />;
  } else if (props.isLoading || !data || pastEnd) {
    body = (
      <Table verticalSpacing="sm" horizontalSpacing="md" aria-busy="true" aria-label={props.label}>
        <Table.Tbody>
          {SKELETON_ROWS.map((row) => (
            <Table.Tr key={row}>
              {columns.map((column) => (
                <Table.Td key={column.key} {...wideOnly(column)}>
                  <Skeleton height={14} radius="sm" />
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    );
  } else if (data.items.length === 0) {
    body = props.emptyState;
  } else if (narrow) {
    // Phones (issue 8 item 6): each row is a card, every column (status, actions) visible,
    // nothing wider than the screen.
    const [first, ...rest] = columns;
    const actions = rest.filter((c) => c.key === 'actions');
    const fields = rest.filter((c) => c.key !== 'actions');
    body = (
      <Stack
        component="ul"
        gap={0}
        p={0}
        m={0}
        aria-label={props.label}
        style={{ listStyle: 'none', opacity: props.isRefreshing ? 0.6 : 1 }}
      >
        {data.items.map((row) => (
          <Box
            component="li"
            key={props.rowKey(row)}
            data-testid="list-card"
            p="md"
            style={{ borderBottom: '1px solid var(--mantine-color-default-border)', minWidth: 0 }}
          >
            <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
              <Box miw={0} style={{ flex: 1, overflowWrap: 'anywhere' }}>
                {first?.render(row)}
              </Box>
              {actions.map((c) => (
                <Box key={c.key}>{c.render(row)}</Box>
              ))}
            </Group>
            <Stack gap={4} mt={6}>
              {fields.map((c) => (
                <Group key={c.key} gap="xs" wrap="nowrap" align="baseline">
                  <Text size="xs" c="dimmed" style={{ flex: '0 0 35%' }}>
                    {c.header}
                  </Text>
                  <Box miw={0} fz="sm" style={{ flex: 1, overflowWrap: 'anywhere' }}>
                    {c.render(row)}
                  </Box>
                </Group>
              ))}
            </Stack>
          </Box>
        ))}
      </Stack>
    );
  } else {
    body = (
      <Table.ScrollContainer minWidth={640}>
        <Table
          verticalSpacing="sm"
          horizontalSpacing="md"
          highlightOnHover
          aria-label={props.label}
          style={{ opacity: props.isRefreshing ? 0.6 : 1, transition: 'opacity 120ms' }}
        >
          <Table.Thead>
            <Table.Tr>
              {columns.map((column) => (
                <Table.Th key={column.key} w={column.width} ta={column.align} {...wideOnly(column)}>
                  {column.header}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.items.map((row) => (
              <Table.Tr key={props.rowKey(row)}>
                {columns.map((column) => (
                  <Table.Td key={column.key} ta={column.align} {...wideOnly(column)}>
                    {column.render(row)}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    );
  }

  const from = data && data.items.length > 0 ? data.offset + 1 : 0;
  const to = data ? data.offset + data.items.length : 0;

  return (
    <Paper withBorder radius="md" shadow="xs">
      {body}
      {data && data.total > 0 ? (
        <Group
          justify="space-between"
          wrap="wrap"
          px="md"
          py="sm"
          style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}
        >
          <Text size="sm" c="dimmed">
            {data.totalExact === false
              ? t('list.rangeAtLeast', { from, to, total: data.total - 1 })
              : t('list.range', { from, to, total: data.total })}
          </Text>
          {lastPage > 1 ? (
            <Pagination
              size="sm"
              total={lastPage}
              value={Math.min(page, lastPage)}
              onChange={props.onPageChange}
              getControlProps={(control) => ({
                'aria-label': control === 'next' ? t('list.nextPage') : t('list.previousPage'),
              })}
            />
          ) : null}
        </Group>
      ) : null}
    </Paper>
  );
}
